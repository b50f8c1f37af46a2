package io.stillwater.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for the farm's underwater cameras: the still-capture HTTP API a real camera adapter is
 * written against, answering with JPEG frames rendered on the spot (gradient water, light, rising
 * bubbles, passing fish, the camera id and the time drawn in). Its latency, failure rate and each
 * camera's availability are settable, so the service's retries, rate limits and dead-lettering can be
 * seen working without a camera.
 *
 * <pre>
 * GET  /cameras/{id}/still.jpg            a JPEG frame; 503 when offline or failing; 404 unknown camera
 * GET  /cameras/{id}/health               200 {"id":..,"state":"online"}; 503 {"state":"offline"} when offline
 * POST /admin/cameras/{id}/offline        take the camera offline (stills and health answer 503) until
 *                                         brought back; configured offline windows apply besides
 * POST /admin/cameras/{id}/online         bring it back
 * POST /admin/cameras/{id}/fail?count=N   answer the next N stills 503, then recover
 * GET  /admin/cameras/{id}/requests       epoch milliseconds of every still request received, oldest first
 * </pre>
 *
 * Runs inside the service (the embedded default) or alone: {@link #main} (see the README).
 */
public final class CameraSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CameraSimulator.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** What the simulator plays. */
    public record Settings(String host, int port, List<String> cameras, int width, int height, Duration latency,
            double failureRate, List<OfflineWindow> offlineWindows) {

        public Settings {
            offlineWindows = offlineWindows == null ? List.of() : List.copyOf(offlineWindows);
        }
    }

    /**
     * A camera offline for {@code length} at the start of every {@code every}, counted from the epoch (so
     * {@code every} 1 h and {@code length} 5 min: the first five minutes of each hour, UTC), as a camera on a
     * link that drops out on a rhythm would be.
     */
    public record OfflineWindow(String camera, Duration every, Duration length) {

        public OfflineWindow {
            if (camera == null || every == null || length == null || length.isNegative() || length.isZero()
                    || every.compareTo(length) <= 0) {
                throw new IllegalArgumentException("an offline window needs a camera and 0 < length < every, not "
                        + camera + " " + length + " of " + every);
            }
        }

        boolean covers(long epochMillis) {
            return Math.floorMod(epochMillis, every.toMillis()) < length.toMillis();
        }

        /** {@code camera:every:length} with ISO-8601 durations, such as {@code pen-2:PT1H:PT5M}. */
        static OfflineWindow parse(String text) {
            String[] parts = text.trim().split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("an offline window is camera:every:length, not " + text);
            }
            return new OfflineWindow(parts[0], Duration.parse(parts[1]), Duration.parse(parts[2]));
        }
    }

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Camera> cameras = new ConcurrentHashMap<>();

    /** One simulated camera's switches and what it has been asked. */
    private static final class Camera {
        volatile boolean offline;
        final AtomicInteger failNext = new AtomicInteger();
        final List<Long> requests = new CopyOnWriteArrayList<>();
        volatile String authorization;
    }

    private CameraSimulator(Settings settings, HttpServer server, ExecutorService threads) {
        this.settings = settings;
        this.server = server;
        this.threads = threads;
        settings.cameras().forEach(id -> cameras.put(id, new Camera()));
    }

    /** Starts the simulator and logs where it listens. */
    public static CameraSimulator start(Settings settings) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 50);
        } catch (java.net.BindException taken) {
            // Another process (a second service, a test run) has the port: the simulator is a convenience,
            // so it takes a free one rather than stop the service; cameras named `simulator:<id>` follow it.
            log.warn("Camera simulator port {} is taken ({}); listening on a free port instead", settings.port(),
                    taken.getMessage());
            server = HttpServer.create(new InetSocketAddress(settings.host(), 0), 50);
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "camera-simulator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        CameraSimulator simulator = new CameraSimulator(settings, server, threads);
        server.createContext("/", simulator::handle);
        server.start();
        log.info("Camera simulator listening on {} playing cameras {} ({}x{} JPEG, latency {} ms, failure rate {}, "
                + "offline windows {})", simulator.url(), settings.cameras(), settings.width(), settings.height(),
                settings.latency().toMillis(), settings.failureRate(), settings.offlineWindows());
        return simulator;
    }

    /** Where clients on this machine reach it. */
    public URI url() {
        String reachable = "0.0.0.0".equals(settings.host()) ? "127.0.0.1" : settings.host();
        return URI.create("http://%s:%d".formatted(reachable, server.getAddress().getPort()));
    }

    /** Whether a camera is offline at this moment: switched off, or inside one of its offline windows. */
    public boolean offline(String cameraId, long epochMillis) {
        return camera(cameraId).offline || settings.offlineWindows().stream()
                .anyMatch(window -> window.camera().equals(cameraId) && window.covers(epochMillis));
    }

    /** Takes a camera offline or brings it back. */
    public void setOffline(String cameraId, boolean offline) {
        camera(cameraId).offline = offline;
    }

    /** The next {@code count} stills of the camera fail with 503. */
    public void failNext(String cameraId, int count) {
        camera(cameraId).failNext.set(count);
    }

    /** When each still request for the camera arrived, in epoch milliseconds, oldest first. */
    public List<Long> requests(String cameraId) {
        return List.copyOf(camera(cameraId).requests);
    }

    /** The {@code Authorization} header of the camera's last still request, or {@code null}. */
    public String lastAuthorization(String cameraId) {
        return camera(cameraId).authorization;
    }

    private Camera camera(String cameraId) {
        Camera camera = cameras.get(cameraId);
        if (camera == null) {
            throw new IllegalArgumentException("the simulator plays no camera " + cameraId);
        }
        return camera;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = Arrays.stream(exchange.getRequestURI().getPath().split("/"))
                    .filter(part -> !part.isEmpty()).toArray(String[]::new);
            String method = exchange.getRequestMethod();
            if (path.length == 3 && path[0].equals("cameras") && method.equals("GET")) {
                Camera camera = cameras.get(path[1]);
                if (camera == null) {
                    text(exchange, 404, "no camera " + path[1]);
                } else if (path[2].equals("still.jpg")) {
                    still(exchange, path[1], camera);
                } else if (path[2].equals("health")) {
                    boolean offline = offline(path[1], System.currentTimeMillis());
                    json(exchange, offline ? 503 : 200, "{\"id\":\"%s\",\"state\":\"%s\"}".formatted(path[1],
                            offline ? "offline" : "online"));
                } else {
                    text(exchange, 404, "not found");
                }
            } else if (path.length == 4 && path[0].equals("admin") && path[1].equals("cameras")) {
                Camera camera = cameras.get(path[2]);
                if (camera == null) {
                    text(exchange, 404, "no camera " + path[2]);
                    return;
                }
                switch (method + " " + path[3]) {
                    case "POST offline" -> camera.offline = true;
                    case "POST online" -> camera.offline = false;
                    case "POST fail" -> camera.failNext.set(count(exchange.getRequestURI().getQuery()));
                    case "GET requests" -> {
                        json(exchange, 200, camera.requests.stream().map(String::valueOf)
                                .collect(Collectors.joining(",", "[", "]")));
                        return;
                    }
                    default -> {
                        text(exchange, 404, "not found");
                        return;
                    }
                }
                exchange.sendResponseHeaders(204, -1);
            } else {
                text(exchange, 404, "not found");
            }
        } catch (RuntimeException e) {
            log.warn("Camera simulator failed to answer {}: {}", exchange.getRequestURI(), e.toString());
        }
    }

    private static int count(String query) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("count=")) {
                    return Integer.parseInt(pair.substring("count=".length()));
                }
            }
        }
        return 1;
    }

    private void still(HttpExchange exchange, String id, Camera camera) throws IOException {
        long now = System.currentTimeMillis();
        camera.requests.add(now);
        camera.authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (offline(id, now)) {
            text(exchange, 503, "camera " + id + " is offline");
            return;
        }
        try {
            Thread.sleep(settings.latency().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (camera.failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                || ThreadLocalRandom.current().nextDouble() < settings.failureRate()) {
            text(exchange, 503, "camera " + id + " did not take the still");
            return;
        }
        byte[] jpeg = render(id, Instant.ofEpochMilli(now), settings.width(), settings.height());
        exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
        exchange.sendResponseHeaders(200, jpeg.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(jpeg);
        }
    }

    /** A frame of the camera's pen at this moment: water, light, bubbles and fish that move with time. */
    public static byte[] render(String cameraId, Instant at, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            double t = at.toEpochMilli() / 1000.0;
            int seed = cameraId.hashCode();
            g.setPaint(new GradientPaint(0, 0, new Color(40, 120, 150), 0, height, new Color(5, 25, 45)));
            g.fillRect(0, 0, width, height);
            // Shafts of light from the surface, swaying slowly.
            for (int i = 0; i < 6; i++) {
                int x = (int) (width * (i + 0.5) / 6 + Math.sin(t * 0.3 + i + seed) * width * 0.03);
                g.setPaint(new GradientPaint(x, 0, new Color(255, 255, 255, 45), x, height * 0.8f, new Color(255, 255, 255, 0)));
                g.fillPolygon(new Polygon(new int[] {x - width / 60, x + width / 60, x + width / 12, x - width / 25},
                        new int[] {0, 0, (int) (height * 0.8), (int) (height * 0.8)}, 4));
            }
            // Fish crossing the frame, each at its own depth and speed.
            for (int i = 0; i < 9; i++) {
                double speed = 0.04 + 0.02 * ((seed + i * 7) & 3);
                double phase = ((t * speed + i * 0.37 + (seed & 0xff) / 255.0) % 1.0 + 1.0) % 1.0;
                boolean right = (i & 1) == 0;
                double fx = right ? phase * (width * 1.2) - width * 0.1 : width * 1.1 - phase * (width * 1.2);
                double fy = height * (0.2 + 0.7 * (((i * 0.618) + (seed & 0xf) / 16.0) % 1.0))
                        + Math.sin(t + i) * height * 0.02;
                double length = width * (0.06 + 0.02 * (i % 3));
                fish(g, fx, fy, length, right, new Color(160 + i * 8, 170 + i * 5, 180, 230));
            }
            // Bubbles rising and wobbling.
            g.setStroke(new BasicStroke(Math.max(1f, width / 1000f)));
            for (int i = 0; i < 40; i++) {
                double rise = ((t * 0.08 + i * 0.137) % 1.0);
                double bx = width * ((i * 0.273 + (seed & 0x3f) / 64.0) % 1.0) + Math.sin(t * 2 + i) * width * 0.01;
                double by = height * (1.0 - rise);
                double r = width * (0.003 + 0.004 * (i % 4));
                g.setColor(new Color(220, 240, 255, 150));
                g.draw(new Ellipse2D.Double(bx - r, by - r, 2 * r, 2 * r));
            }
            g.setColor(new Color(0, 0, 0, 140));
            int text = Math.max(12, height / 30);
            g.fillRect(0, height - text * 2, width, text * 2);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.MONOSPACED, Font.BOLD, text));
            g.drawString(cameraId + "  " + STAMP.format(at), text / 2, height - text / 2);
        } finally {
            g.dispose();
        }
        return jpeg(image);
    }

    private static void fish(Graphics2D g, double x, double y, double length, boolean right, Color colour) {
        double h = length * 0.35;
        g.setColor(colour);
        g.fill(new Ellipse2D.Double(x - length / 2, y - h / 2, length, h));
        int tail = (int) (right ? x - length / 2 : x + length / 2);
        int end = (int) (right ? tail - length * 0.3 : tail + length * 0.3);
        g.fillPolygon(new int[] {tail, end, end}, new int[] {(int) y, (int) (y - h * 0.6), (int) (y + h * 0.6)}, 3);
        g.setColor(Color.DARK_GRAY);
        double eye = length * 0.05;
        double ex = right ? x + length * 0.3 : x - length * 0.3;
        g.fill(new Ellipse2D.Double(ex - eye / 2, y - h * 0.15 - eye / 2, eye, eye));
    }

    private static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static void text(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", message);
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        log.info("Camera simulator stopped");
    }

    /**
     * Runs the simulator alone (no service): settings from the environment, {@code SIMULATOR_HOST}
     * (0.0.0.0), {@code SIMULATOR_PORT} (8091), {@code SIMULATOR_CAMERAS} (pen-1,pen-2,pen-3),
     * {@code SIMULATOR_WIDTH} x {@code SIMULATOR_HEIGHT} (2560 x 1440), {@code SIMULATOR_LATENCY_MS}
     * (200), {@code SIMULATOR_FAILURE_RATE} (0), {@code SIMULATOR_OFFLINE_WINDOWS} (none; comma-separated
     * {@code camera:every:length}, such as {@code pen-2:PT1H:PT5M}).
     */
    public static void main(String[] args) throws Exception {
        Settings settings = new Settings(
                env("SIMULATOR_HOST", "0.0.0.0"),
                Integer.parseInt(env("SIMULATOR_PORT", "8091")),
                new ArrayList<>(List.of(env("SIMULATOR_CAMERAS", "pen-1,pen-2,pen-3").split("\\s*,\\s*"))),
                Integer.parseInt(env("SIMULATOR_WIDTH", "2560")),
                Integer.parseInt(env("SIMULATOR_HEIGHT", "1440")),
                Duration.ofMillis(Long.parseLong(env("SIMULATOR_LATENCY_MS", "200"))),
                Double.parseDouble(env("SIMULATOR_FAILURE_RATE", "0")),
                java.util.Arrays.stream(env("SIMULATOR_OFFLINE_WINDOWS", "").split(","))
                        .filter(window -> !window.isBlank()).map(OfflineWindow::parse).toList());
        CameraSimulator simulator = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        Thread.currentThread().join();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
