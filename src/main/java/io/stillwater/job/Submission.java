package io.stillwater.job;

import io.stillwater.image.ImageInfo;
import io.stillwater.storage.ObjectKeys;
import java.net.URI;
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
 * @param url the URL the image is (or was) fetched from, for a URL source; {@code null} for an upload
 * @param camera the camera a still is captured from, for a camera source; {@code null} otherwise
 */
public record Submission(String jobId, byte[] data, String filename, JobRequest request, String idempotencyKey,
        ImageInfo info, URI url, Job.Camera camera) {

    public Submission(String jobId, byte[] data, String filename, JobRequest request, String idempotencyKey,
            ImageInfo info, URI url) {
        this(jobId, data, filename, request, idempotencyKey, info, url, null);
    }

    /** The longest file name kept, as the job store's column allows. */
    static final int MAX_FILENAME = 255;

    public static Submission of(byte[] data, String filename, JobRequest request, String idempotencyKey) {
        return new Submission(UUID.randomUUID().toString(), data, cleanFilename(filename), request, idempotencyKey, null,
                null);
    }

    /** A job whose image the worker fetches from {@code url}: nothing to inspect or store at intake. */
    public static Submission ofUrl(URI url, JobRequest request, String idempotencyKey) {
        return new Submission(UUID.randomUUID().toString(), null, null, request, idempotencyKey, null, url);
    }

    /** A still to be captured from a camera when it is due: nothing to inspect or store at intake. */
    public static Submission ofCamera(String cameraId, java.time.OffsetDateTime dueAt, JobRequest request,
            String idempotencyKey) {
        return new Submission(UUID.randomUUID().toString(), null, null, request, idempotencyKey, null, null,
                new Job.Camera(cameraId, dueAt, null));
    }

    /** The still a camera answered with for a camera job, to be checked and stored as that job's original. */
    public static Submission captured(Job job, byte[] data, java.time.OffsetDateTime capturedAt) {
        Job.Camera camera = job.source().camera();
        return new Submission(job.id(), data, null, null, null, null, null,
                new Job.Camera(camera.id(), camera.dueAt(), capturedAt));
    }

    /** The image a worker fetched for a URL job, to be checked and stored as that job's original. */
    public static Submission fetched(Job job, byte[] data) {
        return new Submission(job.id(), data, null, null, null, null, URI.create(job.source().url()));
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
        return new Submission(jobId, data, filename, request, idempotencyKey, inspected, url, camera);
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


    /** The job's source as recorded: for a URL not yet fetched, only the URL. */
    Job.Source source() {
        String kind = camera != null ? "camera" : url == null ? "upload" : "url";
        String link = url == null ? null : url.toString();
        if (info == null) {
            return new Job.Source(kind, link, null, null, 0, 0, 0, null, filename, camera);
        }
        return new Job.Source(kind, link, originalKey(), info.format().id(), info.width(), info.height(), data.length,
                sha256(data), filename, camera);
    }

    /**
     * The result this submission asks for: {@link CacheKeys#job} of its bytes and normalised outputs;
     * {@code null} for a URL whose bytes are not known yet.
     */
    public String cacheKey() {
        return data == null ? null : CacheKeys.job(sha256(data), request.outputs());
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
