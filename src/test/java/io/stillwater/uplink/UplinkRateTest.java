package io.stillwater.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.stillwater.config.StillwaterProperties;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The uplink's pace, from the times it lets uploads go. */
class UplinkRateTest {

    @Test
    void anUploadOfNBytesHoldsTheNextForNOverTheByteRate() {
        // 100 KB a second: 20 KB holds the next upload 200 ms, 5 KB 50 ms; no image rate.
        UplinkRate rate = new UplinkRate(properties(0, DataSize.ofKilobytes(100)));

        OffsetDateTime first = rate.acquire(DataSize.ofKilobytes(20).toBytes());
        OffsetDateTime second = rate.acquire(DataSize.ofKilobytes(5).toBytes());
        OffsetDateTime third = rate.acquire(1);

        assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(Duration.between(second, third)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void theSlowerOfTheTwoLimitsHolds() {
        // 10 images a second (100 ms), 1 MB a second: 300 KB holds the next 300 ms, 1 KB only the image rate's 100 ms.
        UplinkRate rate = new UplinkRate(properties(10, DataSize.ofMegabytes(1)));

        OffsetDateTime first = rate.acquire(DataSize.ofKilobytes(300).toBytes() * 1024 / 1000);
        OffsetDateTime second = rate.acquire(DataSize.ofKilobytes(1).toBytes());
        OffsetDateTime third = rate.acquire(1);

        assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(Duration.between(second, third)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    private static StillwaterProperties properties(double imagesPerSecond, DataSize bytesPerSecond) {
        StillwaterProperties.Uplink uplink = new StillwaterProperties.Uplink("stillwater.outbox", imagesPerSecond,
                bytesPerSecond, Duration.ofSeconds(1), new StillwaterProperties.Uplink.CloudStore("stillwater", "",
                        "", "us-east-1", "", "", Duration.ofHours(1)));
        return new StillwaterProperties(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, StillwaterProperties.Role.EDGE, uplink, null);
    }
}
