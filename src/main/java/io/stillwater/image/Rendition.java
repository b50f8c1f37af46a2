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
public record Rendition(String name, ImageFormat format, int width, int height, byte[] data) {}
