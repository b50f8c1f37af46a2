package io.stillwater.security;

import io.stillwater.config.StillwaterProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys intake accepts ({@code stillwater.security.intake.api-keys}). Only their SHA-256 digests are
 * kept, and a presented key is compared with each in constant time. With no key configured, one is generated
 * for this run and logged, unless {@code generate-key} is off (the {@code prod} profile): then the service
 * refuses to start rather than run with intake open or with a key nobody knows.
 */
public final class IntakeKeys {

    /** The header a client sends its key in. */
    public static final String HEADER = "X-Api-Key";

    private static final Logger log = LoggerFactory.getLogger(IntakeKeys.class);

    private final List<byte[]> digests;

    private IntakeKeys(List<String> keys) {
        this.digests = keys.stream().map(IntakeKeys::sha256).toList();
    }

    /** The configured keys, or a generated one; fails when there is none and none may be generated. */
    public static IntakeKeys from(StillwaterProperties.Security.Intake intake) {
        if (!intake.apiKeys().isEmpty()) {
            log.info("Intake accepts {} configured API key(s) in the {} header", intake.apiKeys().size(), HEADER);
            return new IntakeKeys(intake.apiKeys());
        }
        if (!intake.generateKey()) {
            throw new IllegalStateException("No intake API key configured: set STILLWATER_SECURITY_INTAKE_API_KEYS "
                    + "(stillwater.security.intake.api-keys, one or more keys of at least 16 characters, comma-separated)");
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        log.warn("No intake API key configured (STILLWATER_SECURITY_INTAKE_API_KEYS); generated for this run: "
                + "send '{}: {}' with every /api/v1/jobs request", HEADER, key);
        return new IntakeKeys(List.of(key));
    }

    /** Whether {@code presented} is one of the keys. Every key is compared, each in constant time. */
    public boolean accepts(String presented) {
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] key : digests) {
            match |= MessageDigest.isEqual(key, digest);
        }
        return match;
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
