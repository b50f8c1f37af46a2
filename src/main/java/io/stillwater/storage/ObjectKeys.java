package io.stillwater.storage;

import io.stillwater.image.ImageFormat;

/**
 * Every object key the service writes. Originals are named by their job; renditions by their content:
 * the source's SHA-256 and the hash of the output's normalised spec, so the same output of the same
 * image always lands on the same object (a redelivered job overwrites its own renditions, two jobs
 * asking for the same output share it, and the keys mean the same after a restart).
 */
public final class ObjectKeys {

    private ObjectKeys() {}

    public static String original(String jobId, ImageFormat format) {
        return "originals/%s.%s".formatted(jobId, format.extension());
    }

    /**
     * @param sourceSha256 hex SHA-256 of the source bytes
     * @param outputHash hex hash of the output's normalised spec ({@code CacheKeys.outputHash})
     */
    public static String rendition(String sourceSha256, String outputHash, ImageFormat format) {
        return "renditions/%s/%s.%s".formatted(sourceSha256, outputHash, format.extension());
    }
}
