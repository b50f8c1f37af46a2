package io.stillwater.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator over real HTTP: a configured offline window takes its camera down and brings it back, on time. */
class CameraSimulatorTest {

    private static final Duration EVERY = Duration.ofMillis(1600);
    private static final Duration LENGTH = Duration.ofMillis(800);

    private static CameraSimulator simulator;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        simulator = CameraSimulator.start(new CameraSimulator.Settings("127.0.0.1", 0, List.of("patchy", "steady"),
                320, 180, Duration.ZERO, 0, List.of(new CameraSimulator.OfflineWindow("patchy", EVERY, LENGTH))));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void aCameraIsOfflineDuringItsWindowsAndOnlineBetweenThem() throws Exception {
        List<Integer> seen = new ArrayList<>();
        // Both states come round within a few periods, and each answer matches the window it was asked in
        // (an answer whose request straddles a window's edge is not judged).
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            long before = System.currentTimeMillis();
            int status = get("/cameras/patchy/still.jpg");
            long after = System.currentTimeMillis();
            boolean offlineBefore = inWindow(before);
            if (offlineBefore == inWindow(after)) {
                assertThat(status).as("still asked at %d", before).isEqualTo(offlineBefore ? 503 : 200);
                seen.add(status);
            }
            return seen.contains(503) && seen.contains(200) && seen.lastIndexOf(503) > seen.indexOf(200);
        });
        assertThat(get("/cameras/steady/health")).as("a camera without windows").isEqualTo(200);
        assertThat(get("/cameras/steady/still.jpg")).isEqualTo(200);
    }

    @Test
    void healthFollowsTheWindowsToo() {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> inWindow(System.currentTimeMillis()) && get("/cameras/patchy/health") == 503);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> !inWindow(System.currentTimeMillis()) && get("/cameras/patchy/health") == 200);
    }

    @Test
    void aWindowMustBeShorterThanItsPeriod() {
        assertThatThrownBy(() -> new CameraSimulator.OfflineWindow("a", Duration.ofMinutes(5), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length < every");
        assertThat(CameraSimulator.OfflineWindow.parse("pen-2:PT1H:PT5M"))
                .isEqualTo(new CameraSimulator.OfflineWindow("pen-2", Duration.ofHours(1), Duration.ofMinutes(5)));
    }

    private static boolean inWindow(long epochMillis) {
        return Math.floorMod(epochMillis, EVERY.toMillis()) < LENGTH.toMillis();
    }

    private int get(String path) throws Exception {
        URI uri = simulator.url().resolve(path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
