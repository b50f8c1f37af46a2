package io.stillwater.fetch;

/**
 * A URL source that cannot be fetched, for a reason no retry can change: the job fails with
 * {@link #code()} at once. Unreachable or failing servers (timeouts, 5xx) are not this: they are
 * transient and retried.
 */
public class SourceException extends RuntimeException {

    private final String code;

    private SourceException(String code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * A scheme other than http(s), a denied host, an odd host form, or a host that resolves to an
     * internal address: {@code source-not-allowed}.
     */
    public static SourceException notAllowed(String message) {
        return new SourceException("source-not-allowed", message);
    }

    /** More redirects than {@code stillwater.fetch.max-redirects}: {@code too-many-redirects}. */
    public static SourceException tooManyRedirects(int max) {
        return new SourceException("too-many-redirects", "the source redirected more than %d times".formatted(max));
    }

    /** A body longer than {@code stillwater.limits.max-bytes}: {@code source-too-large}. */
    public static SourceException tooLarge(long maxBytes) {
        return new SourceException("source-too-large",
                "the source is larger than the limit of %d bytes; stopped reading there".formatted(maxBytes));
    }

    public String code() {
        return code;
    }
}
