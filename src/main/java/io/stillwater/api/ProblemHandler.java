package io.stillwater.api;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.batch.BatchCsv;
import io.stillwater.image.ImageException;
import io.stillwater.job.IntakeUnavailableException;
import io.stillwater.job.InvalidSpecException;
import io.stillwater.job.QueueFullException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error answer is {@code application/problem+json} (RFC 9457) with a stable {@code type}, and
 * {@code field} or {@code limit} where they apply. Stack traces stay in the log.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** Problem types are URNs under this prefix followed by the problem code. */
    public static final String TYPE_PREFIX = "urn:stillwater:problem:";

    /** What a 503 asks the client to wait: about the time a worker takes for a job. */
    private static final long RETRY_AFTER_SECONDS = 5;

    private final long maxBytes;

    public ProblemHandler(StillwaterProperties properties) {
        this.maxBytes = properties.limits().maxBytes().toBytes();
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e) {
        return problem(e.status(), e.code(), e.getMessage(), e.field(), e.limit());
    }

    @ExceptionHandler(InvalidSpecException.class)
    ResponseEntity<Object> invalidSpec(InvalidSpecException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-spec", e.field() + ": " + e.getMessage(), e.field(), null);
    }

    /** A CSV batch with mistakes: every one found, with its row number, in {@code rows}. */
    @ExceptionHandler(BatchCsv.InvalidBatchException.class)
    ResponseEntity<Object> invalidBatch(BatchCsv.InvalidBatchException e) {
        ResponseEntity<Object> answer = problem(HttpStatus.BAD_REQUEST, "invalid-batch", e.getMessage(), "file", null);
        ((ProblemDetail) answer.getBody()).setProperty("rows", e.errors());
        return answer;
    }

    @ExceptionHandler(ImageException.class)
    ResponseEntity<Object> image(ImageException e) {
        if (e instanceof ImageException.ImageTooLargeException tooLarge) {
            return problem(HttpStatus.UNPROCESSABLE_ENTITY, e.code(), e.getMessage(), "image", tooLarge.limit());
        }
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, e.code(), e.getMessage(), "image", null);
    }

    @ExceptionHandler(QueueFullException.class)
    ResponseEntity<Object> queueFull(QueueFullException e) {
        return retryLater(problem(HttpStatus.SERVICE_UNAVAILABLE, "queue-full", e.getMessage(), "priority",
                (long) e.limit()), RETRY_AFTER_SECONDS);
    }

    @ExceptionHandler(IntakeUnavailableException.class)
    ResponseEntity<Object> unavailable(IntakeUnavailableException e) {
        log.warn("Intake unavailable: {}", e.getMessage(), e.getCause());
        return retryLater(problem(HttpStatus.SERVICE_UNAVAILABLE, "intake-unavailable",
                "the job could not be accepted just now; it was not queued, try again", null, null),
                RETRY_AFTER_SECONDS);
    }

    @ExceptionHandler(IntakeRateLimit.RateLimitedException.class)
    ResponseEntity<Object> rateLimited(IntakeRateLimit.RateLimitedException e) {
        return retryLater(problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", e.getMessage(), null, null),
                e.retryAfterSeconds());
    }

    private static ResponseEntity<Object> retryLater(ResponseEntity<Object> answer, long seconds) {
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).body(answer.getBody());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        log.error("Unexpected error answering a request", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "the request could not be completed; the error is logged", null, null);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                "the upload is over the limit of %d bytes".formatted(maxBytes), "image", maxBytes);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request",
                "the multipart part '%s' is missing".formatted(e.getRequestPartName()), e.getRequestPartName(), null);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request",
                "the parameter '%s' is missing".formatted(e.getParameterName()), e.getParameterName(), null);
    }

    /** Spring's own errors (405, 406, 415 by content type, ...) get the same shape and a type. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
            problem.setType(URI.create(TYPE_PREFIX + codeOf(status)));
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static String codeOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value() : known.name().toLowerCase().replace('_', '-');
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String code, String detail, String field, Long limit) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + code));
        problem.setTitle(status.getReasonPhrase());
        if (field != null) {
            problem.setProperty("field", field);
        }
        if (limit != null) {
            problem.setProperty("limit", limit);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
