package io.stillwater.job;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads image bytes into one array of their known length. {@code InputStream.readNBytes(max)} on a
 * stream of unknown length gathers chunks and then copies them, holding twice the image at its peak:
 * 100 MB of heap for a 50 MB upload.
 */
public final class Bytes {

    private Bytes() {}

    /**
     * Exactly {@code length} bytes, which must be all the stream holds.
     *
     * @throws EOFException when the stream ends early
     * @throws IOException when the stream holds more
     */
    public static byte[] readExactly(InputStream input, long length) throws IOException {
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            throw new IOException("cannot read " + length + " bytes into one array");
        }
        byte[] data = new byte[(int) length];
        int read = input.readNBytes(data, 0, data.length);
        if (read < data.length) {
            throw new EOFException("the stream ended after %d of %d bytes".formatted(read, length));
        }
        if (input.read() != -1) {
            throw new IOException("the stream holds more than the " + length + " bytes expected");
        }
        return data;
    }
}
