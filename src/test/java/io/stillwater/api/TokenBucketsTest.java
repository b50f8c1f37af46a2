package io.stillwater.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final TokenBuckets buckets = new TokenBuckets(2, 3, now::get);

    @Test
    void aClientMayBurstThenWaitsForTokensAtTheConfiguredRate() {
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isZero();

        assertThat(buckets.take("a")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isPositive();
    }

    @Test
    void clientsHaveBucketsOfTheirOwn() {
        for (int i = 0; i < 3; i++) {
            buckets.take("busy");
        }

        assertThat(buckets.take("busy")).isPositive();
        assertThat(buckets.take("quiet")).isZero();
    }

    @Test
    void aLongPauseRefillsNoMoreThanTheBurst() {
        for (int i = 0; i < 3; i++) {
            buckets.take("a");
        }
        now.addAndGet(TimeUnit.HOURS.toNanos(1));

        for (int i = 0; i < 3; i++) {
            assertThat(buckets.take("a")).isZero();
        }
        assertThat(buckets.take("a")).isPositive();
    }
}
