package io.stillwater.fetch;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.job.Job;
import io.stillwater.job.Submission;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.springframework.stereotype.Component;

/** Reads a fetched source's body with the byte limit: the declared length is never trusted. */
@Component
public class SourceDownloads {

    private final long maxBytes;

    public SourceDownloads(StillwaterProperties properties) {
        this.maxBytes = properties.limits().maxBytes().toBytes();
    }

    /**
     * @param body the response body, as a stream
     * @return the job's image, to be checked like an upload
     * @throws SourceException {@code source-too-large} as soon as the body passes the limit
     * @throws IOException when the connection fails or times out mid-body (transient)
     */
    public Submission read(InputStream body, Job job) throws IOException {
        return Submission.fetched(job, readBounded(body));
    }

    /**
     * A response body read up to the byte limit ({@code stillwater.limits.max-bytes}), empty when there is
     * none; the connection is dropped, not drained, when the body fails or passes the limit.
     *
     * @throws SourceException {@code source-too-large} as soon as the body passes the limit
     * @throws IOException when the connection fails or times out mid-body (transient)
     */
    public byte[] readBounded(InputStream body) throws IOException {
        if (body == null) {
            return new byte[0];
        }
        byte[] data;
        try {
            data = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            abort(body);
            throw e;
        }
        if (data.length > maxBytes) {
            abort(body);
            throw SourceException.tooLarge(maxBytes);
        }
        body.close();
        return data;
    }

    /**
     * Drops the connection. Closing the body instead would read the rest of it, so that the connection
     * could be reused: a body that never ends would hold the worker for ever.
     */
    private static void abort(InputStream body) throws IOException {
        if (body instanceof EofSensorInputStream response) {
            response.abort();
        } else {
            body.close();
        }
    }
}
