package io.stillwater;

import io.stillwater.embedded.EmbeddedObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * An S3 server of the test's own, outside the service: S3Proxy (as {@link EmbeddedObjectStore}) on a
 * fixed port with its files in a directory of the test's, which the test stops to take the object
 * store away from a running service and starts again on the same port and files. The service talks
 * to it as to any external S3 endpoint ({@link #register}).
 */
public final class ObjectStoreServer implements AutoCloseable {

    public static final String ACCESS_KEY = "outage-test";
    public static final String SECRET_KEY = "outage-test-secret";

    private final int port;
    private final Path directory;
    private EmbeddedObjectStore server;

    private ObjectStoreServer(int port, Path directory) {
        this.port = port;
        this.directory = directory;
    }

    /** Starts a server on a free port, with its files in a new temporary directory. */
    public static ObjectStoreServer start() {
        try (ServerSocket probe = new ServerSocket(0)) {
            ObjectStoreServer objects = new ObjectStoreServer(probe.getLocalPort(),
                    Files.createTempDirectory("stillwater-objects"));
            probe.close();
            objects.restart();
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points the service at this server instead of its embedded one. */
    public void register(DynamicPropertyRegistry registry) {
        registry.add("stillwater.storage.embedded.enabled", () -> "false");
        registry.add("stillwater.storage.endpoint", this::endpoint);
        registry.add("stillwater.storage.access-key", () -> ACCESS_KEY);
        registry.add("stillwater.storage.secret-key", () -> SECRET_KEY);
    }

    /**
     * Makes this server the cloud store of a service in the edge role ({@code stillwater.uplink.store});
     * the service keeps its embedded store as its local one.
     */
    public void registerAsCloudStore(DynamicPropertyRegistry registry) {
        registry.add("stillwater.uplink.store.endpoint", this::endpoint);
        registry.add("stillwater.uplink.store.access-key", () -> ACCESS_KEY);
        registry.add("stillwater.uplink.store.secret-key", () -> SECRET_KEY);
    }

    /** The keys of the objects in a bucket, read from the server's files: also while it is stopped. */
    public List<String> keys(String bucket) {
        Path root = directory.resolve(bucket);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file).toString().replace(java.io.File.separatorChar, '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String endpoint() {
        return URI.create("http://127.0.0.1:" + port).toString();
    }

    /** The port, which every start uses. */
    public int port() {
        return port;
    }

    public boolean running() {
        return server != null;
    }

    /** Stops the server: connections to its port are refused until {@link #restart}. */
    public void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (Exception e) {
            throw new IllegalStateException("the object store did not stop", e);
        } finally {
            server = null;
        }
    }

    /** Starts the server again on the same port, serving the same files. */
    public void restart() {
        if (server != null) {
            return;
        }
        try {
            server = EmbeddedObjectStore.start("127.0.0.1", port, directory, ACCESS_KEY, SECRET_KEY);
        } catch (Exception e) {
            throw new IllegalStateException("the object store did not start on port " + port, e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
