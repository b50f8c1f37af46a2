package io.stillwater.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stillwater.config.StillwaterProperties;
import io.stillwater.image.ImageFormat;
import io.stillwater.image.Operation;
import io.stillwater.image.OutputSpec;
import io.stillwater.image.Resize;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * Turns what a client sent into a {@link JobRequest}: parses strictly (unknown fields are errors),
 * validates every field, checks the configured limits and expands the preset. Every rejection names
 * the field as a JSON path such as {@code outputs[0].ops[0].width}.
 */
@Component
public class JobSpecs {

    /** The longest source URL, as the job store's column allows. */
    static final int MAX_URL = 2048;

    private final ObjectMapper mapper;
    private final Validator validator;
    private final StillwaterProperties properties;
    private final Map<String, List<OutputSpec>> presets;

    public JobSpecs(ObjectMapper mapper, Validator validator, StillwaterProperties properties) {
        this.mapper = mapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.validator = validator;
        this.properties = properties;
        this.presets = readPresets(properties);
        if (!presets.containsKey(properties.jobs().defaultPreset())) {
            throw new IllegalStateException("stillwater.jobs.default-preset names no configured preset: "
                    + properties.jobs().defaultPreset());
        }
    }

    /** The configured presets, read and checked like a client's outputs so a bad one stops start-up. */
    private Map<String, List<OutputSpec>> readPresets(StillwaterProperties properties) {
        Map<String, List<OutputSpec>> read = new TreeMap<>();
        properties.presets().forEach((name, outputs) -> {
            List<OutputSpec> specs;
            try {
                specs = mapper.convertValue(outputs, new TypeReference<List<OutputSpec>>() {});
                normalise(new JobSpec(null, null, specs, null, null));
            } catch (IllegalArgumentException | InvalidSpecException e) {
                throw new IllegalStateException("stillwater.presets.%s is invalid: %s".formatted(name, e.getMessage()), e);
            }
            read.put(name, specs.stream().map(OutputSpec::normalised).toList());
        });
        return Map.copyOf(read);
    }

    /** Names of the configured presets. */
    public Set<String> presetNames() {
        return presets.keySet();
    }

    /** The configured presets by name, each with its outputs as a job stores them (defaults filled in). */
    public Map<String, List<OutputSpec>> presets() {
        return presets;
    }

    /** Parses the JSON text of a {@code spec} part; blank means an empty spec. */
    public JobSpec parse(String json) {
        if (json == null || json.isBlank()) {
            return JobSpec.empty();
        }
        try {
            JobSpec spec = mapper.readValue(json, JobSpec.class);
            return spec == null ? JobSpec.empty() : spec;
        } catch (InvalidTypeIdException e) {
            throw new InvalidSpecException(path(e) + ".op",
                    "unknown operation '%s'; supported: %s".formatted(e.getTypeId(), Operation.NAMES));
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidSpecException(path(e), "unknown field '%s'".formatted(e.getPropertyName()));
        } catch (JsonMappingException e) {
            throw new InvalidSpecException(path(e), "invalid value: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException("spec", "the spec is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A JSON job: the URL of its image, unchecked, and the rest of its spec. */
    public record UrlJob(String url, JobSpec spec) {}

    /**
     * Parses a JSON job, {@code {"source": {"url": "https://..."}, ...spec}}: the spec's fields beside
     * a {@code source} that names the image's URL.
     */
    public UrlJob parseUrlJob(String json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException("spec", "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode body)) {
            throw new InvalidSpecException("spec", "the body must be a JSON object");
        }
        JsonNode source = body.remove("source");
        if (source == null || !source.isObject()) {
            throw new InvalidSpecException("source",
                    "give the image's address as {\"source\": {\"url\": \"https://...\"}}, or upload the image");
        }
        source.fieldNames().forEachRemaining(name -> {
            if (!name.equals("url")) {
                throw new InvalidSpecException("source." + name, "unknown field '%s'".formatted(name));
            }
        });
        JsonNode url = source.get("url");
        if (url == null || !url.isTextual() || url.asText().isBlank()) {
            throw new InvalidSpecException("source.url", "must be an http or https URL");
        }
        if (url.asText().length() > MAX_URL) {
            throw new InvalidSpecException("source.url", "at most %d characters".formatted(MAX_URL));
        }
        return new UrlJob(url.asText(), parse(body.toString()));
    }

    /** Validates a parsed spec and resolves it against the configuration. */
    public JobRequest normalise(JobSpec spec) {
        Set<ConstraintViolation<JobSpec>> violations = validator.validate(spec);
        if (!violations.isEmpty()) {
            ConstraintViolation<JobSpec> first = violations.stream()
                    .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .orElseThrow();
            String field = first.getPropertyPath().toString();
            // Class-level checks (such as "a resize needs a width") are reported on the object itself.
            // Class-level checks named after a field (isWidth, isGravity, ...) already carry its name.
            field = field.replaceAll("\\.(sized|formatWritable)$", "");
            throw new InvalidSpecException(field.isEmpty() ? "spec" : field, first.getMessage());
        }
        List<OutputSpec> outputs = spec.outputs();
        if (outputs == null) {
            String preset = spec.preset() == null ? properties.jobs().defaultPreset() : spec.preset();
            outputs = presets.get(preset);
            if (outputs == null) {
                throw new InvalidSpecException("preset",
                        "unknown preset '%s'; configured: %s".formatted(preset, new TreeSet<>(presets.keySet())));
            }
        } else {
            checkOutputs(outputs);
        }
        Priority priority = spec.priority() == null ? Priority.NORMAL : Priority.byId(spec.priority()).orElseThrow();
        return new JobRequest(priority, outputs.stream().map(OutputSpec::normalised).toList(), spec.callbackUrl(),
                spec.metadata() == null ? Map.of() : Map.copyOf(spec.metadata()));
    }

    private void checkOutputs(List<OutputSpec> outputs) {
        StillwaterProperties.Limits limits = properties.limits();
        if (outputs.size() > limits.maxOutputs()) {
            throw new InvalidSpecException("outputs",
                    "at most %d outputs per job".formatted(limits.maxOutputs()));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < outputs.size(); i++) {
            OutputSpec output = outputs.get(i);
            if (!names.add(output.name())) {
                throw new InvalidSpecException("outputs[%d].name".formatted(i),
                        "output name '%s' is used twice".formatted(output.name()));
            }
            List<?> ops = output.ops() == null ? List.of() : output.ops();
            for (int j = 0; j < ops.size(); j++) {
                if (ops.get(j) instanceof Resize resize) {
                    checkDimension(resize.width(), "outputs[%d].ops[%d].width".formatted(i, j), limits);
                    checkDimension(resize.height(), "outputs[%d].ops[%d].height".formatted(i, j), limits);
                    if (resize.hasTransparentBackground() && output.formatOrDefault() == ImageFormat.JPEG) {
                        throw new InvalidSpecException("outputs[%d].ops[%d].background".formatted(i, j),
                                "a transparent background needs format png or webp; jpeg has no alpha");
                    }
                }
            }
        }
    }

    private static void checkDimension(Integer value, String field, StillwaterProperties.Limits limits) {
        if (value != null && value > limits.maxOutputDimension()) {
            throw new InvalidSpecException(field,
                    "must be at most %d pixels".formatted(limits.maxOutputDimension()));
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            }
        }
        return path.isEmpty() ? "spec" : path.toString();
    }
}
