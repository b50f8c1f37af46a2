package io.stillwater.image;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.awt.image.BufferedImage;

/**
 * One step of an output's {@code ops}, named by its {@code op} field. Each operation is a record of
 * its JSON fields, validated at intake, and knows how to apply itself, so the engine runs a list of
 * them without knowing what they are.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Resize.class, name = "resize"),
    @JsonSubTypes.Type(value = Crop.class, name = "crop"),
    @JsonSubTypes.Type(value = Rotate.class, name = "rotate"),
    @JsonSubTypes.Type(value = Flip.class, name = "flip"),
    @JsonSubTypes.Type(value = Flop.class, name = "flop"),
    @JsonSubTypes.Type(value = Grayscale.class, name = "grayscale"),
    @JsonSubTypes.Type(value = Blur.class, name = "blur"),
    @JsonSubTypes.Type(value = Sharpen.class, name = "sharpen")
})
public sealed interface Operation permits Resize, Crop, Rotate, Flip, Flop, Grayscale, Blur, Sharpen {

    /** The names clients use in {@code op}, for error messages. */
    String NAMES = "resize, crop, rotate, flip, flop, grayscale, blur, sharpen";

    /**
     * @param image packed {@code TYPE_INT_RGB} or {@code TYPE_INT_ARGB} pixels, never modified
     * @return the result, of one of those two types (possibly the same instance when nothing changes)
     * @throws ImageException when the operation cannot apply to this image (such as a crop box
     *     entirely outside it)
     */
    BufferedImage applyTo(BufferedImage image);
}
