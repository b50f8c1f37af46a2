package io.stillwater.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stillwater.CraftedImages;
import io.stillwater.TestImages;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Node;

/**
 * The pure-Java JPEG decoder against the JDK's (libjpeg 6b inside ImageIO): the same pixels at full
 * size, the right sizes and an area average's pixels when scaled in the DCT domain, and a refusal, never
 * a hang or a stray exception, for damaged files.
 */
class JpegDecoderTest {

    /** Gradients, hard colour edges, thin lines and text: detail in luma and chroma. */
    static BufferedImage detailed(int width, int height, boolean grey) {
        BufferedImage image = new BufferedImage(width, height, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(20, 60, 120), width, height, new Color(230, 200, 60)));
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(220, 30, 40));
        g.fillOval(width / 5, height / 6, width / 3, height / 2);
        g.setColor(new Color(30, 200, 90));
        g.fillRect(width / 2, height / 3, width / 4, height / 3);
        g.setStroke(new BasicStroke(1.5f));
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            g.drawLine(random.nextInt(width), random.nextInt(height), random.nextInt(width), random.nextInt(height));
        }
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, height / 12)));
        g.drawString("Stillwater 0123", width / 10, height * 9 / 10);
        g.dispose();
        return image;
    }

    /**
     * Encodes with the JDK's writer: luma sampling {@code h} x {@code v} (chroma 1 x 1), optionally
     * progressive and with a restart interval (in MCUs, 0 for none).
     */
    static byte[] jpeg(BufferedImage image, int h, int v, boolean progressive, int restart, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            String format = "javax_imageio_jpeg_image_1.0";
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
            IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
            IIOMetadataNode sof = (IIOMetadataNode) markers.getElementsByTagName("sof").item(0);
            if (sof != null && image.getRaster().getNumBands() == 3) {
                for (Node spec = sof.getFirstChild(); spec != null; spec = spec.getNextSibling()) {
                    IIOMetadataNode component = (IIOMetadataNode) spec;
                    boolean luma = "1".equals(component.getAttribute("componentId"));
                    component.setAttribute("HsamplingFactor", String.valueOf(luma ? h : 1));
                    component.setAttribute("VsamplingFactor", String.valueOf(luma ? v : 1));
                }
            }
            if (restart > 0) {
                IIOMetadataNode dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", String.valueOf(restart));
                markers.insertBefore(dri, markers.getFirstChild());
            }
            metadata.setFromTree(format, root);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.dispose();
        }
    }

    private static BufferedImage imageIo(byte[] jpeg) {
        return Decoder.decode(jpeg, new ImageInspector().inspect(jpeg), 1);
    }

    private static BufferedImage ours(byte[] jpeg, int denominator) {
        ImageInfo info = new ImageInspector().inspect(jpeg);
        return JpegDecoder.decode(jpeg, info.width(), info.height(), denominator);
    }

    /** Mean and largest absolute difference per channel, over every pixel. */
    private static double[] difference(BufferedImage a, BufferedImage b) {
        assertThat(a.getWidth()).isEqualTo(b.getWidth());
        assertThat(a.getHeight()).isEqualTo(b.getHeight());
        long sum = 0;
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y), q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = Math.abs((p >> shift & 0xFF) - (q >> shift & 0xFF));
                    sum += d;
                    max = Math.max(max, d);
                }
            }
        }
        return new double[] {sum / (3.0 * a.getWidth() * a.getHeight()), max};
    }

    /** The mean of each s x s cell (cells at the right and bottom edges may be smaller). */
    private static BufferedImage areaAverage(BufferedImage image, int s) {
        int w = (image.getWidth() + s - 1) / s, h = (image.getHeight() + s - 1) / s;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] sum = new int[3];
                int n = 0;
                for (int yy = y * s; yy < Math.min(image.getHeight(), y * s + s); yy++) {
                    for (int xx = x * s; xx < Math.min(image.getWidth(), x * s + s); xx++) {
                        int p = image.getRGB(xx, yy);
                        sum[0] += p >> 16 & 0xFF;
                        sum[1] += p >> 8 & 0xFF;
                        sum[2] += p & 0xFF;
                        n++;
                    }
                }
                out.setRGB(x, y, Math.round(sum[0] / (float) n) << 16 | Math.round(sum[1] / (float) n) << 8
                        | Math.round(sum[2] / (float) n));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}x{1} sampling, progressive {2}, restart {3}, {4} x {5}")
    @CsvSource({
        "2, 2, false, 0, 803, 601", // 4:2:0 baseline, odd sizes
        "2, 2, true, 0, 803, 601", // 4:2:0 progressive
        "1, 1, false, 0, 640, 480", // 4:4:4
        "1, 1, true, 0, 333, 257",
        "2, 1, false, 0, 517, 300", // 4:2:2
        "2, 1, true, 0, 517, 300",
        "1, 2, true, 0, 400, 301", // 4:4:0
        "2, 2, false, 5, 403, 299", // restart intervals
        "2, 2, true, 3, 403, 299",
        "1, 1, false, 1, 101, 77",
    })
    void decodesColourAsImageIoDoes(int h, int v, boolean progressive, int restart, int width, int height) {
        byte[] jpeg = jpeg(detailed(width, height, false), h, v, progressive, restart, 0.85f);
        assertThat(JpegComponents.progressive(jpeg)).isEqualTo(progressive);

        BufferedImage reference = imageIo(jpeg);
        BufferedImage full = ours(jpeg, 1);

        assertThat(full.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        double[] diff = difference(full, reference);
        assertThat(diff[0]).as("mean difference").isLessThan(1.0);
        assertThat(diff[1]).as("largest difference").isLessThanOrEqualTo(24);
        for (int s : new int[] {2, 4, 8}) {
            BufferedImage scaled = ours(jpeg, s);
            assertThat(scaled.getWidth()).isEqualTo((width + s - 1) / s);
            assertThat(scaled.getHeight()).isEqualTo((height + s - 1) / s);
            // The reduced IDCT keeps the lowest frequencies, a sharper filter than an area average:
            // on this image, far busier per pixel than a photo, they differ by a few levels.
            assertThat(difference(scaled, areaAverage(reference, s))[0]).as("mean difference at 1/" + s).isLessThan(6);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void scaledDecodesOfAPhotoLikeImageAreItsAreaAverage(boolean progressive) {
        byte[] jpeg = jpeg(TestImages.picture(1001, 667), 2, 2, progressive, 0, 0.85f);
        BufferedImage reference = imageIo(jpeg);
        for (int s : new int[] {2, 4, 8}) {
            assertThat(difference(ours(jpeg, s), areaAverage(reference, s))[0]).as("mean difference at 1/" + s)
                    .isLessThan(1.5);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decodesGreyscaleAsImageIoDoes(boolean progressive) {
        byte[] jpeg = jpeg(detailed(499, 371, true), 1, 1, progressive, 0, 0.8f);
        assertThat(JpegComponents.count(jpeg)).isEqualTo(1);

        double[] diff = difference(ours(jpeg, 1), imageIo(jpeg));
        assertThat(diff[0]).isLessThan(1.0);
        assertThat(diff[1]).isLessThanOrEqualTo(24);
        for (int s : new int[] {2, 4, 8}) {
            BufferedImage scaled = ours(jpeg, s);
            assertThat(difference(scaled, areaAverage(imageIo(jpeg), s))[0]).isLessThan(4);
        }
    }

    @Test
    void decodesTheTestSuitesOtherJpegsAsImageIoDoes() {
        for (byte[] jpeg : List.of(TestImages.jpeg(800, 600), TestImages.encode(TestImages.noise(257, 129, 3), "jpeg"),
                TestImages.encode(TestImages.quadrants(90, 70), "jpeg"))) {
            double[] diff = difference(ours(jpeg, 1), imageIo(jpeg));
            assertThat(diff[0]).isLessThan(1.0);
            assertThat(diff[1]).isLessThanOrEqualTo(24);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void invertsTheDctAsTheDefinitionDoes(int denominator) {
        int n = 8 / denominator;
        Random random = new Random(denominator);
        for (int trial = 0; trial < 200; trial++) {
            int[] block = new int[64];
            block[0] = random.nextInt(1600) - 800;
            for (int i = 1; i < 64; i++) {
                block[i] = random.nextInt(4) == 0 ? random.nextInt(200) - 100 : 0;
            }
            int[] expected = JpegDecoder.referenceIdct(block, n);
            int[] actual = JpegDecoder.idctForTest(block, n);
            for (int i = 0; i < n * n; i++) {
                assertThat(Math.abs(actual[i] - expected[i])).as("sample %d of trial %d", i, trial).isLessThanOrEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"false, 0.3", "false, 0.7", "false, 0.98", "true, 0.3", "true, 0.7", "true, 0.98", "true, 0.999"})
    void refusesTruncatedFiles(boolean progressive, double fraction) {
        byte[] jpeg = jpeg(detailed(640, 480, false), 2, 2, progressive, 0, 0.85f);
        byte[] cut = TestImages.truncated(jpeg, fraction);
        for (int s : new int[] {1, 8}) {
            assertThatThrownBy(() -> JpegDecoder.decode(cut, 640, 480, s)).isInstanceOf(JpegDecoder.Corrupt.class);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theEngineStillCallsATruncatedFileCorrupt(boolean progressive) {
        byte[] cut = TestImages.truncated(jpeg(detailed(800, 600, false), 2, 2, progressive, 0, 0.85f), 0.5);
        ImageEngine engine = new ImageEngine(new ImageLimits(50_000_000, 1), ImageEngine.NativeJpeg.OFF);
        for (Resize resize : List.of(new Resize(100, 100, null, null), new Resize(800, null, null, null))) {
            assertThatThrownBy(() -> engine.render(cut, List.of(new OutputSpec("o", List.of(resize), ImageFormat.JPEG, 80))))
                    .isInstanceOf(ImageException.class)
                    .extracting(e -> ((ImageException) e).code()).isEqualTo("corrupt-image");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void damagedEntropyDataThrowsOnlyCorruptAndIsCaughtAtLeastAsOftenAsByImageIo(boolean progressive) {
        byte[] jpeg = jpeg(detailed(320, 240, false), 2, 2, progressive, 0, 0.85f);
        int firstScan = firstScanData(jpeg);
        Random random = new Random(progressive ? 11 : 12);
        int caught = 0, caughtByImageIo = 0, trials = 60;
        for (int trial = 0; trial < trials; trial++) {
            byte[] damaged = jpeg.clone();
            for (int i = 0; i < 4; i++) {
                int at = firstScan + random.nextInt(jpeg.length - 2 - firstScan);
                damaged[at] = (byte) random.nextInt(256);
            }
            try {
                Decoder.decode(damaged, new ImageInspector().inspect(damaged), 1);
            } catch (ImageException e) {
                caughtByImageIo++;
            }
            for (int s : new int[] {1, 2, 8}) {
                try {
                    BufferedImage image = JpegDecoder.decode(damaged, 320, 240, s);
                    assertThat(image.getWidth()).isEqualTo(320 / s);
                } catch (JpegDecoder.Corrupt e) {
                    if (s == 1) {
                        caught++;
                    }
                }
            }
        }
        // Four random bytes usually break the Huffman stream's sync; a change that still decodes is
        // possible, for libjpeg as for this decoder.
        assertThat(caught).isGreaterThanOrEqualTo(caughtByImageIo).isGreaterThan(trials / 2);
    }

    /** Random bytes anywhere (headers and tables included) and random cuts, at every scale. */
    @Test
    void garbageAnywhereEndsInARefusalOrAnImageNeverAnotherException() {
        byte[][] files = {
            jpeg(detailed(120, 90, false), 2, 2, true, 0, 0.8f),
            jpeg(detailed(120, 90, false), 2, 2, false, 3, 0.8f),
            jpeg(detailed(120, 90, false), 1, 2, true, 2, 0.8f),
            jpeg(detailed(120, 90, true), 1, 1, true, 0, 0.8f)};
        Random random = new Random(1);
        int refused = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] file = files[trial % files.length].clone();
            for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
                file[random.nextInt(file.length)] = random.nextInt(3) == 0 ? (byte) 0xFF : (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                file = Arrays.copyOf(file, random.nextInt(file.length));
            }
            int s = 1 << random.nextInt(4);
            try {
                BufferedImage image = JpegDecoder.decode(file, 120, 90, s);
                assertThat(image.getWidth()).isEqualTo((120 + s - 1) / s);
            } catch (JpegDecoder.Corrupt | JpegDecoder.Unsupported e) {
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(1500);
    }

    @Test
    void refusesAHugeOrMissingRestartInterval() {
        byte[] jpeg = jpeg(detailed(320, 240, false), 2, 2, false, 4, 0.85f);
        int dri = find(jpeg, 0xDD);
        assertThat(JpegDecoder.decode(jpeg, 320, 240, 1).getWidth()).isEqualTo(320);

        byte[] huge = jpeg.clone();
        huge[dri + 4] = (byte) 0xFF;
        huge[dri + 5] = (byte) 0xFF;
        assertThatThrownBy(() -> JpegDecoder.decode(huge, 320, 240, 1)).isInstanceOf(JpegDecoder.Corrupt.class);

        byte[] none = jpeg.clone();
        none[dri + 4] = 0;
        none[dri + 5] = 0;
        assertThatThrownBy(() -> JpegDecoder.decode(none, 320, 240, 1)).isInstanceOf(JpegDecoder.Corrupt.class);

        byte[] shorter = jpeg.clone();
        shorter[dri + 5] = 3;
        assertThatThrownBy(() -> JpegDecoder.decode(shorter, 320, 240, 1)).isInstanceOf(JpegDecoder.Corrupt.class);
    }

    @Test
    void refusesBadHuffmanTables() {
        byte[] jpeg = jpeg(detailed(64, 48, false), 2, 2, false, 0, 0.85f);
        int dht = find(jpeg, 0xC4);
        // More codes of one bit than one bit can hold.
        byte[] overfull = jpeg.clone();
        overfull[dht + 5] = 3;
        assertThatThrownBy(() -> JpegDecoder.decode(overfull, 64, 48, 1)).isInstanceOf(JpegDecoder.Corrupt.class);
        // Counts that run past the segment.
        byte[] overlong = jpeg.clone();
        Arrays.fill(overlong, dht + 5, dht + 21, (byte) 40);
        assertThatThrownBy(() -> JpegDecoder.decode(overlong, 64, 48, 1)).isInstanceOf(JpegDecoder.Corrupt.class);
        // A table id out of range.
        byte[] badId = jpeg.clone();
        badId[dht + 4] = 0x07;
        assertThatThrownBy(() -> JpegDecoder.decode(badId, 64, 48, 1)).isInstanceOf(JpegDecoder.Corrupt.class);
    }

    @Test
    void leavesWhatItDoesNotHandleToTheOtherDecoders() {
        byte[] cmyk = CraftedImages.cmykJpeg(64, 32, new int[] {255, 0, 0, 0}, new int[] {0, 255, 255, 0});
        assertThatThrownBy(() -> JpegDecoder.decode(cmyk, 64, 32, 1)).isInstanceOf(JpegDecoder.Unsupported.class);

        byte[] jpeg = jpeg(detailed(64, 48, false), 2, 2, false, 0, 0.85f);
        byte[] arithmetic = jpeg.clone();
        arithmetic[find(jpeg, 0xC0) + 1] = (byte) 0xC9;
        assertThatThrownBy(() -> JpegDecoder.decode(arithmetic, 64, 48, 1)).isInstanceOf(JpegDecoder.Unsupported.class);

        byte[] twelveBit = jpeg.clone();
        twelveBit[find(jpeg, 0xC0) + 4] = 12;
        assertThatThrownBy(() -> JpegDecoder.decode(twelveBit, 64, 48, 1)).isInstanceOf(JpegDecoder.Unsupported.class);

        // A header that disagrees with the size the caller checked.
        assertThatThrownBy(() -> JpegDecoder.decode(jpeg, 65, 48, 1)).isInstanceOf(JpegDecoder.Corrupt.class);
    }

    @Test
    void theEngineRendersProgressiveJpegsAtTheRequestedSizes() {
        byte[] jpeg = jpeg(detailed(1200, 900, false), 2, 2, true, 0, 0.85f);
        ImageEngine engine = new ImageEngine(new ImageLimits(50_000_000, 1), ImageEngine.NativeJpeg.OFF);
        List<Rendition> out = engine.render(jpeg, List.of(new OutputSpec("o",
                List.of(new Resize(256, 256, Resize.Fit.COVER, null)), ImageFormat.PNG, null)));
        assertThat(out.get(0).width()).isEqualTo(256);
        assertThat(out.get(0).height()).isEqualTo(256);
        BufferedImage rendered = TestImages.decode(out.get(0).data());
        // The middle of the green rectangle (at 1/2 to 3/4 across, 1/3 to 2/3 down) stays green.
        int p = rendered.getRGB(256 * 5 / 8 + 16, 128);
        assertThat(p >> 8 & 0xFF).isGreaterThan(150);
        assertThat(p >> 16 & 0xFF).isLessThan(90);
    }

    /** Mid grey in linear RGB is a light grey in sRGB (128 becomes 188), whichever decoder reads it. */
    @ParameterizedTest
    @CsvSource({"true, 256", "true, 64", "false, 64"})
    void anEmbeddedRgbProfileIsStillConvertedAndExifOrientationApplied(boolean progressive, int size) {
        byte[] linear = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData();
        byte[] plain = jpeg(TestImages.solid(256, 128, new Color(128, 128, 128)), 2, 2, progressive, 0, 0.9f);
        byte[] jpeg = TestImages.withExifOrientation(
                CraftedImages.withJpegSegment(plain, 0xE2, CraftedImages.iccApp2(linear)), 6);
        ImageEngine engine = new ImageEngine(new ImageLimits(50_000_000, 1), ImageEngine.NativeJpeg.OFF);
        // This decoder reads the file itself (no fallback), before the profile is applied.
        assertThat(JpegDecoder.decode(jpeg, 256, 128, 1).getRGB(64, 64) & 0xFF).isBetween(126, 130);

        Rendition out = engine.render(jpeg, List.of(new OutputSpec("o",
                List.of(new Resize(size, size, Resize.Fit.INSIDE, null)), ImageFormat.PNG, null))).get(0);

        // Turned a quarter: 128 wide, 256 high, scaled to fit the box.
        assertThat(out.width()).isEqualTo(size / 2);
        assertThat(out.height()).isEqualTo(size);
        int p = TestImages.decode(out.data()).getRGB(size / 4, size / 2);
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat(p >> shift & 0xFF).isBetween(185, 191);
        }
    }

    /** The offset of the first marker {@code 0xFF marker}, from the start of the file's segments. */
    private static int find(byte[] jpeg, int marker) {
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            int m = jpeg[pos + 1] & 0xFF;
            if (m == marker) {
                return pos;
            }
            pos += 2 + ((jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF));
        }
        throw new AssertionError("no marker " + Integer.toHexString(marker));
    }

    private static int firstScanData(byte[] jpeg) {
        int sos = find(jpeg, 0xDA);
        return sos + 2 + ((jpeg[sos + 2] & 0xFF) << 8 | (jpeg[sos + 3] & 0xFF));
    }
}
