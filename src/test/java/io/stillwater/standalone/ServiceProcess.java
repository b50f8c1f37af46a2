package io.stillwater.standalone;

import static org.awaitility.Awaitility.await;

import io.stillwater.ServiceClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as it is deployed: the built jar run by {@code java -jar} in a process of its own, its
 * configuration in arguments and its credentials (intake API keys included) in environment variables,
 * output in a log file.
 */
final class ServiceProcess implements AutoCloseable {

    /** The exit code of a JVM that ended on SIGTERM after its shutdown hooks: 128 + 15. */
    static final int EXIT_ON_SIGTERM = 143;

    /** The exit code Java reports for a process killed by SIGKILL: 128 + 9. */
    static final int EXIT_ON_SIGKILL = 137;

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;
    private final String apiKey;

    private ServiceProcess(String name, int port, Path log, Process process, String apiKey) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
        this.apiKey = apiKey;
    }

    private static final String INTAKE_KEYS = "STILLWATER_SECURITY_INTAKE_API_KEYS";

    /** The JVM options an instance runs with unless a test gives its own. */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx512m");

    /** Starts {@code jar} on a free port with {@code arguments} and the variables in {@code environment}. */
    static ServiceProcess start(Path jar, String name, Path log, Map<String, String> environment, String... arguments)
            throws IOException {
        return start(jar, name, log, environment, DEFAULT_JVM_OPTIONS, arguments);
    }

    /** As {@link #start(Path, String, Path, Map, String...)}, the JVM run with {@code jvmOptions}. */
    static ServiceProcess start(Path jar, String name, Path log, Map<String, String> environment,
            List<String> jvmOptions, String... arguments) throws IOException {
        int port = LocalProcesses.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        LocalProcesses.cleanEnvironment(builder);
        builder.environment().putAll(environment);
        // Its clients use the first intake API key the environment gives it; without one, the tests' key (the
        // same for every process, so a restarted service on the same data takes the same clients).
        builder.environment().putIfAbsent(INTAKE_KEYS, ServiceClient.TEST_API_KEY);
        String apiKey = builder.environment().get(INTAKE_KEYS).split(",")[0].strip();
        return new ServiceProcess(name, port, log, LocalProcesses.track(builder.start()), apiKey);
    }

    String name() {
        return name;
    }

    /** A client with the instance's intake API key. */
    ServiceClient client() {
        return ServiceClient.withApiKey(port, apiKey);
    }

    boolean isRunning() {
        return process.isAlive();
    }

    /** Waits until the instance reports itself ready for traffic ({@code /actuator/health/readiness}). */
    void awaitReady(Duration patience) {
        ServiceClient client = client();
        await(name + " ready").atMost(patience).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n"
                        + LocalProcesses.tail(log, 60));
            }
            try {
                return client.get("/actuator/health/readiness").status() == 200;
            } catch (RuntimeException notListeningYet) {
                return false;
            }
        });
    }

    /**
     * Stops the instance the way a supervisor does (SIGTERM: Spring Boot's orderly shutdown) and waits for
     * the process to end.
     *
     * @return whether it ended within {@code patience}
     */
    boolean stop(Duration patience) throws InterruptedException {
        process.destroy();
        return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Sends SIGTERM and waits for the process to end.
     *
     * @return its exit code: {@link #EXIT_ON_SIGTERM} when the JVM ran its shutdown hooks and exited on the signal
     * @throws IllegalStateException when it is still running after {@code patience}
     */
    int terminate(Duration patience) throws InterruptedException {
        process.destroy();
        return exitCode(patience);
    }

    /**
     * Kills the process (SIGKILL on Linux: no shutdown hook, nothing flushed or closed) and waits for it to end.
     *
     * @return its exit code, {@link #EXIT_ON_SIGKILL} when the signal killed it
     */
    int kill(Duration patience) throws InterruptedException {
        process.destroyForcibly();
        return exitCode(patience);
    }

    private int exitCode(Duration patience) throws InterruptedException {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still running " + patience + " after the signal:\n" + logTail());
        }
        return process.exitValue();
    }

    /** The instance's whole log. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The end of the instance's log, for failure messages. */
    String logTail() {
        return LocalProcesses.tail(log, 60);
    }

    @Override
    public void close() {
        LocalProcesses.terminate(process, Duration.ofSeconds(60));
    }
}
