package io.stillwater.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stillwater.CraftedImages;
import io.stillwater.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two JPEG paths: the pure-Java one (ImageIO), which runs everywhere, and libjpeg-turbo's, tested
 * where {@code libturbojpeg.so.0} is installed (Debian: {@code libturbojpeg0}) and skipped elsewhere.
 */
class ImageJpegPathsTest {

    private static final ImageLimits LIMITS = new ImageLimits(50_000_000, ImageLimits.DEFAULT_MAX_FRAMES);
    private static final int[] CYAN_INK = {255, 0, 0, 0};
    private static final int[] RED_INK = {0, 255, 255, 0};

    @Test
    void chooseHowMuchSmallerToDecodeFromTheOutputs() {
        ImageInfo source = new ImageInfo(ImageFormat.JPEG, 6000, 3000, 1);
        // Inside a 1024 box: the width decides (1024 / 6000); cover: the height (256 / 3000).
        double inside = ImageEngine.fraction(source, List.of(output(new Resize(1024, 1024, Resize.Fit.INSIDE, null))));
        double cover = ImageEngine.fraction(source, List.of(output(new Resize(256, 256, Resize.Fit.COVER, null))));
        assertThat(inside).isCloseTo(1024 / 6000.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(cover).isCloseTo(256 / 3000.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ImageEngine.fraction(source, List.of(output(null)))).isEqualTo(1);

        // DCT scaling decodes at least as large as the output: 6000 / 4 = 1500 ≥ 1024, 3000 / 8 = 375 ≥ 256.
        assertThat(ImageEngine.dctDenominator(inside)).isEqualTo(4);
        assertThat(ImageEngine.dctDenominator(cover)).isEqualTo(8);
        assertThat(ImageEngine.dctDenominator(0.5)).isEqualTo(2);
        assertThat(ImageEngine.dctDenominator(0.51)).isEqualTo(1);
        assertThat(ImageEngine.dctDenominator(1)).isEqualTo(1);
        // ImageIO's subsampling keeps twice the output: 6000 / 2 = 3000 ≥ 2 × 1024.
        assertThat(ImageEngine.subsampling(source, List.of(output(new Resize(1024, 1024, Resize.Fit.INSIDE, null)))))
                .isEqualTo(2);
    }

    /** The pure-Java path, as it runs where libjpeg-turbo is missing or turned off. */
    @Nested
    class PureJava {

        private final ImageEngine engine = new ImageEngine(LIMITS, ImageEngine.NativeJpeg.OFF);

        @Test
        void isUsedWhenTurnedOff() {
            assertThat(engine.usesTurboJpeg()).isFalse();
        }

        @Test
        void decodesResizesAndEncodesJpeg() {
            Rendition out = engine.render(TestImages.jpeg(1600, 1200),
                    List.of(output(new Resize(400, 400, Resize.Fit.INSIDE, null)))).get(0);

            assertThat(out.width()).isEqualTo(400);
            assertThat(out.height()).isEqualTo(300);
            BufferedImage decoded = TestImages.decode(out.data());
            assertThat(decoded.getWidth()).isEqualTo(400);
            assertThat(decoded.getHeight()).isEqualTo(300);
        }

        @Test
        void failsATruncatedJpegAsCorrupt() {
            byte[] truncated = TestImages.truncated(TestImages.jpeg(800, 600), 0.5);

            assertThatThrownBy(() -> engine.render(truncated, List.of(output(new Resize(100, 100, null, null)))))
                    .isInstanceOf(ImageException.class)
                    .extracting(e -> ((ImageException) e).code()).isEqualTo("corrupt-image");
        }
    }

    /** libjpeg-turbo's path; each test is skipped where the library is not installed. */
    @Nested
    class TurboJpegPath {

        private final ImageEngine engine = new ImageEngine(LIMITS, ImageEngine.NativeJpeg.AUTO);

        private void assumeInstalled() {
            assumeTrue(ImageEngine.turboJpegAvailable(),
                    "libjpeg-turbo (libturbojpeg.so.0, Debian package libturbojpeg0) is not installed: "
                            + "its path is not tested here, the pure-Java path is");
        }

        @Test
        void isUsedByDefaultWhenInstalled() {
            assumeInstalled();
            assertThat(engine.usesTurboJpeg()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 4, 8})
        void decodesToTheSizeAndColoursOfTheJavaPath(int denominator) {
            assumeInstalled();
            byte[] jpeg = TestImages.encode(TestImages.quadrants(803, 601), "jpeg");
            ImageInfo info = new ImageInspector().inspect(jpeg);

            BufferedImage fast = Decoder.decodeJpeg(jpeg, info, 1, denominator);
            BufferedImage java = Decoder.decode(jpeg, info, 1);

            assertThat(fast.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
            assertThat(fast.getWidth()).isEqualTo((803 + denominator - 1) / denominator);
            assertThat(fast.getHeight()).isEqualTo((601 + denominator - 1) / denominator);
            // The middle of each quadrant, away from the edges that DCT scaling blends.
            for (double fx : new double[] {0.25, 0.75}) {
                for (double fy : new double[] {0.25, 0.75}) {
                    assertNear(fast.getRGB((int) (fast.getWidth() * fx), (int) (fast.getHeight() * fy)),
                            java.getRGB((int) (803 * fx), (int) (601 * fy)), 6);
                }
            }
        }

        @Test
        void decodesAProgressiveJpegAtAnEighthAsTheJavaPathDoes() {
            assumeInstalled();
            byte[] source = TestImages.encode(TestImages.quadrants(803, 601), "png");
            byte[] progressive = engine.render(source, List.of(new OutputSpec("p", List.of(), ImageFormat.JPEG, 90, true,
                    null))).get(0).data();
            assertThat(JpegComponents.progressive(progressive)).isTrue();
            ImageInfo info = new ImageInspector().inspect(progressive);

            BufferedImage eighth = Decoder.decodeJpeg(progressive, info, 1, 8);
            BufferedImage full = Decoder.decode(progressive, info, 1);

            assertThat(eighth.getWidth()).isEqualTo(101);
            assertThat(eighth.getHeight()).isEqualTo(76);
            for (double fx : new double[] {0.25, 0.75}) {
                for (double fy : new double[] {0.25, 0.75}) {
                    assertNear(eighth.getRGB((int) (101 * fx), (int) (76 * fy)),
                            full.getRGB((int) (803 * fx), (int) (601 * fy)), 6);
                }
            }
        }

        @Test
        void decodesGreyscaleAndProgressiveJpegs() {
            assumeInstalled();
            BufferedImage grey = new BufferedImage(320, 200, BufferedImage.TYPE_BYTE_GRAY);
            java.awt.Graphics2D g = grey.createGraphics();
            g.setColor(new Color(90, 90, 90));
            g.fillRect(0, 0, 320, 200);
            g.dispose();
            byte[] greyJpeg = TestImages.encode(grey, "jpeg");
            BufferedImage decodedGrey = Decoder.decodeJpeg(greyJpeg, new ImageInspector().inspect(greyJpeg), 1, 2);
            assertThat(decodedGrey.getWidth()).isEqualTo(160);
            assertNear(decodedGrey.getRGB(80, 50), new Color(90, 90, 90).getRGB(), 3);

            Rendition progressive = engine.render(TestImages.jpeg(640, 480), List.of(new OutputSpec("p",
                    List.of(new Resize(320, null, null, null)), ImageFormat.JPEG, 80, true, null))).get(0);
            BufferedImage again = Decoder.decodeJpeg(progressive.data(), new ImageInspector().inspect(progressive.data()),
                    1, 1);
            assertThat(again.getWidth()).isEqualTo(320);
            assertThat(again.getHeight()).isEqualTo(240);
        }

        @Test
        void encodesAValidJpegOfTheRightSizeAndColours() {
            assumeInstalled();
            BufferedImage image = TestImages.quadrants(300, 200);

            byte[] jpeg = TurboJpeg.encode(image, 90, false);

            assertThat(new ImageInspector().inspect(jpeg).format()).isEqualTo(ImageFormat.JPEG);
            BufferedImage decoded = TestImages.decode(jpeg); // ImageIO
            assertThat(decoded.getWidth()).isEqualTo(300);
            assertThat(decoded.getHeight()).isEqualTo(200);
            assertNear(decoded.getRGB(75, 50), image.getRGB(75, 50), 6);
            assertNear(decoded.getRGB(225, 150), image.getRGB(225, 150), 6);
        }

        @Test
        void rendersWhatThePureJavaPathRenders() {
            assumeInstalled();
            byte[] source = TestImages.jpeg(1600, 1200);
            List<OutputSpec> outputs = List.of(output(new Resize(256, 256, Resize.Fit.COVER, null)),
                    output(new Resize(1024, 1024, Resize.Fit.INSIDE, null)));

            List<Rendition> fast = engine.render(source, outputs);
            List<Rendition> java = new ImageEngine(LIMITS, ImageEngine.NativeJpeg.OFF).render(source, outputs);

            for (int i = 0; i < outputs.size(); i++) {
                assertThat(fast.get(i).width()).isEqualTo(java.get(i).width());
                assertThat(fast.get(i).height()).isEqualTo(java.get(i).height());
                BufferedImage a = TestImages.decode(fast.get(i).data());
                BufferedImage b = TestImages.decode(java.get(i).data());
                assertNear(a.getRGB(a.getWidth() / 4, a.getHeight() / 4), b.getRGB(b.getWidth() / 4, b.getHeight() / 4), 12);
            }
        }

        @Test
        void failsATruncatedJpegAsCorrupt() {
            assumeInstalled();
            byte[] truncated = TestImages.truncated(TestImages.jpeg(800, 600), 0.5);

            assertThatThrownBy(() -> engine.render(truncated, List.of(output(new Resize(100, 100, null, null)))))
                    .isInstanceOf(ImageException.class)
                    .extracting(e -> ((ImageException) e).code()).isEqualTo("corrupt-image");
        }

        @Test
        void leavesCmykJpegsToTheJavaPath() {
            assumeInstalled();
            byte[] cmyk = CraftedImages.cmykJpeg(64, 32, CYAN_INK, RED_INK);

            Rendition out = engine.render(cmyk, List.of(new OutputSpec("out", List.of(), ImageFormat.PNG, null))).get(0);
            BufferedImage java = TestImages.decode(new ImageEngine(LIMITS, ImageEngine.NativeJpeg.OFF)
                    .render(cmyk, List.of(new OutputSpec("out", List.of(), ImageFormat.PNG, null))).get(0).data());

            assertThat(TestImages.decode(out.data()).getRGB(16, 16)).isEqualTo(java.getRGB(16, 16));
        }

        @Test
        void refusesAnOversizedHeaderBeforeAnyNativeDecode() {
            assumeInstalled();
            ImageEngine small = new ImageEngine(new ImageLimits(100_000, 10), ImageEngine.NativeJpeg.AUTO);

            assertThatThrownBy(() -> small.render(TestImages.jpeg(800, 600), List.of(output(null))))
                    .isInstanceOf(ImageException.class)
                    .extracting(e -> ((ImageException) e).code()).isEqualTo("image-too-large");
        }
    }

    private static OutputSpec output(Resize resize) {
        return new OutputSpec("out", resize == null ? List.of() : List.of(resize), ImageFormat.JPEG, 80);
    }

    private static void assertNear(int actual, int expected, int tolerance) {
        for (int shift : new int[] {16, 8, 0}) {
            assertThat((actual >> shift) & 0xFF).as("channel at bit %d of #%06x vs #%06x", shift, actual & 0xFFFFFF,
                    expected & 0xFFFFFF).isCloseTo((expected >> shift) & 0xFF, org.assertj.core.data.Offset.offset(tolerance));
        }
    }
}
