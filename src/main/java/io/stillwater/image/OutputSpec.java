package io.stillwater.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * One rendition a job asks for.
 *
 * @param name unique within the job; part of the rendition's object key
 * @param ops the operations, applied in order after EXIF orientation
 * @param format output format, {@code jpeg} unless given
 * @param quality encoder quality 1–100 for lossy formats, 80 unless given
 * @param progressive JPEG only: write a progressive JPEG, which shows a coarse image early while
 *     loading (default false)
 * @param keepMetadata carry over the source's colour profile and copyright notice, and nothing else
 *     (default false: the rendition carries no metadata at all)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputSpec(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]*", message = "use letters, digits, '-' and '_'")
                String name,
        @Size(max = 16) List<@NotNull @Valid Operation> ops,
        ImageFormat format,
        @Min(1) @Max(100) Integer quality,
        Boolean progressive,
        Boolean keepMetadata) {

    public static final int DEFAULT_QUALITY = 80;

    /** An output with the default encoding options. */
    public OutputSpec(String name, List<Operation> ops, ImageFormat format, Integer quality) {
        this(name, ops, format, quality, null, null);
    }

    /** The same output with defaults filled in, as it is stored with the job. */
    public OutputSpec normalised() {
        return new OutputSpec(name, ops == null ? List.of() : ops, formatOrDefault(), qualityOrDefault(),
                progressiveOrDefault() ? Boolean.TRUE : null, keepMetadataOrDefault() ? Boolean.TRUE : null);
    }

    public ImageFormat formatOrDefault() {
        return format == null ? ImageFormat.JPEG : format;
    }

    public int qualityOrDefault() {
        return quality == null ? DEFAULT_QUALITY : quality;
    }

    public boolean progressiveOrDefault() {
        return Boolean.TRUE.equals(progressive);
    }

    public boolean keepMetadataOrDefault() {
        return Boolean.TRUE.equals(keepMetadata);
    }

    @AssertTrue(message = "renditions are written as jpeg, png or webp")
    boolean isFormatWritable() {
        return format == null || format.isWritable();
    }

    @AssertTrue(message = "progressive applies only to format jpeg")
    boolean isProgressive() {
        return !progressiveOrDefault() || formatOrDefault() == ImageFormat.JPEG;
    }
}
