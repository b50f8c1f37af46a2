package io.stillwater.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stillwater.TestImages;
import java.awt.Color;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every operation on images whose expected pixels are known. The quadrant image is red top-left,
 * green top-right, blue bottom-left and white bottom-right, so each turn, mirror and crop has one
 * right answer.
 */
class ImageOperationsTest {

    private static final BufferedImage QUADRANTS = TestImages.quadrants(200, 100);

    @ParameterizedTest(name = "rotate {0}")
    @CsvSource({
        "90, BLUE, RED, WHITE, GREEN",
        "180, WHITE, BLUE, GREEN, RED",
        "270, GREEN, WHITE, RED, BLUE"
    })
    void rotateTurnsClockwise(int angle, String topLeft, String topRight, String bottomLeft, String bottomRight) {
        BufferedImage out = new Rotate(angle).applyTo(QUADRANTS);

        assertThat(out.getWidth()).isEqualTo(angle == 180 ? 200 : 100);
        assertThat(out.getHeight()).isEqualTo(angle == 180 ? 100 : 200);
        assertQuadrants(out, topLeft, topRight, bottomLeft, bottomRight);
    }

    @Test
    void flipMirrorsTopToBottomAndFlopLeftToRight() {
        assertQuadrants(new Flip().applyTo(QUADRANTS), "BLUE", "WHITE", "RED", "GREEN");
        assertQuadrants(new Flop().applyTo(QUADRANTS), "GREEN", "RED", "WHITE", "BLUE");
    }

    @Test
    void cropByBoxKeepsExactlyTheBox() {
        BufferedImage out = new Crop(50, 0, 100, 50, null).applyTo(QUADRANTS);

        assertThat(out.getWidth()).isEqualTo(100);
        assertThat(out.getHeight()).isEqualTo(50);
        assertColour(out, 10, 25, Color.RED);
        assertColour(out, 90, 25, Color.GREEN);
    }

    @Test
    void cropByBoxIsClampedToTheImageAndFailsOnlyWhenNothingIsLeft() {
        BufferedImage clamped = new Crop(150, 50, 100, 100, null).applyTo(QUADRANTS);

        assertThat(clamped.getWidth()).isEqualTo(50);
        assertThat(clamped.getHeight()).isEqualTo(50);
        assertColour(clamped, 25, 25, Color.WHITE);
        assertThatThrownBy(() -> new Crop(200, 0, 10, 10, null).applyTo(QUADRANTS))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("outside")
                .extracting(e -> ((ImageException) e).code()).isEqualTo("invalid-spec");
    }

    @ParameterizedTest(name = "gravity {0}")
    @CsvSource({
        "NORTHWEST, RED", "NORTHEAST, GREEN", "SOUTHWEST, BLUE", "SOUTHEAST, WHITE",
    })
    void cropByGravityKeepsThatCorner(Gravity gravity, String colour) {
        BufferedImage out = new Crop(null, null, 100, 50, gravity).applyTo(QUADRANTS);

        assertThat(out.getWidth()).isEqualTo(100);
        assertThat(out.getHeight()).isEqualTo(50);
        assertColour(out, 5, 5, named(colour));
        assertColour(out, 95, 45, named(colour));
    }

    @Test
    void cropByCompassEdgeKeepsTheMiddleOfThatEdge() {
        BufferedImage north = new Crop(null, null, 100, 50, Gravity.NORTH).applyTo(QUADRANTS);
        BufferedImage west = new Crop(null, null, 100, 50, Gravity.WEST).applyTo(QUADRANTS);
        BufferedImage centre = new Crop(null, null, 100, 50, null).applyTo(QUADRANTS);

        assertQuadrants(north, "RED", "GREEN", "RED", "GREEN");
        assertQuadrants(west, "RED", "RED", "BLUE", "BLUE");
        assertQuadrants(centre, "RED", "GREEN", "BLUE", "WHITE");
    }

    @Test
    void attentionFindsTheOneDetailedPatchOfAnOtherwiseFlatImage() {
        BufferedImage image = TestImages.flatWithTexturedPatch(400, 200, 300, 120, 60, 60);

        Point origin = Gravity.ATTENTION.origin(image, 100, 100);
        BufferedImage out = new Crop(null, null, 100, 100, Gravity.ATTENTION).applyTo(image);

        assertThat(origin.x).isBetween(360 - 100, 300);
        assertThat(origin.y).isBetween(180 - 100, 100);
        assertThat(out.getWidth()).isEqualTo(100);
        assertThat(variance(out)).isGreaterThan(variance(new Crop(null, null, 100, 100, null).applyTo(image)) * 10);
    }

    @Test
    void attentionOnAFlatImageCropsTheCentre() {
        BufferedImage flat = TestImages.flatWithTexturedPatch(300, 100, 0, 0, 0, 0);

        assertThat(Gravity.ATTENTION.origin(flat, 100, 100)).isEqualTo(new Point(100, 0));
    }

    @Test
    void coverCropsWhereGravitySays() {
        BufferedImage wide = TestImages.quadrants(400, 100);

        assertQuadrants(resize(100, 100, Resize.Fit.COVER, null, Gravity.EAST, null).applyTo(wide),
                "GREEN", "GREEN", "WHITE", "WHITE");
        assertQuadrants(resize(100, 100, Resize.Fit.COVER, null, Gravity.WEST, null).applyTo(wide),
                "RED", "RED", "BLUE", "BLUE");
        BufferedImage detailed = TestImages.flatWithTexturedPatch(400, 100, 20, 20, 60, 60);
        BufferedImage out = resize(100, 100, Resize.Fit.COVER, null, Gravity.ATTENTION, null).applyTo(detailed);
        assertThat(variance(out)).isGreaterThan(100);
    }

    @Test
    void fillStretchesToExactlyTheBox() {
        BufferedImage out = resize(50, 80, Resize.Fit.FILL, null, null, null).applyTo(QUADRANTS);

        assertThat(out.getWidth()).isEqualTo(50);
        assertThat(out.getHeight()).isEqualTo(80);
        assertQuadrants(out, "RED", "GREEN", "BLUE", "WHITE");
    }

    @Test
    void fillEnlargesOnlyWhenAsked() {
        BufferedImage small = TestImages.quadrants(100, 50);

        BufferedImage kept = resize(400, 400, Resize.Fit.FILL, null, null, null).applyTo(small);
        BufferedImage enlarged = resize(400, 400, Resize.Fit.FILL, true, null, null).applyTo(small);

        assertThat(kept).extracting(BufferedImage::getWidth, BufferedImage::getHeight).containsExactly(50, 50);
        assertThat(enlarged).extracting(BufferedImage::getWidth, BufferedImage::getHeight).containsExactly(400, 400);
    }

    @Test
    void containFitsInsideAndPadsWithTheBackground() {
        BufferedImage red = TestImages.solid(200, 100, Color.RED);

        BufferedImage out = resize(100, 100, Resize.Fit.CONTAIN, null, null, "#00ff00").applyTo(red);
        BufferedImage white = resize(100, 100, Resize.Fit.CONTAIN, null, null, null).applyTo(red);

        assertThat(out).extracting(BufferedImage::getWidth, BufferedImage::getHeight).containsExactly(100, 100);
        assertColour(out, 50, 5, Color.GREEN);
        assertColour(out, 50, 95, Color.GREEN);
        assertColour(out, 50, 50, Color.RED);
        assertColour(white, 50, 5, Color.WHITE);
    }

    @Test
    void containPadsAnImageItMustNotEnlargeAndCanPadTransparently() {
        BufferedImage red = TestImages.solid(40, 20, Color.RED);

        BufferedImage out = resize(100, 100, Resize.Fit.CONTAIN, null, null, "#00000000").applyTo(red);

        assertThat(out).extracting(BufferedImage::getWidth, BufferedImage::getHeight).containsExactly(100, 100);
        assertThat(out.getColorModel().hasAlpha()).isTrue();
        assertThat(out.getRGB(5, 5) >>> 24).isZero();
        assertColour(out, 50, 50, Color.RED);
        assertColour(out, 31, 41, Color.RED); // the 40 × 20 source sits centred, unscaled
        assertThat(out.getRGB(29, 50) >>> 24).isZero();
    }

    @Test
    void grayscaleGivesEqualChannels() {
        BufferedImage out = new Grayscale().applyTo(TestImages.picture(120, 80));

        for (int y = 0; y < out.getHeight(); y += 7) {
            for (int x = 0; x < out.getWidth(); x += 7) {
                Color c = new Color(out.getRGB(x, y));
                assertThat(c.getRed()).isEqualTo(c.getGreen()).isEqualTo(c.getBlue());
            }
        }
        assertColour(new Grayscale().applyTo(TestImages.solid(4, 4, Color.GREEN)), 1, 1, new Color(182, 182, 182));
    }

    @Test
    void blurReducesVarianceAndKeepsTheSize() {
        BufferedImage noise = TestImages.noise(120, 90, 7);

        BufferedImage slight = new Blur(1.0).applyTo(noise);
        BufferedImage strong = new Blur(4.0).applyTo(noise);
        BufferedImage wide = new Blur(40.0).applyTo(noise);

        assertThat(slight).extracting(BufferedImage::getWidth, BufferedImage::getHeight).containsExactly(120, 90);
        assertThat(wide).extracting(BufferedImage::getWidth, BufferedImage::getHeight).containsExactly(120, 90);
        assertThat(variance(slight)).isLessThan(variance(noise) / 2);
        assertThat(variance(strong)).isLessThan(variance(slight) / 4);
        assertThat(variance(wide)).isLessThan(variance(strong));
        // A flat image stays exactly as it is: the kernel sums to one.
        assertColour(new Blur(3.0).applyTo(TestImages.solid(30, 30, Color.ORANGE)), 0, 0, Color.ORANGE);
    }

    @Test
    void blurDoesNotBleedTheColourOfTransparentPixels() {
        BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                image.setRGB(x, y, x < 20 ? 0x00FF0000 : 0xFF0000FF); // invisible red beside opaque blue
            }
        }

        BufferedImage out = new Blur(2.0).applyTo(image);

        Color edge = new Color(out.getRGB(19, 20), true);
        assertThat(edge.getAlpha()).isBetween(60, 200);
        assertThat(edge.getRed()).isLessThan(10);
        assertThat(edge.getBlue()).isGreaterThan(245);
    }

    @Test
    void sharpenRaisesContrastAcrossAnEdge() {
        BufferedImage soft = new Blur(1.5).applyTo(TestImages.step(60, 20, new Color(90, 90, 90), new Color(160, 160, 160)));

        BufferedImage sharp = new Sharpen(null).applyTo(soft);
        BufferedImage sharper = new Sharpen(2.0).applyTo(soft);

        assertThat(edgeContrast(sharp)).isGreaterThan(edgeContrast(soft));
        assertThat(edgeContrast(sharper)).isGreaterThan(edgeContrast(sharp));
        // The unsharp mask's overshoot: darker than the dark side just before the edge, brighter after.
        assertThat(grey(sharp, 28)).isLessThan(grey(soft, 28));
        assertThat(grey(sharp, 31)).isGreaterThan(grey(soft, 31));
        // Away from the edge nothing changes.
        assertColour(sharp, 3, 10, new Color(90, 90, 90));
    }

    @Test
    void operationsRunInOrderAfterOrientation() {
        ImageEngine engine = new ImageEngine(50_000_000);
        byte[] source = TestImages.encode(QUADRANTS, "png");

        Rendition out = engine.render(source, List.of(new OutputSpec("out",
                List.of(new Rotate(90), new Crop(null, null, 100, 100, Gravity.NORTH), new Flop()), ImageFormat.PNG, null)))
                .get(0);

        BufferedImage image = TestImages.decode(out.data());
        assertThat(image.getWidth()).isEqualTo(100);
        assertThat(image.getHeight()).isEqualTo(100);
        // Rotated: blue | red on top; the north square is that top half; flopped: red | blue.
        assertColour(image, 25, 50, Color.RED);
        assertColour(image, 75, 50, Color.BLUE);
    }

    private static Resize resize(Integer width, Integer height, Resize.Fit fit, Boolean enlarge, Gravity gravity,
            String background) {
        return new Resize(width, height, fit, enlarge, gravity, background);
    }

    /** The rise across the four pixels around the edge (between columns 29 and 30): how hard it is. */
    private static int edgeContrast(BufferedImage image) {
        return grey(image, 31) - grey(image, 28);
    }

    private static int grey(BufferedImage image, int x) {
        return image.getRGB(x, image.getHeight() / 2) & 0xFF;
    }

    static double variance(BufferedImage image) {
        int[] rgb = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        double sum = 0;
        double squares = 0;
        for (int p : rgb) {
            int g = (p >> 8) & 0xFF;
            sum += g;
            squares += (double) g * g;
        }
        double mean = sum / rgb.length;
        return squares / rgb.length - mean * mean;
    }

    private static void assertQuadrants(BufferedImage image, String topLeft, String topRight, String bottomLeft,
            String bottomRight) {
        int w = image.getWidth();
        int h = image.getHeight();
        assertColour(image, w / 4, h / 4, named(topLeft));
        assertColour(image, w * 3 / 4, h / 4, named(topRight));
        assertColour(image, w / 4, h * 3 / 4, named(bottomLeft));
        assertColour(image, w * 3 / 4, h * 3 / 4, named(bottomRight));
    }

    private static Color named(String name) {
        return switch (name) {
            case "RED" -> Color.RED;
            case "GREEN" -> Color.GREEN;
            case "BLUE" -> Color.BLUE;
            case "WHITE" -> Color.WHITE;
            default -> throw new IllegalArgumentException(name);
        };
    }

    static void assertColour(BufferedImage image, int x, int y, Color expected) {
        Color actual = new Color(image.getRGB(x, y));
        assertThat(Math.abs(actual.getRed() - expected.getRed())
                        + Math.abs(actual.getGreen() - expected.getGreen())
                        + Math.abs(actual.getBlue() - expected.getBlue()))
                .as("colour at (%d, %d) is %s, expected %s", x, y, actual, expected)
                .isLessThan(30);
    }
}
