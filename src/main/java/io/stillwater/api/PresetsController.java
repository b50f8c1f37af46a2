package io.stillwater.api;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.image.OutputSpec;
import io.stillwater.job.JobSpecs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/presets}: the presets a job may name ({@code stillwater.presets}), with the outputs each
 * renders, and the one a job that names neither preset nor outputs gets ({@code stillwater.jobs.default-preset}).
 */
@Tag(name = "Presets", description = "The named output sets a job may ask for with `preset`")
@RestController
@RequestMapping("/api/v1/presets")
public class PresetsController {

    private final JobSpecs specs;
    private final String defaultPreset;

    public PresetsController(JobSpecs specs, StillwaterProperties properties) {
        this.specs = specs;
        this.defaultPreset = properties.jobs().defaultPreset();
    }

    /** A preset: its name and its outputs, written as in a job's spec with the defaults filled in. */
    public record Preset(String name, List<OutputSpec> outputs) {}

    /** The presets by name, and the default one's name. */
    public record Presets(String defaultPreset, List<Preset> items) {}

    @Operation(summary = "List the presets", description = """
            Every configured preset with the outputs it renders, written as in a job's spec with the defaults \
            filled in, and the name of the preset a job that names neither preset nor outputs gets.""",
            security = {@SecurityRequirement(name = OpenApiConfiguration.API_KEY),
                        @SecurityRequirement(name = OpenApiConfiguration.OPERATOR)})
    @ApiResponse(responseCode = "200", description = "The presets by name and the default one's name")
    @GetMapping
    public Presets list() {
        return new Presets(defaultPreset, new TreeMap<>(specs.presets()).entrySet().stream()
                .map(preset -> new Preset(preset.getKey(), preset.getValue())).toList());
    }
}
