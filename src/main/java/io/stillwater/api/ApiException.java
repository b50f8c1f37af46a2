package io.stillwater.api;

import io.stillwater.fetch.SourceException;
import org.springframework.http.HttpStatus;

/**
 * A rejection with its HTTP status and problem code, and the field or limit it concerns when there is
 * one.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String field;
    private final Long limit;

    public ApiException(HttpStatus status, String code, String message, String field, Long limit) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.limit = limit;
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", what + " does not exist", null, null);
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid-request", message, field, null);
    }

    /** A URL the fetcher's guard refuses, named by its field ({@code source.url}, {@code callbackUrl}). */
    public static ApiException notAllowed(String field, SourceException refused) {
        return new ApiException(HttpStatus.BAD_REQUEST, refused.code(), refused.getMessage(), field, null);
    }

    public static ApiException tooLarge(long limit) {
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                "the image is over the limit of %d bytes".formatted(limit), "image", limit);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public Long limit() {
        return limit;
    }
}
