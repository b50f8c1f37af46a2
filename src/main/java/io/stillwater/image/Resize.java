package io.stillwater.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Positive;

/**
 * Scales the image to a box. With only one of width and height the other follows the aspect ratio.
 *
 * @param width box width in pixels
 * @param height box height in pixels
 * @param fit {@code inside} keeps the whole image within the box; {@code cover} fills the box and
 *     crops the overflow around the centre
 * @param enlarge whether a smaller source may be scaled up (default false)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resize(@Positive Integer width, @Positive Integer height, Fit fit, Boolean enlarge) implements Operation {

    public enum Fit {
        @JsonProperty("inside") INSIDE,
        @JsonProperty("cover") COVER
    }

    public Fit fitOrDefault() {
        return fit == null ? Fit.INSIDE : fit;
    }

    public boolean enlargeOrDefault() {
        return Boolean.TRUE.equals(enlarge);
    }

    @AssertTrue(message = "a resize needs a width, a height or both")
    boolean isSized() {
        return width != null || height != null;
    }
}
