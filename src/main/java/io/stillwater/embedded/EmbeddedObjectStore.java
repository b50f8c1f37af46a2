package io.stillwater.embedded;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-protocol server inside the service: S3Proxy with its {@code filesystem-nio2} blob store, one
 * directory per bucket and one file per object. Chosen because it is plain Java on Maven Central
 * (nothing to install), speaks the real S3 protocol with V4 signatures (so presigned URLs work as they
 * do against AWS or MinIO) and keeps objects as ordinary files that survive restarts.
 */
public final class EmbeddedObjectStore {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedObjectStore.class);

    /**
     * S3Proxy writes an object to {@code <key>-<random UUID>} and then renames it to {@code <key>}; a process
     * killed in between leaves that file behind, where it would be listed as an object of its own.
     */
    private static final Pattern UNFINISHED_WRITE =
            Pattern.compile(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final S3Proxy server;
    private final String host;
    private final Path directory;

    private EmbeddedObjectStore(S3Proxy server, String host, Path directory) {
        this.server = server;
        this.host = host;
        this.directory = directory;
    }

    /** Starts a server on {@code host:port} (0 picks a free port) storing files under {@code directory}. */
    public static EmbeddedObjectStore start(String host, int port, Path directory, String accessKey, String secretKey)
            throws Exception {
        Files.createDirectories(directory);
        removeUnfinishedWrites(directory);
        S3Proxy server = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(directory.toAbsolutePath().toString()))
                .endpoint(URI.create("http://%s:%d".formatted(host, port)))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        server.start();
        EmbeddedObjectStore store = new EmbeddedObjectStore(server, host, directory.toAbsolutePath());
        log.info("Embedded object store (S3Proxy) listening on {}, objects under {}", store.endpoint(), store.directory);
        return store;
    }

    /** Deletes what writes cut short by a crash left behind (no object key the service writes looks like it). */
    static void removeUnfinishedWrites(Path directory) throws IOException {
        List<Path> unfinished;
        try (Stream<Path> files = Files.walk(directory)) {
            unfinished = files.filter(Files::isRegularFile)
                    .filter(file -> UNFINISHED_WRITE.matcher(file.getFileName().toString()).matches())
                    .toList();
        }
        for (Path file : unfinished) {
            Files.deleteIfExists(file);
            log.warn("Removed {}, an object write cut short (the service stopped mid-write)", file);
        }
    }

    /** Where clients on this machine reach the server (loopback when it binds every address). */
    public URI endpoint() {
        String reachable = "0.0.0.0".equals(host) ? "127.0.0.1" : host;
        return URI.create("http://%s:%d".formatted(reachable, server.getPort()));
    }

    /** Stops the server; called by the application context at shutdown. */
    public void close() throws Exception {
        server.stop();
        log.info("Embedded object store stopped");
    }
}
