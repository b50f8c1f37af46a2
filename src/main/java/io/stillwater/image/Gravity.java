package io.stillwater.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.awt.Point;
import java.awt.image.BufferedImage;

/**
 * Which part of an image a crop keeps: a compass point, the centre, or {@code attention}, the most
 * detailed region (see {@link Attention}).
 */
public enum Gravity {
    @JsonProperty("centre") CENTRE(0.5, 0.5),
    @JsonProperty("north") NORTH(0.5, 0),
    @JsonProperty("northeast") NORTHEAST(1, 0),
    @JsonProperty("east") EAST(1, 0.5),
    @JsonProperty("southeast") SOUTHEAST(1, 1),
    @JsonProperty("south") SOUTH(0.5, 1),
    @JsonProperty("southwest") SOUTHWEST(0, 1),
    @JsonProperty("west") WEST(0, 0.5),
    @JsonProperty("northwest") NORTHWEST(0, 0),
    @JsonProperty("attention") ATTENTION(0.5, 0.5);

    private final double fx;
    private final double fy;

    Gravity(double fx, double fy) {
        this.fx = fx;
        this.fy = fy;
    }

    /**
     * The top-left corner of a {@code width} × {@code height} region of the image, which must be at
     * most the image's size.
     */
    Point origin(BufferedImage image, int width, int height) {
        if (this == ATTENTION) {
            return Attention.focus(image, width, height);
        }
        return new Point((int) Math.round((image.getWidth() - width) * fx),
                (int) Math.round((image.getHeight() - height) * fy));
    }
}
