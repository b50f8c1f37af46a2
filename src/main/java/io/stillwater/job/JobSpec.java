package io.stillwater.job;

import io.stillwater.image.OutputSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * The spec a client sends with an image, as in the API contract; every field is optional.
 *
 * @param priority {@code urgent}, {@code normal} (default) or {@code background}
 * @param preset name of a configured preset, used when no outputs are given
 * @param outputs the renditions to make
 * @param callbackUrl where to report the job's end
 * @param metadata client strings, echoed back
 */
public record JobSpec(
        @Pattern(regexp = "urgent|normal|background", message = "must be urgent, normal or background") String priority,
        @Size(max = 64) String preset,
        @Size(min = 1, message = "give at least one output, or leave outputs out") List<@Valid OutputSpec> outputs,
        @Size(max = 2048) @Pattern(regexp = "https?://[^\\s\\p{Cntrl}]+", message = "must be an absolute http or https URL") String callbackUrl,
        @Size(max = 32) Map<@Size(min = 1, max = 64) String, @Size(max = 1024) String> metadata) {

    public static JobSpec empty() {
        return new JobSpec(null, null, null, null, null);
    }
}
