package io.stillwater.storage;

import io.stillwater.image.ImageFormat;

/**
 * Object keys are derived from the job alone, so a redelivered job overwrites its own renditions
 * instead of leaving copies behind.
 */
public final class ObjectKeys {

    private ObjectKeys() {}

    public static String original(String jobId, ImageFormat format) {
        return "originals/%s.%s".formatted(jobId, format.extension());
    }

    public static String rendition(String jobId, String outputName, ImageFormat format) {
        return "renditions/%s/%s.%s".formatted(jobId, outputName, format.extension());
    }
}
