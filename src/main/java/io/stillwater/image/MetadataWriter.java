package io.stillwater.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * Adds {@link KeptMetadata} to an encoded rendition by splicing the container's own structures into
 * the encoder's output: for JPEG an EXIF APP1 holding only the Copyright tag, a COM and ICC_PROFILE
 * APP2 segments; for PNG iCCP and tEXt chunks; for WebP the extended (VP8X) layout with ICCP and EXIF
 * chunks. The encoders themselves write none of the source's metadata.
 */
final class MetadataWriter {

    private static final int ICC_CHUNK = 65_519; // 65535 − length field − "ICC_PROFILE\0" − sequence − count

    private MetadataWriter() {}

    static byte[] embed(ImageFormat format, byte[] encoded, int width, int height, boolean alpha, KeptMetadata kept) {
        if (kept.isEmpty()) {
            return encoded;
        }
        return switch (format) {
            case JPEG -> jpeg(encoded, kept);
            case PNG -> png(encoded, kept);
            case WEBP -> webp(encoded, width, height, alpha, kept);
            default -> encoded;
        };
    }

    /** A big-endian TIFF structure with one IFD holding the Copyright tag (0x8298, ASCII). */
    static byte[] exifCopyright(String copyright) {
        byte[] text = (copyright + "\0").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4 + text.length);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x8298).putShort((short) 2).putInt(text.length);
        if (text.length <= 4) {
            tiff.put(Arrays.copyOf(text, 4));
        } else {
            tiff.putInt(26);
        }
        tiff.putInt(0);
        if (text.length > 4) {
            tiff.put(text);
        }
        return Arrays.copyOf(tiff.array(), tiff.position());
    }

    private static byte[] jpeg(byte[] encoded, KeptMetadata kept) {
        ByteArrayOutputStream segments = new ByteArrayOutputStream();
        if (kept.copyright() != null) {
            byte[] tiff = exifCopyright(kept.copyright());
            segment(segments, 0xE1, concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), tiff));
        }
        if (kept.comment() != null) {
            byte[] text = kept.comment().getBytes(StandardCharsets.UTF_8);
            segment(segments, 0xFE, Arrays.copyOf(text, Math.min(text.length, 65_533)));
        }
        if (kept.iccProfile() != null) {
            byte[] profile = kept.iccProfile();
            int count = (profile.length + ICC_CHUNK - 1) / ICC_CHUNK;
            for (int i = 0; i < count; i++) {
                int from = i * ICC_CHUNK;
                int to = Math.min(profile.length, from + ICC_CHUNK);
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
                body.write(i + 1);
                body.write(count);
                body.write(profile, from, to - from);
                segment(segments, 0xE2, body.toByteArray());
            }
        }
        // After SOI and the JFIF APP0 the encoder wrote, where readers expect them.
        int at = 2;
        if ((encoded[2] & 0xFF) == 0xFF && (encoded[3] & 0xFF) == 0xE0) {
            at = 4 + (((encoded[4] & 0xFF) << 8) | (encoded[5] & 0xFF));
        }
        return splice(encoded, at, segments.toByteArray());
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] body) {
        out.write(0xFF);
        out.write(marker);
        int length = body.length + 2;
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(body);
    }

    private static byte[] png(byte[] encoded, KeptMetadata kept) {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        if (kept.iccProfile() != null) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("ICC Profile\0".getBytes(StandardCharsets.ISO_8859_1));
            body.write(0); // zlib
            try (DeflaterOutputStream deflate = new DeflaterOutputStream(body)) {
                deflate.write(kept.iccProfile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            chunk(chunks, "iCCP", body.toByteArray());
        }
        if (kept.copyright() != null) {
            chunk(chunks, "tEXt", concat("Copyright\0".getBytes(StandardCharsets.ISO_8859_1),
                    kept.copyright().getBytes(StandardCharsets.ISO_8859_1)));
        }
        if (kept.comment() != null) {
            chunk(chunks, "tEXt", concat("Comment\0".getBytes(StandardCharsets.ISO_8859_1),
                    kept.comment().getBytes(StandardCharsets.ISO_8859_1)));
        }
        // Right after IHDR (8-byte signature + 25-byte chunk): iCCP must come before PLTE and IDAT.
        return splice(encoded, 33, chunks.toByteArray());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] body) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + body.length);
        chunk.putInt(body.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(body);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + body.length);
        chunk.putInt((int) crc.getValue());
        out.writeBytes(chunk.array());
    }

    /**
     * Rewrites a WebP in the extended layout: VP8X (with the ICC and EXIF flags), ICCP, the image
     * chunks as the encoder wrote them, EXIF. A comment has no place in WebP and is dropped.
     */
    private static byte[] webp(byte[] encoded, int width, int height, boolean alpha, KeptMetadata kept) {
        ByteBuffer in = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        int flags = 0;
        int pos = 12;
        while (pos + 8 <= encoded.length) {
            String type = new String(encoded, pos, 4, StandardCharsets.US_ASCII);
            int size = in.getInt(pos + 4);
            int padded = size + (size & 1);
            if (type.equals("VP8X")) {
                flags = encoded[pos + 8] & 0xFF;
            } else {
                image.write(encoded, pos, Math.min(8 + padded, encoded.length - pos));
            }
            pos += 8 + padded;
        }
        byte[] exif = kept.copyright() == null ? null : exifCopyright(kept.copyright());
        if (kept.iccProfile() != null) {
            flags |= 0x20;
        }
        if (exif != null) {
            flags |= 0x08;
        }
        if (alpha) {
            flags |= 0x10;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteBuffer vp8x = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        vp8x.put((byte) flags).put((byte) 0).put((byte) 0).put((byte) 0);
        putUint24(vp8x, width - 1);
        putUint24(vp8x, height - 1);
        riffChunk(body, "VP8X", vp8x.array());
        if (kept.iccProfile() != null) {
            riffChunk(body, "ICCP", kept.iccProfile());
        }
        body.writeBytes(image.toByteArray());
        if (exif != null) {
            riffChunk(body, "EXIF", exif);
        }
        ByteBuffer out = ByteBuffer.allocate(12 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.size())
                .put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(body.toByteArray());
        return out.array();
    }

    private static void putUint24(ByteBuffer buffer, int value) {
        buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
    }

    private static void riffChunk(ByteArrayOutputStream out, String type, byte[] body) {
        ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        header.put(type.getBytes(StandardCharsets.US_ASCII)).putInt(body.length);
        out.writeBytes(header.array());
        out.writeBytes(body);
        if ((body.length & 1) == 1) {
            out.write(0);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] splice(byte[] data, int at, byte[] insert) {
        byte[] out = new byte[data.length + insert.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(data, at, out, at + insert.length, data.length - at);
        return out;
    }
}
