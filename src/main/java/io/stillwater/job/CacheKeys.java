package io.stillwater.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stillwater.image.OutputSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What identifies a result: the source's bytes and the normalised outputs asked of them.
 *
 * <p>A spec is hashed as canonical JSON: properties in alphabetical order, absent ones omitted, after
 * {@link JobSpecs#normalise} has filled in the defaults (so {@code "format": "jpeg", "quality": 80}
 * and nothing at all hash alike). The hash input starts with {@link #RENDERING}, the version of what
 * the engine draws for a spec; raising it when the engine's output changes makes every earlier
 * rendition a miss instead of serving stale pixels.
 */
public final class CacheKeys {

    /** The rendering version: part of every hash. */
    public static final String RENDERING = "stillwater-rendering-1";

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private CacheKeys() {}

    /**
     * A job's cache key, {@code <source sha256>:<outputs hash>}: the same bytes with the same normalised
     * outputs (names, order and all) have the same key, whatever else the request said.
     */
    public static String job(String sourceSha256, List<OutputSpec> outputs) {
        return sourceSha256 + ":" + sha256(RENDERING + "\n" + canonical(outputs));
    }

    /**
     * The hash of one output's normalised spec without its name, which does not change a pixel: the
     * same output under another name, or in another job, is the same rendition.
     */
    public static String output(OutputSpec output) {
        OutputSpec normalised = output.normalised();
        OutputSpec unnamed = new OutputSpec(null, normalised.ops(), normalised.format(), normalised.quality(),
                normalised.progressive(), normalised.keepMetadata());
        return sha256(RENDERING + "\n" + canonical(unnamed));
    }

    static String canonical(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a spec that cannot be written as JSON", e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
