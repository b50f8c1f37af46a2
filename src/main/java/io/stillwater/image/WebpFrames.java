package io.stillwater.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns an animated WebP into a still one holding its first frame. The WebP decoder only decodes
 * stills; an animation frame (an ANMF chunk) carries the same image chunks a still file does, so the
 * first frame is rewrapped rather than decoded some other way. This matches GIF, where the first
 * frame is what renders.
 */
final class WebpFrames {

    private WebpFrames() {}

    /**
     * @return a still WebP of the first frame, at the frame's own size
     * @throws ImageException {@code corrupt-image} when the animation has no readable frame
     */
    static byte[] firstFrame(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (pos + 8 <= data.length) {
            long size = in.getInt(pos + 4) & 0xFFFFFFFFL;
            if (pos + 8 + size > data.length) {
                break;
            }
            if (type(data, pos).equals("ANMF") && size > 16) {
                int frame = pos + 8;
                int width = uint24(data, frame + 6) + 1;
                int height = uint24(data, frame + 9) + 1;
                byte[] chunks = Arrays.copyOfRange(data, frame + 16, frame + (int) size);
                return still(chunks, width, height);
            }
            pos += 8 + (int) size + (int) (size & 1);
        }
        throw ImageException.corrupt("the animated webp holds no readable frame", null);
    }

    /** A lone VP8 or VP8L chunk is a simple WebP; with an ALPH chunk it needs the extended header. */
    private static byte[] still(byte[] chunks, int width, int height) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunks.length >= 4 && type(chunks, 0).equals("ALPH")) {
            ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
            vp8x.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).put((byte) 0x10).put(new byte[3]);
            putUint24(vp8x, width - 1);
            putUint24(vp8x, height - 1);
            body.writeBytes(vp8x.array());
        }
        body.writeBytes(chunks);
        ByteBuffer out = ByteBuffer.allocate(12 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.size())
                .put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(body.toByteArray());
        return out.array();
    }

    private static String type(byte[] data, int pos) {
        return new String(data, pos, 4, StandardCharsets.US_ASCII);
    }

    private static int uint24(byte[] data, int offset) {
        return (data[offset] & 0xFF) | (data[offset + 1] & 0xFF) << 8 | (data[offset + 2] & 0xFF) << 16;
    }

    private static void putUint24(ByteBuffer buffer, int value) {
        buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
    }
}
