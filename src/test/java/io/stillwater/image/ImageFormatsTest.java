package io.stillwater.image;

import static io.stillwater.image.ImageOperationsTest.assertColour;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stillwater.CraftedImages;
import io.stillwater.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the engine reads and writes, and what it refuses, each judged by the pixels that come out. */
class ImageFormatsTest {

    private static final int[] CYAN_INK = {255, 0, 0, 0};
    private static final int[] RED_INK = {0, 255, 255, 0};

    private final ImageEngine engine = new ImageEngine(50_000_000);

    @Test
    void readsBaselineAndProgressiveJpeg() {
        BufferedImage quadrants = TestImages.quadrants(160, 120);

        assertQuadrantsSurvive(TestImages.encode(quadrants, "jpeg"));
        byte[] progressive = CraftedImages.progressiveJpeg(quadrants);
        assertThat(indexOf(progressive, new byte[] {(byte) 0xFF, (byte) 0xC2})).as("SOF2").isPositive();
        assertQuadrantsSurvive(progressive);
    }

    @Test
    void readsCmykJpegWithItsColours() {
        byte[] cmyk = CraftedImages.cmykJpeg(64, 32, CYAN_INK, RED_INK);
        assertThat(JpegComponents.count(cmyk)).isEqualTo(4);

        BufferedImage out = renderPng(cmyk);

        assertColour(out, 10, 16, Color.CYAN);
        assertColour(out, 54, 16, Color.RED);
    }

    @Test
    void readsYcckJpegWithItsColours() {
        byte[] ycck = CraftedImages.ycckJpeg(64, 32, CYAN_INK, RED_INK);

        BufferedImage out = renderPng(ycck);

        assertColour(out, 10, 16, Color.CYAN);
        assertColour(out, 54, 16, Color.RED);
    }

    @Test
    void aColourSpaceNoDecoderHandlesFailsWithItsReason() {
        byte[] twoComponents = CraftedImages.twoComponentJpeg(16, 16);

        assertThatThrownBy(() -> renderPng(twoComponents))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("2 colour components")
                .extracting(e -> ((ImageException) e).code()).isEqualTo("unsupported-colour-space");
    }

    /** Mid grey in linear RGB is a light grey in sRGB: 128 becomes 188. */
    @Test
    void convertsAnEmbeddedNonSrgbProfileToSrgb() {
        byte[] linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        BufferedImage grey = TestImages.solid(32, 32, new Color(128, 128, 128));
        byte[] jpeg = CraftedImages.withJpegSegment(TestImages.encode(grey, "jpeg"), 0xE2, CraftedImages.iccApp2(linear));
        byte[] png = CraftedImages.withPngChunk(TestImages.encode(grey, "png"), "iCCP", CraftedImages.iccpChunk(linear));
        byte[] srgbPng = CraftedImages.withPngChunk(TestImages.encode(grey, "png"), "iCCP",
                CraftedImages.iccpChunk(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData()));

        assertColour(renderPng(jpeg), 16, 16, new Color(188, 188, 188));
        assertColour(renderPng(png), 16, 16, new Color(188, 188, 188));
        assertColour(renderPng(srgbPng), 16, 16, new Color(128, 128, 128));
    }

    @Test
    void readsPngOf16BitsPaletteGreyWithAlphaAndInterlaced() {
        ColorModel deep = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        BufferedImage sixteen = new BufferedImage(deep, deep.createCompatibleWritableRaster(40, 20), false, null);
        draw(sixteen, TestImages.quadrants(40, 20));
        IndexColorModel palette = new IndexColorModel(8, 4,
                new byte[] {(byte) 255, 0, 0, (byte) 255}, new byte[] {0, (byte) 255, 0, (byte) 255},
                new byte[] {0, 0, (byte) 255, (byte) 255});
        BufferedImage indexed = new BufferedImage(40, 20, BufferedImage.TYPE_BYTE_INDEXED, palette);
        draw(indexed, TestImages.quadrants(40, 20));
        ColorModel greyAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        BufferedImage ga = new BufferedImage(greyAlpha, greyAlpha.createCompatibleWritableRaster(40, 20), false, null);
        for (int x = 0; x < 40; x++) {
            for (int y = 0; y < 20; y++) {
                ga.getRaster().setPixel(x, y, new int[] {200, x < 20 ? 0 : 255});
            }
        }

        assertQuadrantsSurvive(TestImages.encode(sixteen, "png"));
        assertQuadrantsSurvive(TestImages.encode(indexed, "png"));
        assertQuadrantsSurvive(CraftedImages.interlacedPng(TestImages.quadrants(40, 20)));
        BufferedImage greyOut = renderPng(TestImages.encode(ga, "png"));
        assertThat(greyOut.getRGB(5, 10) >>> 24).isZero();
        assertThat(greyOut.getRGB(30, 10) >>> 24).isEqualTo(255);
        Color c = new Color(greyOut.getRGB(30, 10));
        assertThat(c.getRed()).isEqualTo(c.getGreen()).isEqualTo(c.getBlue());
    }

    @Test
    void readsTheFirstFrameOfAnAnimatedGif() {
        byte[] gif = CraftedImages.animatedGif(20, 10, 0xFF0000, 0x0000FF, 0x00FF00);

        assertThat(new ImageInspector().inspect(gif).frames()).isEqualTo(3);
        assertColour(renderPng(gif), 10, 5, Color.RED);
    }

    @Test
    void readsTheFirstFrameOfAnAnimatedWebp() {
        byte[] webp = CraftedImages.animatedWebp(20, 10, 0xFF0000, 0x0000FF);

        ImageInfo info = new ImageInspector().inspect(webp);

        assertThat(info.frames()).isEqualTo(2);
        assertThat(info.width()).isEqualTo(20);
        assertColour(renderPng(webp), 10, 5, Color.RED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bmp", "tiff", "gif", "webp", "png", "jpeg"})
    void readsEveryFormatItSniffs(String format) {
        byte[] source = TestImages.encode(TestImages.quadrants(40, 20), format);

        ImageInfo info = new ImageInspector().inspect(source);

        assertThat(info.format().id()).isEqualTo(format);
        assertThat(info.width()).isEqualTo(40);
        assertThat(info.height()).isEqualTo(20);
        assertQuadrantsSurvive(source);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png", "webp"})
    void writesEveryOutputFormat(String id) {
        ImageFormat format = ImageFormat.byId(id).orElseThrow();

        Rendition out = engine.render(TestImages.encode(TestImages.quadrants(80, 40), "png"),
                List.of(new OutputSpec("out", List.of(), format, 95))).get(0);

        assertThat(ImageFormat.sniff(out.data())).contains(format);
        BufferedImage image = TestImages.decode(out.data());
        assertColour(image, 20, 10, Color.RED);
        assertColour(image, 60, 30, Color.WHITE);
    }

    @Test
    void writesProgressiveJpegOnlyWhenAsked() {
        byte[] source = TestImages.jpeg(200, 100);

        byte[] baseline = engine.render(source, List.of(new OutputSpec("out", List.of(), ImageFormat.JPEG, 80))).get(0).data();
        byte[] progressive = engine.render(source,
                List.of(new OutputSpec("out", List.of(), ImageFormat.JPEG, 80, true, null))).get(0).data();

        assertThat(indexOf(baseline, new byte[] {(byte) 0xFF, (byte) 0xC0})).isPositive();
        assertThat(indexOf(baseline, new byte[] {(byte) 0xFF, (byte) 0xC2})).isNegative();
        assertThat(indexOf(progressive, new byte[] {(byte) 0xFF, (byte) 0xC2})).isPositive();
        assertThat(TestImages.decode(progressive).getWidth()).isEqualTo(200);
    }

    @Test
    void keepsTransparencyInWebp() {
        byte[] source = TestImages.encode(new BufferedImage(40, 40, BufferedImage.TYPE_INT_ARGB), "png");

        Rendition out = engine.render(source, List.of(new OutputSpec("out", List.of(), ImageFormat.WEBP, 90))).get(0);

        assertThat(TestImages.decode(out.data()).getRGB(20, 20) >>> 24).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png", "webp"})
    void truncatedDataFailsAsCorrupt(String format) {
        byte[] whole = TestImages.encode(TestImages.picture(400, 300), format);
        byte[] truncated = TestImages.truncated(whole, 0.5);

        assertThatThrownBy(() -> renderPng(truncated))
                .isInstanceOf(ImageException.class)
                .extracting(e -> ((ImageException) e).code()).isEqualTo("corrupt-image");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
        "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        "push graphic-context\nviewbox 0 0 640 480\nimage over 0,0 0,0 'https://example.com/x.jpg'\npop graphic-context",
        "viewbox 0 0 10 10\nfill 'url(https://example.com/)'",
        "%!PS-Adobe-3.0\n/Times-Roman findfont",
        "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>",
        "\ufeff<svg/>",
        "   <svg/>"
    })
    void refusesScriptAndVectorFormatsByTheirBytes(String body) {
        byte[] data = body.getBytes(StandardCharsets.UTF_8);

        assertThat(ImageFormat.sniff(data)).isEmpty();
        // The API answers this code with 415.
        assertThatThrownBy(() -> new ImageInspector().inspect(data))
                .isInstanceOf(ImageException.class)
                .extracting(e -> ((ImageException) e).code()).isEqualTo("unsupported-image");
    }

    private void assertQuadrantsSurvive(byte[] source) {
        BufferedImage out = renderPng(source);
        int w = out.getWidth();
        int h = out.getHeight();
        assertColour(out, w / 4, h / 4, Color.RED);
        assertColour(out, w * 3 / 4, h / 4, Color.GREEN);
        assertColour(out, w / 4, h * 3 / 4, Color.BLUE);
        assertColour(out, w * 3 / 4, h * 3 / 4, Color.WHITE);
    }

    private BufferedImage renderPng(byte[] source) {
        Rendition out = engine.render(source, List.of(new OutputSpec("out", List.of(), ImageFormat.PNG, null))).get(0);
        return TestImages.decode(out.data());
    }

    private static void draw(BufferedImage target, BufferedImage source) {
        Graphics2D g = target.createGraphics();
        g.drawImage(source, 0, 0, null);
        g.dispose();
    }

    static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
