package io.stillwater.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The resampler's geometry and pixels on images whose right answer is known: sizes, flat colours,
 * patterns finer than the output can hold, edges that must not move, and alpha.
 */
class ScalerTest {

    private static final int RGB = BufferedImage.TYPE_INT_RGB;
    private static final int ARGB = BufferedImage.TYPE_INT_ARGB;
    private static final int ARGB_PRE = BufferedImage.TYPE_INT_ARGB_PRE;

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
    @CsvSource({
        "5472, 3648, 1024, 683",
        "1368, 912, 1024, 683",
        "1001, 777, 333, 259",
        "7, 5, 3, 2",
        "3, 3, 1, 1",
        "1, 1, 5, 3",
        "1, 9, 4, 2",
        "640, 1, 17, 1",
        "10, 7, 33, 21",
        "99, 101, 100, 100",
        "2, 2000, 2, 7",
        "3000, 2000, 3000, 10",
        "20, 4000, 40, 100"
    })
    void makesExactlyTheSizeAskedForAndKeepsTheType(int sw, int sh, int dw, int dh) {
        for (int type : new int[] {RGB, ARGB, ARGB_PRE}) {
            BufferedImage out = Scaler.scale(new BufferedImage(sw, sh, type), dw, dh);

            assertThat(out.getWidth()).isEqualTo(dw);
            assertThat(out.getHeight()).isEqualTo(dh);
            assertThat(out.getType()).isEqualTo(type);
        }
    }

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
    @CsvSource({
        "1368, 912, 1024, 683",
        "1000, 700, 333, 250",
        "2001, 1003, 400, 300",
        "10, 7, 33, 21",
        "3, 1, 1000, 2",
        "4000, 30, 7, 60"
    })
    void aFlatColourStaysExactlyFlatUpToTheEdges(int sw, int sh, int dw, int dh) {
        int colour = 0x8A3BC9;
        int[] out = pixels(Scaler.scale(filled(sw, sh, RGB, colour), dw, dh));

        for (int p : out) {
            assertThat(p & 0xFFFFFF).isEqualTo(colour);
        }
    }

    /**
     * One-pixel stripes and checks are the finest detail the 1000 px source can hold; at these sizes
     * that is well beyond what the output can hold, so it must be filtered out, not folded into bands.
     * (The outermost two pixels are left out: there the repeated edge pixel is black.)
     */
    @ParameterizedTest(name = "1000 -> {0}")
    @ValueSource(ints = {256, 400, 600})
    void stripesFinerThanTheOutputCanHoldBecomeAnEvenGrey(int size) {
        BufferedImage stripes = new BufferedImage(1000, 40, RGB);
        BufferedImage checks = new BufferedImage(1000, 1000, RGB);
        for (int y = 0; y < 1000; y++) {
            for (int x = 0; x < 1000; x++) {
                if (y < 40) {
                    stripes.setRGB(x, y, x % 2 == 0 ? 0 : 0xFFFFFF);
                }
                checks.setRGB(x, y, (x + y) % 2 == 0 ? 0 : 0xFFFFFF);
            }
        }

        assertEvenGrey(Scaler.scale(stripes, size, 40), 2);
        assertEvenGrey(Scaler.scale(checks, size, size), 2);
    }

    @ParameterizedTest(name = "100 -> {0}")
    @ValueSource(ints = {37, 50, 64, 75, 99, 250})
    void anEdgeStaysWhereItIsWithTheSameFallOnBothSides(int size) {
        BufferedImage image = new BufferedImage(100, 3, RGB);
        for (int x = 50; x < 100; x++) {
            for (int y = 0; y < 3; y++) {
                image.setRGB(x, y, 0xFFFFFF);
            }
        }

        BufferedImage out = Scaler.scale(image, size, 3);

        for (int x = 0; x < size; x++) {
            int left = out.getRGB(x, 1) & 0xFF;
            int mirrored = out.getRGB(size - 1 - x, 1) & 0xFF;
            assertThat(left + mirrored).as("pixel %d and its mirror", x).isBetween(254, 256);
        }
        assertThat(out.getRGB(0, 1) & 0xFF).isZero();
        assertThat(out.getRGB(size - 1, 1) & 0xFF).isEqualTo(255);
        if (size % 2 == 1) {
            assertThat(out.getRGB(size / 2, 1) & 0xFF).isBetween(127, 128);
        } else {
            assertThat(out.getRGB(size / 2 - 1, 1) & 0xFF).isLessThan(128);
            assertThat(out.getRGB(size / 2, 1) & 0xFF).isGreaterThan(128);
        }
    }

    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {ARGB, ARGB_PRE})
    void alphaIsKeptAndHiddenColourDoesNotBleed(int type) {
        // Left half translucent red (alpha 128), right half fully transparent, hiding green.
        BufferedImage image = new BufferedImage(300, 200, type);
        int[] pixels = pixels(image);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                pixels[y * 300 + x] = x < 150
                        ? (type == ARGB ? 0x80FF0000 : 0x80800000)
                        : (type == ARGB ? 0x0000FF00 : 0);
            }
        }

        BufferedImage out = Scaler.scale(image, 111, 73);

        assertThat(out.getType()).isEqualTo(type);
        for (int y = 0; y < 73; y++) {
            for (int x = 0; x < 111; x++) {
                int p = out.getRGB(x, y); // straight ARGB whatever the type
                int a = p >>> 24;
                assertThat((p >> 8) & 0xFF).as("green at %d,%d", x, y).isLessThanOrEqualTo(1);
                if (x < 50) {
                    assertThat(a).isEqualTo(128);
                    assertThat((p >> 16) & 0xFF).isBetween(254, 255);
                } else if (x > 60) {
                    assertThat(a).isZero();
                }
                if (a > 8) {
                    assertThat((p >> 16) & 0xFF).as("red at %d,%d", x, y).isGreaterThanOrEqualTo(250);
                }
            }
        }
    }

    @Test
    void otherLayoutsAreStillScaled() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, 0x336699);
            }
        }

        BufferedImage out = Scaler.scale(image, 20, 15);

        assertThat(out.getWidth()).isEqualTo(20);
        assertThat(out.getHeight()).isEqualTo(15);
        assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
        assertThat(out.getRGB(10, 7) & 0xFFFFFF).isEqualTo(0x336699);
    }

    /** Every pixel at least two from the edges within {@code tolerance} of 127.5. */
    private static void assertEvenGrey(BufferedImage image, int tolerance) {
        for (int y = image.getHeight() > 40 ? 2 : 0; y < image.getHeight() - (image.getHeight() > 40 ? 2 : 0); y++) {
            for (int x = 2; x < image.getWidth() - 2; x++) {
                int p = image.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    assertThat((p >> shift) & 0xFF).as("pixel %d,%d", x, y).isBetween(128 - tolerance, 127 + tolerance);
                }
            }
        }
    }

    private static BufferedImage filled(int width, int height, int type, int colour) {
        BufferedImage image = new BufferedImage(width, height, type);
        java.util.Arrays.fill(pixels(image), colour);
        return image;
    }

    private static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }
}
