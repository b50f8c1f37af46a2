package io.stillwater.uplink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stillwater.job.Job;
import io.stillwater.job.JobStore;
import io.stillwater.config.StillwaterProperties;
import java.util.List;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What the uplink routes carry: the outbox message of a rendered job (a {@link Parcel}, as JSON).
 */
@Component("uplink")
public class Uplink {

    /**
     * One job's renditions waiting for the uplink.
     *
     * @param jobId the job
     * @param run the job's run they were rendered in; only that run may end the job
     * @param outputs the renditions, each under its cloud key (the content-addressed key it would have in
     *     the cloud role)
     */
    public record Parcel(String jobId, int run, List<Job.Output> outputs) {}

    private final ObjectMapper mapper;
    private final S3Client localStore;
    private final String localBucket;

    /** @param localStore the service's own store (the primary client), where renditions wait */
    public Uplink(ObjectMapper mapper, S3Client localStore, StillwaterProperties properties) {
        this.mapper = mapper;
        this.localStore = localStore;
        this.localBucket = properties.storage().bucket();
    }

    /**
     * The key a rendition waits under in the local store (routes/uplink.camel.yaml writes the same):
     * per job, so that two jobs with a rendition in common never remove each other's copy.
     */
    public static String stagingKey(String jobId, String key) {
        return "outbox/%s/%s".formatted(jobId, key);
    }

    /**
     * Why the parcel cannot be uploaded because a local copy is gone (the data directory lost files),
     * or {@code null} when every copy is there. Such a message would otherwise fail every time and
     * hold up the whole outbox behind it. A store that does not answer throws, and the uplink pauses.
     */
    public String lostCopy(Parcel parcel) {
        for (Job.Output output : parcel.outputs()) {
            try {
                localStore.headObject(h -> h.bucket(localBucket).key(stagingKey(parcel.jobId(), output.key())));
            } catch (NoSuchKeyException e) {
                return "the local copy of %s waiting for the uplink is gone; submit the image again".formatted(output.name());
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                return "the local copy of %s waiting for the uplink is gone; submit the image again".formatted(output.name());
            }
        }
        return null;
    }

    public String parcel(String jobId, Integer run, List<Job.Output> outputs) throws JsonProcessingException {
        return mapper.writeValueAsString(new Parcel(jobId, run == null ? JobStore.FIRST_RUN : run, outputs));
    }

    public Parcel read(String json) throws JsonProcessingException {
        return mapper.readValue(json, Parcel.class);
    }
}
