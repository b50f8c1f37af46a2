package io.stillwater;

import com.twelvemonkeys.imageio.color.ColorSpaces;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Image files built byte by byte or with specific encoder settings, for the cases an ordinary
 * encoder never produces: CMYK and YCCK JPEGs, embedded profiles and metadata, headers claiming
 * enormous sizes, animations.
 */
public final class CraftedImages {

    private CraftedImages() {}

    /** Inserts a JPEG marker segment right after SOI. */
    public static byte[] withJpegSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteBuffer segment = ByteBuffer.allocate(4 + payload.length);
        segment.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
        return insert(jpeg, 2, segment.array());
    }

    /** Inserts a PNG chunk right after IHDR. */
    public static byte[] withPngChunk(byte[] png, String type, byte[] data) {
        return insert(png, 33, pngChunk(type, data));
    }

    public static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        chunk.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + data.length);
        chunk.putInt((int) crc.getValue());
        return chunk.array();
    }

    /** A JPEG APP2 segment body carrying a whole profile in one chunk. */
    public static byte[] iccApp2(byte[] profile) {
        return concat("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1, 1}, profile);
    }

    /** A PNG iCCP chunk body. */
    public static byte[] iccpChunk(byte[] profile) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed)) {
            deflate.write(profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return concat("profile\0".getBytes(StandardCharsets.ISO_8859_1), new byte[] {0}, compressed.toByteArray());
    }

    /**
     * An EXIF APP1 body (big-endian) with IFD0 holding Make, Copyright and a pointer to a GPS IFD
     * (latitude 51° 30′ N), and IFD1 pointing at an embedded thumbnail: what a phone writes.
     */
    public static byte[] exifWithGpsAndThumbnail(String copyright, byte[] thumbnail) {
        byte[] make = "PhoneMaker\0".getBytes(StandardCharsets.US_ASCII);
        byte[] notice = (copyright + "\0").getBytes(StandardCharsets.ISO_8859_1);
        int ifd0 = 8;
        int ifd0Size = 2 + 4 * 12 + 4;
        int makeAt = ifd0 + ifd0Size;
        int noticeAt = makeAt + make.length;
        int gps = noticeAt + notice.length;
        int gpsSize = 2 + 2 * 12 + 4;
        int latitudeAt = gps + gpsSize;
        int ifd1 = latitudeAt + 24;
        int ifd1Size = 2 + 2 * 12 + 4;
        int thumbAt = ifd1 + ifd1Size;
        ByteBuffer tiff = ByteBuffer.allocate(thumbAt + thumbnail.length);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(ifd0);
        tiff.putShort((short) 4);
        entry(tiff, 0x010F, 2, make.length, makeAt);
        entry(tiff, 0x0112, 3, 1, 1 << 16); // orientation 1, left-justified short
        entry(tiff, 0x8298, 2, notice.length, noticeAt);
        entry(tiff, 0x8825, 4, 1, gps);
        tiff.putInt(ifd1);
        tiff.put(make).put(notice);
        tiff.putShort((short) 2);
        entry(tiff, 0x0001, 2, 2, 'N' << 24);
        entry(tiff, 0x0002, 5, 3, latitudeAt);
        tiff.putInt(0);
        tiff.putInt(51).putInt(1).putInt(30).putInt(1).putInt(0).putInt(1);
        tiff.putShort((short) 2);
        entry(tiff, 0x0201, 4, 1, thumbAt);
        entry(tiff, 0x0202, 4, 1, thumbnail.length);
        tiff.putInt(0);
        tiff.put(thumbnail);
        return concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), tiff.array());
    }

    private static void entry(ByteBuffer buffer, int tag, int type, int count, int value) {
        buffer.putShort((short) tag).putShort((short) type).putInt(count).putInt(value);
    }

    /** An XMP APP1 body, as cameras and editors write it, with a location in it. */
    public static byte[] xmpApp1() {
        String packet = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
                + "<rdf:Description xmlns:exif='http://ns.adobe.com/exif/1.0/' exif:GPSLatitude='51,30.0N'/>"
                + "</rdf:RDF></x:xmpmeta>";
        return concat("http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.US_ASCII),
                packet.getBytes(StandardCharsets.UTF_8));
    }

    /** An IPTC block inside a Photoshop APP13 body: a by-line (author name). */
    public static byte[] iptcApp13() {
        byte[] byline = "Jane Photographer".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer iptc = ByteBuffer.allocate(5 + byline.length);
        iptc.put((byte) 0x1C).put((byte) 2).put((byte) 80).putShort((short) byline.length).put(byline);
        ByteBuffer resource = ByteBuffer.allocate(12 + iptc.capacity() + (iptc.capacity() & 1));
        resource.put("8BIM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0x0404).putShort((short) 0)
                .putInt(iptc.capacity()).put(iptc.array());
        return concat("Photoshop 3.0\0".getBytes(StandardCharsets.US_ASCII), resource.array());
    }

    /** A CMYK JPEG with Adobe's APP14 marker, written by TwelveMonkeys from CMYK pixels. */
    public static byte[] cmykJpeg(int width, int height, int[] leftCmyk, int[] rightCmyk) {
        ColorSpace cmyk = ColorSpaces.getColorSpace(ColorSpaces.CS_GENERIC_CMYK);
        ColorModel model = new ComponentColorModel(cmyk, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage image = new BufferedImage(model, model.createCompatibleWritableRaster(width, height), false, null);
        fillHalves(image.getRaster(), leftCmyk, rightCmyk);
        ImageWriter writer = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter candidate = it.next();
            if (candidate.getClass().getName().startsWith("com.twelvemonkeys")) {
                writer = candidate;
            }
        }
        if (writer == null) {
            throw new IllegalStateException("the TwelveMonkeys JPEG writer is not registered");
        }
        return write(writer, new IIOImage(image, null, null), null);
    }

    /**
     * A YCCK JPEG: the ink values (C, M, Y as Adobe stores them, inverted K) run through the YCbCr
     * transform, four components, and an Adobe APP14 marker with transform 2 saying so.
     */
    public static byte[] ycckJpeg(int width, int height, int[] leftCmyk, int[] rightCmyk) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        fillHalves(raster, ycck(leftCmyk), ycck(rightCmyk));
        byte[] plain = write(jdkJpegWriter(), new IIOImage(raster, null, null), null);
        byte[] adobe = ByteBuffer.allocate(12).put("Adobe".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) 100).putShort((short) 0).putShort((short) 0).put((byte) 2).array();
        return withJpegSegment(plain, 0xEE, adobe);
    }

    private static int[] ycck(int[] cmyk) {
        double r = cmyk[0];
        double g = cmyk[1];
        double b = cmyk[2];
        return new int[] {
            clamp(0.299 * r + 0.587 * g + 0.114 * b),
            clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
            clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b),
            255 - cmyk[3]
        };
    }

    /** A JPEG with two colour components, which no decoder turns into RGB. */
    public static byte[] twoComponentJpeg(int width, int height) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 2, null);
        return write(jdkJpegWriter(), new IIOImage(raster, null, null), null);
    }

    public static byte[] progressiveJpeg(RenderedImage image) {
        ImageWriter writer = jdkJpegWriter();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        return write(writer, new IIOImage(image, null, null), param);
    }

    /** An Adam7-interlaced PNG. */
    public static byte[] interlacedPng(RenderedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        return write(writer, new IIOImage(image, null, null), param);
    }

    /** An animated GIF, one solid frame per colour, each shown for 0.1 s. */
    public static byte[] animatedGif(int width, int height, int... rgbs) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(output);
            writer.prepareWriteSequence(null);
            for (int rgb : rgbs) {
                BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        frame.setRGB(x, y, rgb);
                    }
                }
                ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(frame);
                IIOMetadata metadata = writer.getDefaultImageMetadata(type, null);
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "10");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                metadata.setFromTree("javax_imageio_gif_image_1.0", root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * The container of an animated WebP declaring {@code frames} frames: VP8X with the animation
     * flag, ANIM, and that many ANMF chunks with empty frame data.
     */
    public static byte[] animatedWebpContainer(int width, int height, int frames) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteBuffer vp8x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.put((byte) 0x02).put(new byte[3]);
        uint24(vp8x, width - 1);
        uint24(vp8x, height - 1);
        riff(body, "VP8X", vp8x.array());
        riff(body, "ANIM", new byte[6]);
        for (int i = 0; i < frames; i++) {
            ByteBuffer anmf = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            anmf.put(new byte[6]);
            uint24(anmf, width - 1);
            uint24(anmf, height - 1);
            uint24(anmf, 100);
            anmf.put((byte) 0);
            riff(body, "ANMF", anmf.array());
        }
        ByteBuffer file = ByteBuffer.allocate(12 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        file.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.size())
                .put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(body.toByteArray());
        return file.array();
    }

    /**
     * A real animated WebP: each frame is a solid colour encoded by the WebP writer, its image chunks
     * wrapped in an ANMF chunk covering the whole canvas.
     */
    public static byte[] animatedWebp(int width, int height, int... rgbs) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteBuffer vp8x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.put((byte) 0x02).put(new byte[3]);
        uint24(vp8x, width - 1);
        uint24(vp8x, height - 1);
        riff(body, "VP8X", vp8x.array());
        riff(body, "ANIM", new byte[6]);
        for (int rgb : rgbs) {
            BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    frame.setRGB(x, y, rgb);
                }
            }
            byte[] still = TestImages.encode(frame, "webp");
            byte[] chunks = Arrays.copyOfRange(still, 12, still.length);
            ByteBuffer anmf = ByteBuffer.allocate(16 + chunks.length).order(ByteOrder.LITTLE_ENDIAN);
            anmf.put(new byte[6]);
            uint24(anmf, width - 1);
            uint24(anmf, height - 1);
            uint24(anmf, 100);
            anmf.put((byte) 0).put(chunks);
            riff(body, "ANMF", anmf.array());
        }
        ByteBuffer file = ByteBuffer.allocate(12 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        file.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.size())
                .put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(body.toByteArray());
        return file.array();
    }

    /** A PNG that is nothing but a signature, an IHDR claiming the given size, and IEND. */
    public static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        return concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
                pngChunk("IHDR", ihdr.array()), pngChunk("IEND", new byte[0]));
    }

    /** A JPEG that is nothing but SOI, a baseline SOF0 claiming the given size with 3 components, and EOI. */
    public static byte[] jpegHeaderOnly(int width, int height) {
        ByteBuffer sof = ByteBuffer.allocate(2 + 2 + 15 + 2 + 2);
        sof.put((byte) 0xFF).put((byte) 0xD8);
        sof.put((byte) 0xFF).put((byte) 0xC0).putShort((short) 17).put((byte) 8)
                .putShort((short) height).putShort((short) width).put((byte) 3);
        for (int c = 1; c <= 3; c++) {
            sof.put((byte) c).put((byte) 0x11).put((byte) 0);
        }
        sof.put((byte) 0xFF).put((byte) 0xD9);
        return Arrays.copyOf(sof.array(), sof.position());
    }

    /**
     * A GIF whose logical screen is {@code screenW} × {@code screenH} and whose one frame's image
     * descriptor claims {@code frameW} × {@code frameH}, with a few bytes of LZW data: the size that
     * matters to a decoder hides in the frame, not the header most readers report.
     */
    public static byte[] gifWithFrame(int screenW, int screenH, int frameW, int frameH) {
        ByteBuffer gif = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        gif.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) screenW).putShort((short) screenH)
                .put((byte) 0x80).put((byte) 0).put((byte) 0); // global colour table of 2 entries
        gif.put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        gif.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) frameW).putShort((short) frameH)
                .put((byte) 0);
        gif.put(new byte[] {2, 2, 0x44, 0x01, 0}); // LZW: clear, one pixel, end
        gif.put((byte) 0x3B);
        return Arrays.copyOf(gif.array(), gif.position());
    }

    /**
     * A true-colour PNG of {@code width} × {@code height} whose IDAT is {@code inflated} bytes of zeros
     * deflated: a few hundred kilobytes that inflate a thousandfold. With {@code inflated} equal to
     * {@code height × (1 + 3 × width)} it is a valid black image; with more, the surplus follows the
     * last row.
     */
    public static byte[] pngOfZeros(int width, int height, long inflated) {
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        return concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
                pngChunk("IHDR", ihdr.array()), pngChunk("IDAT", deflatedZeros(inflated)), pngChunk("IEND", new byte[0]));
    }

    /** {@code count} zero bytes through zlib at its best compression, without holding them. */
    public static byte[] deflatedZeros(long count) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION);
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, deflater, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (long left = count; left > 0; left -= zeros.length) {
                deflate.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return compressed.toByteArray();
    }

    /** A PNG text chunk body: keyword, then (for zTXt and iTXt) the compressed text. */
    public static byte[] pngTextChunk(String type, String keyword, byte[] text) {
        byte[] key = (keyword + "\0").getBytes(StandardCharsets.ISO_8859_1);
        return switch (type) {
            case "tEXt" -> concat(key, text);
            case "zTXt" -> concat(key, new byte[] {0}, text);
            // compressed, deflate; no language tag, no translated keyword
            case "iTXt" -> concat(key, new byte[] {1, 0, 0, 0}, text);
            default -> throw new IllegalArgumentException(type);
        };
    }

    /**
     * The JPEG with its entropy-coded data (everything after the first SOS header up to EOI)
     * replaced by random bytes: every header intact, the pixels noise.
     */
    public static byte[] jpegWithNoise(byte[] jpeg, long seed) {
        int sos = -1;
        for (int i = 2; i + 3 < jpeg.length; ) {
            int marker = jpeg[i + 1] & 0xFF;
            int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if (marker == 0xDA) {
                sos = i + 2 + length;
                break;
            }
            i += 2 + length;
        }
        if (sos < 0) {
            throw new IllegalArgumentException("no SOS");
        }
        byte[] out = jpeg.clone();
        java.util.Random random = new java.util.Random(seed);
        byte[] noise = new byte[out.length - 2 - sos];
        random.nextBytes(noise);
        System.arraycopy(noise, 0, out, sos, noise.length);
        return out;
    }

    /** The JPEG with {@code count} segments of {@code marker}, each carrying {@code payload}, after SOI. */
    public static byte[] withJpegSegments(byte[] jpeg, int marker, byte[] payload, int count) {
        ByteArrayOutputStream segments = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            segments.write(0xFF);
            segments.write(marker);
            segments.write((payload.length + 2) >> 8);
            segments.write((payload.length + 2) & 0xFF);
            segments.writeBytes(payload);
        }
        return insert(jpeg, 2, segments.toByteArray());
    }

    /** A ZIP archive holding one small file. */
    public static byte[] zip(String name, String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A GIF that is also JavaScript: the header's width is the bytes of a comment opener, the image
     * data follows inside the comment and the script after it: {@code GIF89a/*…*\/=alert(1);}.
     */
    public static byte[] gifJavaScriptPolyglot(String script) {
        ByteBuffer gif = ByteBuffer.allocate(64 + script.length()).order(ByteOrder.LITTLE_ENDIAN);
        gif.put("GIF89a/*".getBytes(StandardCharsets.US_ASCII)); // width 0x2A2F, height from the next two bytes
        gif.put((byte) 10).put((byte) 0).put((byte) 0x80).put((byte) 0).put((byte) 0);
        gif.put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        gif.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1).put((byte) 0);
        gif.put(new byte[] {2, 2, 0x44, 0x01, 0});
        gif.put((byte) 0x3B);
        gif.put(("*/=" + script).getBytes(StandardCharsets.US_ASCII));
        return Arrays.copyOf(gif.array(), gif.position());
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : List.of(parts)) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void uint24(ByteBuffer buffer, int value) {
        buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
    }

    private static void riff(ByteArrayOutputStream out, String type, byte[] data) {
        ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        header.put(type.getBytes(StandardCharsets.US_ASCII)).putInt(data.length);
        out.writeBytes(header.array());
        out.writeBytes(data);
        if ((data.length & 1) == 1) {
            out.write(0);
        }
    }

    private static void fillHalves(WritableRaster raster, int[] left, int[] right) {
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < raster.getWidth(); x++) {
                raster.setPixel(x, y, x < raster.getWidth() / 2 ? left : right);
            }
        }
    }

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }

    private static ImageWriter jdkJpegWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter writer = it.next();
            if (!writer.getClass().getName().startsWith("com.twelvemonkeys")) {
                return writer;
            }
        }
        throw new IllegalStateException("no JDK JPEG writer");
    }

    private static byte[] write(ImageWriter writer, IIOImage image, ImageWriteParam param) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(output);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] insert(byte[] data, int at, byte[] insert) {
        byte[] out = new byte[data.length + insert.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(data, at, out, at + insert.length, data.length - at);
        return out;
    }
}
