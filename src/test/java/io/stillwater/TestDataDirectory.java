package io.stillwater;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Gives a test's service a data directory of its own, so no two contexts share a journal or database. */
public final class TestDataDirectory {

    private TestDataDirectory() {}

    /** Points {@code stillwater.data-dir} at a new temporary directory. */
    public static void use(DynamicPropertyRegistry registry) {
        try {
            registry.add("stillwater.data-dir", Files.createTempDirectory("stillwater-test")::toString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
