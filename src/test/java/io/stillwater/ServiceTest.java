package io.stillwater;

import java.io.IOException;
import java.nio.file.Files;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the whole service ({@code @SpringBootTest} with a random port, declared
 * by each test with its own settings): each gets a data directory of its own, so no two contexts share
 * a journal or a database, and its context is closed after the class. Intake accepts
 * {@link ServiceClient#TEST_API_KEY}, which {@link #client()} sends.
 */
@DirtiesContext
public abstract class ServiceTest {

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) throws IOException {
        registry.add("stillwater.data-dir", Files.createTempDirectory("stillwater-test")::toString);
        registry.add("stillwater.security.intake.api-keys", () -> ServiceClient.TEST_API_KEY);
    }

    /** A client of this test's service, with the intake API key. */
    protected ServiceClient client() {
        return ServiceClient.withApiKey(port, ServiceClient.TEST_API_KEY);
    }

    /** A client of this test's service that sends no credentials at all. */
    protected ServiceClient anonymous() {
        return new ServiceClient(port);
    }
}
