package io.stillwater.image;

/** Colours as clients write them, {@code #rrggbb} or {@code #rrggbbaa}, read into packed ARGB. */
final class Colour {

    static final String PATTERN = "#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?";
    static final int WHITE = 0xFFFFFFFF;

    private Colour() {}

    /** @param text a colour matching {@link #PATTERN} */
    static int parse(String text) {
        int rgb = Integer.parseInt(text.substring(1, 7), 16);
        int alpha = text.length() == 9 ? Integer.parseInt(text.substring(7, 9), 16) : 0xFF;
        return alpha << 24 | rgb;
    }

    static boolean isOpaque(String text) {
        return text == null || (parse(text) >>> 24) == 0xFF;
    }
}
