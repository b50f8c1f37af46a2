package io.stillwater.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import io.stillwater.CraftedImages;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Limits are judged from the header before any pixel is decoded: a few bytes claiming a huge image,
 * or an animation declaring more frames than allowed, are refused without the memory they ask for.
 */
class ImageLimitsTest {

    /** Far below the 10.8 GB that 60000 × 60000 packed RGB pixels would take. */
    private static final long MAX_ALLOCATION = 64L * 1024 * 1024;

    private final ImageEngine engine = new ImageEngine(new ImageLimits(50_000_000, 2));

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg"})
    void aTinyFileClaiming60000By60000PixelsIsRefusedWithoutAllocatingThem(String format) {
        byte[] claim = format.equals("png") ? CraftedImages.pngHeaderOnly(60_000, 60_000)
                : CraftedImages.jpegHeaderOnly(60_000, 60_000);
        assertThat(claim.length).isLessThan(100);

        ImageInfo info = new ImageInspector().inspect(claim);
        assertThat(info.pixels()).as("computed in long, past int's range").isEqualTo(3_600_000_000L);

        long before = allocatedBytes();
        assertThatThrownBy(() -> engine.render(claim, List.of(new OutputSpec("out", List.of(), ImageFormat.JPEG, 80))))
                .isInstanceOf(ImageException.ImageTooLargeException.class)
                .hasMessageContaining("60000 × 60000")
                .extracting(e -> ((ImageException) e).code()).isEqualTo("image-too-large");
        assertThat(allocatedBytes() - before).as("bytes allocated while refusing").isLessThan(MAX_ALLOCATION);
    }

    @Test
    void anAnimatedGifOverTheFrameLimitIsRefusedAndOneWithinItRenders() {
        byte[] three = CraftedImages.animatedGif(8, 8, 0xFF0000, 0x00FF00, 0x0000FF);
        byte[] two = CraftedImages.animatedGif(8, 8, 0xFF0000, 0x00FF00);

        assertThatThrownBy(() -> engine.render(three, List.of(new OutputSpec("out", List.of(), ImageFormat.PNG, null))))
                .isInstanceOf(ImageException.ImageTooLargeException.class)
                .hasMessageContaining("3 frames")
                .satisfies(e -> assertThat(((ImageException.ImageTooLargeException) e).limit()).isEqualTo(2));
        assertThat(engine.render(two, List.of(new OutputSpec("out", List.of(), ImageFormat.PNG, null)))).hasSize(1);
    }

    @Test
    void anAnimatedWebpDeclaringManyFramesIsRefusedFromItsChunksAlone() {
        byte[] webp = CraftedImages.animatedWebpContainer(100, 80, 5000);

        ImageInfo info = new ImageInspector().inspect(webp);

        assertThat(info.frames()).isEqualTo(5000);
        assertThat(info.width()).isEqualTo(100);
        assertThatThrownBy(() -> engine.render(webp, List.of(new OutputSpec("out", List.of(), ImageFormat.PNG, null))))
                .isInstanceOf(ImageException.ImageTooLargeException.class)
                .hasMessageContaining("5000 frames");
    }

    @Test
    void stillImagesCountOneFrame() {
        assertThat(FrameCounter.count(ImageFormat.PNG, CraftedImages.pngHeaderOnly(10, 10))).isEqualTo(1);
        assertThat(FrameCounter.count(ImageFormat.GIF, CraftedImages.animatedGif(4, 4, 0xFFFFFF))).isEqualTo(1);
    }

    @Test
    void aGifFrameLargerThanItsLogicalScreenIsJudgedByTheFrame() {
        // The header says 10 x 10; the one frame's image descriptor, what a decoder allocates, 40000 x 40000.
        byte[] gif = CraftedImages.gifWithFrame(10, 10, 40_000, 40_000);

        assertThat(new ImageInspector().inspect(gif).pixels()).isEqualTo(1_600_000_000L);
        long before = allocatedBytes();
        assertThatThrownBy(() -> engine.render(gif, List.of(new OutputSpec("out", List.of(), ImageFormat.PNG, null))))
                .isInstanceOf(ImageException.ImageTooLargeException.class)
                .hasMessageContaining("40000 × 40000");
        assertThat(allocatedBytes() - before).as("bytes allocated while refusing").isLessThan(MAX_ALLOCATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zTXt", "iTXt"})
    void aPngTextChunkInflatingToGigabytesIsNeverInflated(String type) {
        // 256 KB of zlib data that inflates to 256 MiB of text, beside ordinary pixels.
        byte[] png = CraftedImages.withPngChunk(io.stillwater.TestImages.png(64, 48), type,
                CraftedImages.pngTextChunk(type, "Comment", CraftedImages.deflatedZeros(1L << 28)));

        long before = allocatedBytes();
        ImageInfo info = new ImageInspector().inspect(png);
        List<Rendition> out = engine.render(png, List.of(new OutputSpec("out", List.of(), ImageFormat.PNG, null)));

        assertThat(info.width()).isEqualTo(64);
        assertThat(out.get(0).width()).isEqualTo(64);
        assertThat(allocatedBytes() - before).as("bytes allocated inspecting and rendering").isLessThan(MAX_ALLOCATION);
    }

    @Test
    void aJpegWithThousandsOfProfileSegmentsIsInspectedWithoutJoiningThem() {
        // 700 APP2 ICC_PROFILE chunks of 64 KB (45 MB): the metadata library would join them in quadratic time.
        byte[] chunk = CraftedImages.concat("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                new byte[] {1, (byte) 200}, new byte[65_000]);
        byte[] jpeg = CraftedImages.withJpegSegments(io.stillwater.TestImages.jpeg(64, 48), 0xE2, chunk, 700);

        long before = allocatedBytes();
        ImageInfo info = new ImageInspector().inspect(jpeg);

        assertThat(info.width()).isEqualTo(64);
        assertThat(allocatedBytes() - before).as("bytes allocated inspecting a 45 MB file").isLessThan(MAX_ALLOCATION);
    }

    @Test
    void anOutputThatWouldEnlargeAnExtremeAspectRatioPastThePixelLimitIsRefusedBeforeAllocating() {
        // 2 x 20000 pixels, 8192 wide: the height follows as 81,920,000, 671 gigapixels in all.
        byte[] sliver = io.stillwater.TestImages.png(2, 20_000);
        OutputSpec wide = new OutputSpec("wide", List.of(new Resize(8192, null, Resize.Fit.INSIDE, true)),
                ImageFormat.JPEG, 80);

        long before = allocatedBytes();
        assertThatThrownBy(() -> engine.render(sliver, List.of(wide)))
                .isInstanceOf(ImageException.ImageTooLargeException.class)
                // Counted first against the memory budget (the estimate includes the largest output), then
                // against the pixel limit; either refuses it before a pixel is allocated.
                .hasMessageMatching("(?s).*(output wide would be 671088640000 pixels|needs about \\d+ MiB of memory).*");
        assertThat(allocatedBytes() - before).as("bytes allocated while refusing").isLessThan(MAX_ALLOCATION);
        // Within the limit, enlarging still works.
        assertThat(engine.render(sliver, List.of(new OutputSpec("ok",
                List.of(new Resize(4, null, Resize.Fit.INSIDE, true)), ImageFormat.PNG, null))).get(0).height())
                .isEqualTo(40_000);
    }

    private static long allocatedBytes() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
