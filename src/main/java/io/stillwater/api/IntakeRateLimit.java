package io.stillwater.api;

import io.stillwater.config.StillwaterProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Limits how fast one client may submit work ({@code stillwater.intake.rate-limit}): over the rate,
 * {@code 429} with {@code Retry-After}, before the body is read. Clients are told apart by remote
 * address; reads ({@code GET}) are not limited.
 */
@Component
public class IntakeRateLimit implements HandlerInterceptor {

    private final boolean enabled;
    private final TokenBuckets buckets;

    public IntakeRateLimit(StillwaterProperties properties) {
        StillwaterProperties.Intake.RateLimit limit = properties.intake().rateLimit();
        this.enabled = limit.enabled();
        this.buckets = new TokenBuckets(limit.requestsPerSecond(), limit.burst(), System::nanoTime);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!enabled || !HttpMethod.POST.matches(request.getMethod())) {
            return true;
        }
        long wait = buckets.take(request.getRemoteAddr());
        if (wait > 0) {
            throw new RateLimitedException(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L)));
        }
        return true;
    }

    /** The client is over its rate; it may try again after {@code retryAfterSeconds}. */
    static final class RateLimitedException extends RuntimeException {

        private final long retryAfterSeconds;

        RateLimitedException(long retryAfterSeconds) {
            super("too many requests from this client; try again in %d s".formatted(retryAfterSeconds));
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
