package io.stillwater.image;

/**
 * An encoded output.
 *
 * @param name the output's name from the spec
 * @param format the encoded format
 * @param width pixel width
 * @param height pixel height
 * @param data the encoded bytes
 */
public record Rendition(String name, ImageFormat format, int width, int height, byte[] data) {

    /** The encoded size in bytes; routes use this rather than {@code data().length}, which Camel's
     * simple language would resolve by converting the whole array element by element. */
    public int size() {
        return data.length;
    }
}
