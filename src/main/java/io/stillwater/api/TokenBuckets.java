package io.stillwater.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One token bucket per client: each request takes a token, tokens come back at a steady rate up to
 * the bucket's size. Buckets that have filled up again are forgotten once there are many clients, so
 * memory stays bounded by the clients active within one refill time.
 */
final class TokenBuckets {

    private static final int FORGET_ABOVE = 10_000;

    private final double perNano;
    private final double capacity;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    TokenBuckets(double perSecond, int burst, LongSupplier nanoClock) {
        this.perNano = perSecond / TimeUnit.SECONDS.toNanos(1);
        this.capacity = burst;
        this.clock = nanoClock;
    }

    /**
     * Takes a token from the client's bucket.
     *
     * @return 0 when the request may go on, else the nanoseconds until a token is back
     */
    long take(String client) {
        if (buckets.size() > FORGET_ABOVE) {
            long now = clock.getAsLong();
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        return buckets.computeIfAbsent(client, c -> new Bucket(clock.getAsLong())).take(clock.getAsLong());
    }

    private final class Bucket {
        private double tokens = capacity;
        private long updated;

        Bucket(long now) {
            updated = now;
        }

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - updated) * perNano);
            updated = now;
        }
    }
}
