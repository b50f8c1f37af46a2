package io.stillwater.fetch;

/**
 * A source or callback URL that Stillwater refuses to fetch or call: a scheme other than http(s), a
 * host on the deny list, an odd host form, or a host that resolves to an internal address. Permanent:
 * the job fails with {@link #CODE} and is not retried.
 */
public class SourceNotAllowedException extends RuntimeException {

    public static final String CODE = "source-not-allowed";

    public SourceNotAllowedException(String message) {
        super(message);
    }

    public String code() {
        return CODE;
    }
}
