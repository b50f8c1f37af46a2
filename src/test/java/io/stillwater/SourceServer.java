package io.stillwater;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on loopback that plays the sources a fetcher meets: images, redirects, errors,
 * failing-then-recovering, slow and endless bodies. Counts the requests each path received.
 */
public final class SourceServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    /** Bytes written by the endless body before the client hung up. */
    public final AtomicLong endlessBytesSent = new AtomicLong();

    public SourceServer(byte[] image) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            long count = requests.computeIfAbsent(exchange.getRequestURI().toString(), p -> new AtomicLong())
                    .incrementAndGet();
            try (exchange) {
                serve(exchange, path, count, image);
            }
        });
        server.start();
    }

    private void serve(HttpExchange exchange, String path, long count, byte[] image) throws IOException {
        if (path.equals("/photo.jpg")) {
            send(exchange, 200, "image/jpeg", image);
        } else if (path.startsWith("/hops/")) {
            int left = Integer.parseInt(path.substring("/hops/".length()));
            String query = exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery();
            redirect(exchange, (left == 0 ? "/photo.jpg" : "/hops/" + (left - 1)) + query);
        } else if (path.equals("/to-metadata")) {
            redirect(exchange, "http://169.254.169.254/latest/meta-data/");
        } else if (path.equals("/to-localhost")) {
            redirect(exchange, "http://localhost:" + port() + "/photo.jpg");
        } else if (path.equals("/to-file")) {
            redirect(exchange, "file:///etc/passwd");
        } else if (path.equals("/missing.jpg")) {
            send(exchange, 404, "text/plain", "not here".getBytes());
        } else if (path.equals("/flaky.jpg") && count == 1) {
            send(exchange, 503, "text/plain", "busy".getBytes());
        } else if (path.equals("/flaky.jpg")) {
            send(exchange, 200, "image/jpeg", image);
        } else if (path.equals("/text.jpg")) {
            send(exchange, 200, "image/jpeg", "#!/bin/sh\necho this is no image\n".getBytes());
        } else if (path.equals("/endless.jpg")) {
            // Chunked, no length declared: the fetcher must stop at its limit on its own.
            exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            System.arraycopy(image, 0, chunk, 0, Math.min(image.length, chunk.length));
            try (OutputStream body = exchange.getResponseBody()) {
                while (endlessBytesSent.get() < 1L << 30) {
                    body.write(chunk);
                    endlessBytesSent.addAndGet(chunk.length);
                }
            } catch (IOException hungUp) {
                // What should happen: the fetcher stopped reading.
            }
        } else if (path.equals("/stalls.jpg")) {
            // Headers, then nothing until the test ends: the fetcher's read timeout must fire.
            exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, image.length);
            exchange.getResponseBody().write(image, 0, 100);
            exchange.getResponseBody().flush();
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            send(exchange, 404, "text/plain", new byte[0]);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** An address of this server, as a client names it. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Requests for a path and query, such as {@code /photo.jpg?v=1}. */
    public long requests(String pathAndQuery) {
        AtomicLong count = requests.get(pathAndQuery);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
