package io.stillwater.job;

import io.stillwater.image.ImageInfo;
import io.stillwater.storage.ObjectKeys;
import java.util.HexFormat;
import java.util.UUID;

/**
 * An image on its way through intake: the bytes, the validated request, and once checked, what the
 * header said.
 *
 * @param jobId the id the job will have
 * @param data the image bytes, already within the byte limit
 * @param filename the client's file name, shown only and never trusted
 * @param request the normalised spec
 * @param idempotencyKey the client's {@code Idempotency-Key}, if sent
 * @param info the header, once inspected
 */
public record Submission(
        String jobId, byte[] data, String filename, JobRequest request, String idempotencyKey, ImageInfo info) {

    /** The longest file name kept, as the job store's column allows. */
    static final int MAX_FILENAME = 255;

    public static Submission of(byte[] data, String filename, JobRequest request, String idempotencyKey) {
        return new Submission(UUID.randomUUID().toString(), data, cleanFilename(filename), request, idempotencyKey, null);
    }

    /**
     * The client's file name as a label only: its last path segment (browsers on Windows may send a
     * whole path), without control characters, at most {@value #MAX_FILENAME} characters.
     */
    static String cleanFilename(String filename) {
        if (filename == null) {
            return null;
        }
        String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1)
                .replaceAll("\\p{Cntrl}", "").strip();
        if (name.length() > MAX_FILENAME) {
            name = name.substring(0, MAX_FILENAME);
        }
        return name.isEmpty() ? null : name;
    }

    public Submission withInfo(ImageInfo inspected) {
        return new Submission(jobId, data, filename, request, idempotencyKey, inspected);
    }

    public String originalKey() {
        return ObjectKeys.original(jobId, info.format());
    }

    /** The image's size in bytes; routes use this rather than {@code data().length}, which Camel's
     * simple language would resolve by converting the whole array element by element. */
    public int size() {
        return data.length;
    }

    public String mediaType() {
        return info.format().mediaType();
    }


    Job.Source source() {
        return new Job.Source("upload", originalKey(), info.format().id(), info.width(), info.height(), data.length,
                sha256(data), filename);
    }

    /** The result this submission asks for: {@link CacheKeys#job} of its bytes and normalised outputs. */
    public String cacheKey() {
        return CacheKeys.job(sha256(data), request.outputs());
    }

    /** Hex SHA-256 of the image bytes. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
