package io.stillwater.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stillwater.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Renders take their estimated memory from the engine's budget before decoding, and wait for it. */
class MemoryBudgetTest {

    private static final OutputSpec FULL_SIZE = new OutputSpec("out", List.of(), ImageFormat.PNG, null);

    @Test
    void aRenderWaitsWhileOthersHoldTheBudgetAndRunsOnceItIsFree() {
        MemoryBudget budget = new MemoryBudget(10L << 20);
        MemoryBudget.Lease held = budget.acquire(8L << 20);
        AtomicBoolean second = new AtomicBoolean();

        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            budget.acquire(4L << 20).close();
            second.set(true);
        });

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilFalse(second);
        held.close();
        await().atMost(Duration.ofSeconds(5)).untilTrue(second);
        assertThat(waiting).isCompleted();
    }

    @Test
    void aRenderLargerThanTheWholeBudgetFailsBeforeItsSourceIsRead() {
        byte[] png = TestImages.png(400, 300);
        // 400 x 300 decoded pixels need about 1 MB by the estimate; the budget is 64 KiB.
        ImageEngine engine = new ImageEngine(new ImageLimits(50_000_000, 10), ImageEngine.NativeJpeg.OFF, 64 << 10);
        AtomicBoolean read = new AtomicBoolean();

        assertThatThrownBy(() -> engine.render(new ImageInfo(ImageFormat.PNG, 400, 300, 1), png.length, () -> {
            read.set(true);
            return png;
        }, List.of(FULL_SIZE)))
                .isInstanceOfSatisfying(ImageException.ImageTooLargeException.class, e -> {
                    assertThat(e.code()).isEqualTo("image-too-large");
                    assertThat(e.limit()).isEqualTo(64 << 10);
                    assertThat(e.getMessage()).contains("stillwater.engine.memory-budget");
                });
        assertThat(read).as("the source was never read").isFalse();
        // The same render fits a budget of its size.
        ImageEngine roomy = new ImageEngine(new ImageLimits(50_000_000, 10), ImageEngine.NativeJpeg.OFF, 8 << 20);
        assertThat(roomy.render(png, List.of(FULL_SIZE))).hasSize(1);
    }

    @Test
    void theEstimateCountsThePixelsDecodedAtTheReducedSize() {
        ImageInfo info = new ImageInfo(ImageFormat.JPEG, 8000, 6000, 1);

        assertThat(ImageEngine.estimate(info, false, 1)).isEqualTo(8000L * 6000 * ImageEngine.BYTES_PER_DECODED_PIXEL);
        // 1000 px of 8000: ImageIO subsamples by 4, libjpeg-turbo scales by 1/8 but may fall back to ImageIO's 4.
        assertThat(ImageEngine.estimate(info, false, 0.125)).isEqualTo(2000L * 1500 * ImageEngine.BYTES_PER_DECODED_PIXEL);
        assertThat(ImageEngine.estimate(info, true, 0.125)).isEqualTo(2000L * 1500 * ImageEngine.BYTES_PER_DECODED_PIXEL);
    }
}
