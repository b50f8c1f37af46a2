package io.stillwater.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stillwater.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageEngineTest {

    private final ImageEngine engine = new ImageEngine(50_000_000);
    private final ImageInspector inspector = new ImageInspector();

    @Test
    void fitInsideKeepsTheWholeImageWithinTheBox() throws IOException {
        Rendition out = renderOne(TestImages.jpeg(1200, 800), resize(300, 300, Resize.Fit.INSIDE, null), ImageFormat.JPEG);

        assertThat(out.width()).isEqualTo(300);
        assertThat(out.height()).isEqualTo(200);
        assertThat(decode(out)).extracting(BufferedImage::getWidth, BufferedImage::getHeight).containsExactly(300, 200);
    }

    @Test
    void fitCoverFillsTheBoxAndCropsAroundTheCentre() throws IOException {
        byte[] source = TestImages.encode(TestImages.quadrants(1200, 800), "png");

        Rendition out = renderOne(source, resize(300, 300, Resize.Fit.COVER, null), ImageFormat.PNG);

        BufferedImage image = decode(out);
        assertThat(image.getWidth()).isEqualTo(300);
        assertThat(image.getHeight()).isEqualTo(300);
        // The 3:2 source loses equal strips left and right: the quadrant boundary stays in the middle.
        assertColour(image, 75, 75, Color.RED);
        assertColour(image, 225, 75, Color.GREEN);
        assertColour(image, 75, 225, Color.BLUE);
        assertColour(image, 225, 225, Color.WHITE);
    }

    @Test
    void oneSideGivenScalesTheOtherInProportion() {
        assertThat(renderOne(TestImages.jpeg(1000, 500), resize(400, null, null, null), ImageFormat.JPEG))
                .extracting(Rendition::width, Rendition::height).containsExactly(400, 200);
        assertThat(renderOne(TestImages.jpeg(1000, 500), resize(null, 100, Resize.Fit.COVER, null), ImageFormat.JPEG))
                .extracting(Rendition::width, Rendition::height).containsExactly(200, 100);
    }

    @Test
    void neverEnlargesUnlessAsked() {
        byte[] small = TestImages.jpeg(200, 100);

        assertThat(renderOne(small, resize(400, 400, Resize.Fit.INSIDE, null), ImageFormat.JPEG))
                .extracting(Rendition::width, Rendition::height).containsExactly(200, 100);
        assertThat(renderOne(small, resize(400, 400, Resize.Fit.INSIDE, true), ImageFormat.JPEG))
                .extracting(Rendition::width, Rendition::height).containsExactly(400, 200);
        // Cover without enlarging keeps the box's shape at the largest size the source fills.
        assertThat(renderOne(small, resize(400, 400, Resize.Fit.COVER, null), ImageFormat.JPEG))
                .extracting(Rendition::width, Rendition::height).containsExactly(100, 100);
        assertThat(renderOne(small, resize(400, 400, Resize.Fit.COVER, true), ImageFormat.JPEG))
                .extracting(Rendition::width, Rendition::height).containsExactly(400, 400);
    }

    /**
     * The stored image has red at its top-left and green at its top-right; each EXIF orientation says
     * where those corners belong on screen.
     */
    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({
        "1, top-left, top-right",
        "2, top-right, top-left",
        "3, bottom-right, bottom-left",
        "4, bottom-left, bottom-right",
        "5, top-left, bottom-left",
        "6, top-right, bottom-right",
        "7, bottom-right, top-right",
        "8, bottom-left, top-left"
    })
    void appliesEveryExifOrientationBeforeTheOperations(int orientation, String redCorner, String greenCorner)
            throws IOException {
        byte[] source = TestImages.withExifOrientation(TestImages.encode(TestImages.quadrants(160, 80), "jpeg"), orientation);

        Rendition out = renderOne(source, null, ImageFormat.PNG);

        BufferedImage image = decode(out);
        boolean turned = orientation >= 5;
        assertThat(image.getWidth()).isEqualTo(turned ? 80 : 160);
        assertThat(image.getHeight()).isEqualTo(turned ? 160 : 80);
        assertCorner(image, redCorner, Color.RED);
        assertCorner(image, greenCorner, Color.GREEN);
        assertThat(inspector.inspect(out.data()).orientation()).as("the rendition carries no EXIF").isEqualTo(1);
    }

    @Test
    void aTruncatedJpegFailsAsCorruptInsteadOfRenderingGreyBands() {
        byte[] truncated = TestImages.truncated(TestImages.jpeg(800, 600), 0.5);

        assertThatThrownBy(() -> renderOne(truncated, resize(100, 100, null, null), ImageFormat.JPEG))
                .isInstanceOf(ImageException.class)
                .extracting(e -> ((ImageException) e).code()).isEqualTo("corrupt-image");
    }

    @Test
    void aTruncatedPngFailsAsCorrupt() {
        byte[] truncated = TestImages.truncated(TestImages.png(800, 600), 0.5);

        assertThatThrownBy(() -> renderOne(truncated, resize(100, 100, null, null), ImageFormat.PNG))
                .isInstanceOf(ImageException.class)
                .extracting(e -> ((ImageException) e).code()).isEqualTo("corrupt-image");
    }

    @Test
    void refusesToDecodeASourceOverThePixelLimit() {
        ImageEngine strict = new ImageEngine(100 * 100);

        assertThatThrownBy(() -> strict.render(TestImages.jpeg(101, 100), List.of(output(null, ImageFormat.JPEG, 80))))
                .isInstanceOf(ImageException.ImageTooLargeException.class)
                .hasMessageContaining("10100");
    }

    @Test
    void keepsTransparencyInPngAndFlattensItOntoWhiteInJpeg() throws IOException {
        BufferedImage transparent = new BufferedImage(40, 40, BufferedImage.TYPE_INT_ARGB);
        byte[] source = TestImages.encode(transparent, "png");

        BufferedImage png = decode(renderOne(source, null, ImageFormat.PNG));
        BufferedImage jpeg = decode(renderOne(source, null, ImageFormat.JPEG));

        assertThat(png.getColorModel().hasAlpha()).isTrue();
        assertThat(png.getRGB(20, 20) >>> 24).isZero();
        assertColour(jpeg, 20, 20, Color.WHITE);
    }

    @Test
    void qualityTradesBytesForFidelity() {
        byte[] source = TestImages.jpeg(800, 600);

        Rendition low = engine.render(source, List.of(output(null, ImageFormat.JPEG, 20))).get(0);
        Rendition high = engine.render(source, List.of(output(null, ImageFormat.JPEG, 95))).get(0);

        assertThat(low.data().length).isLessThan(high.data().length * 7 / 10);
    }

    @Test
    void writesRealWebp() throws IOException {
        Rendition out = renderOne(TestImages.jpeg(640, 480), resize(320, null, null, null), ImageFormat.WEBP);

        assertThat(ImageFormat.sniff(out.data())).contains(ImageFormat.WEBP);
        assertThat(decode(out)).extracting(BufferedImage::getWidth, BufferedImage::getHeight).containsExactly(320, 240);
    }

    @Test
    void decodesOnceForSeveralOutputs() {
        List<Rendition> out = engine.render(TestImages.jpeg(1200, 900), List.of(
                new OutputSpec("a", List.of(resize(300, 300, Resize.Fit.COVER, null)), ImageFormat.JPEG, 80),
                new OutputSpec("b", List.of(resize(600, null, null, null)), ImageFormat.PNG, null)));

        assertThat(out).extracting(Rendition::name, Rendition::width, Rendition::height)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 300, 300),
                        org.assertj.core.groups.Tuple.tuple("b", 600, 450));
    }

    @Test
    void decodesALargeDownscaleAtReducedResolutionButNeverBelowTwiceTheOutput() {
        ImageInfo source = new ImageInfo(ImageFormat.JPEG, 5000, 4000, 1);

        assertThat(ImageEngine.subsampling(source, List.of(output(resize(256, 256, Resize.Fit.COVER, null), ImageFormat.JPEG, 80))))
                .isEqualTo(7); // 4000 / 7 = 571 ≥ 2 × 256
        assertThat(ImageEngine.subsampling(source, List.of(output(resize(3000, null, null, null), ImageFormat.JPEG, 80))))
                .isEqualTo(1);
        assertThat(ImageEngine.subsampling(source, List.of(output(null, ImageFormat.JPEG, 80)))).isEqualTo(1);
    }

    private Rendition renderOne(byte[] source, Resize resize, ImageFormat format) {
        return engine.render(source, List.of(output(resize, format, 90))).get(0);
    }

    private static OutputSpec output(Resize resize, ImageFormat format, Integer quality) {
        return new OutputSpec("out", resize == null ? List.of() : List.of(resize), format, quality);
    }

    private static Resize resize(Integer width, Integer height, Resize.Fit fit, Boolean enlarge) {
        return new Resize(width, height, fit, enlarge);
    }

    private static BufferedImage decode(Rendition rendition) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(rendition.data()));
    }

    private static void assertCorner(BufferedImage image, String corner, Color expected) {
        int x = corner.endsWith("left") ? image.getWidth() / 4 : image.getWidth() * 3 / 4;
        int y = corner.startsWith("top") ? image.getHeight() / 4 : image.getHeight() * 3 / 4;
        assertColour(image, x, y, expected);
    }

    private static void assertColour(BufferedImage image, int x, int y, Color expected) {
        Color actual = new Color(image.getRGB(x, y));
        assertThat(Math.abs(actual.getRed() - expected.getRed())
                        + Math.abs(actual.getGreen() - expected.getGreen())
                        + Math.abs(actual.getBlue() - expected.getBlue()))
                .as("colour at (%d, %d) is %s, expected %s", x, y, actual, expected)
                .isLessThan(60);
    }
}
