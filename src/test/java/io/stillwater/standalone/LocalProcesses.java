package io.stillwater.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.util.FileSystemUtils;

/**
 * What the integration tests need to run other programs on this machine: free loopback ports, random
 * secrets, a predictable environment, and the guarantee that no process they start outlives the test JVM.
 */
final class LocalProcesses {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        // The last resort, should a test end without closing what it started.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(process -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }), "stop-test-processes"));
    }

    private LocalProcesses() {}

    /** A port nothing listens on right now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A random password or key. */
    static String secret() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Runs the program with this JVM's JDK and without variables of the surrounding environment that
     * would change it: Artemis' {@code ARTEMIS_*} and {@code JAVA_ARGS} (which replaces the instance's JVM
     * options), the service's {@code SPRING_*} and {@code STILLWATER_*}.
     */
    static void cleanEnvironment(ProcessBuilder builder) {
        builder.environment().keySet().removeIf(name -> name.startsWith("ARTEMIS_") || name.equals("JAVA_ARGS")
                || name.startsWith("SPRING_") || name.startsWith("STILLWATER_"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    }

    /** Remembers a started process, so that it is stopped at the latest when the test JVM exits. */
    static Process track(Process process) {
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
        return process;
    }

    /** Asks the process to end (SIGTERM), then kills it if it has not ended within {@code grace}. */
    static void terminate(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of a log, for failure messages. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * A fresh directory for one test's processes under the build's {@code stillwater.it.work-dir}, left in
     * place afterwards so their logs can be read; the previous run's is removed first.
     */
    static Path workDirectory(String name) {
        String root = System.getProperty("stillwater.it.work-dir");
        if (root == null) {
            throw new IllegalStateException(
                    "system property stillwater.it.work-dir is not set: run the integration tests through Maven "
                            + "(./mvnw verify)");
        }
        Path directory = Path.of(root, name).toAbsolutePath();
        try {
            FileSystemUtils.deleteRecursively(directory);
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A path from a system property that the build sets (see the failsafe configuration in pom.xml). */
    static Path buildPath(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property
                    + " is not set: run the integration tests through Maven (./mvnw verify)");
        }
        Path path = Path.of(value);
        if (!Files.exists(path)) {
            throw new IllegalStateException(property + " names " + path + ", which does not exist");
        }
        return path;
    }
}
