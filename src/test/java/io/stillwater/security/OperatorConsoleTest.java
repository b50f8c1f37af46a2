package io.stillwater.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import io.stillwater.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;

/**
 * The operator console over real HTTP, as a browser and Hawtio's client use it: nothing of Hawtio or Jolokia
 * without the operator account; Hawtio's login form takes it; and what the console shows through Jolokia, the
 * path Hawtio reads MBeans by, is what happened: route statistics of {@code image-processing} count the jobs
 * processed, and a job queue's depth counts the jobs waiting in it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    // No worker runs until a test starts one: jobs wait in their queues.
    "stillwater.processing.auto-startup=false",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=console-secret-for-tests",
    // Every job here is the same small image: each must be processed, not answered from the cache.
    "stillwater.cache.enabled=false",
    "camel.main.name=operator-console-test"
})
class OperatorConsoleTest extends ServiceTest {

    private static final String HTML = "text/html,application/xhtml+xml";
    private static final String JOLOKIA_VIA_HAWTIO = "/actuator/hawtio/jolokia";
    private static final String ROUTE = "org.apache.camel:context=operator-console-test,type=routes,name=\"image-processing\"";

    @Autowired
    CamelContext camel;

    @Test
    void withoutTheOperatorAccountNothingOfTheConsoleOrJolokiaIsServed() {
        ServiceClient browser = ServiceClient.browser(port);
        ServiceClient withApiKey = client();
        ServiceClient wrongPassword = ServiceClient.as(port, "ops", "guess");

        for (String page : List.of("/actuator/hawtio", "/actuator/hawtio/", "/actuator/hawtio/index.html",
                "/actuator/hawtio/jmx/attributes")) {
            ServiceClient.Answer answer = browser.send(HttpMethod.GET, page, null, "Accept", HTML);
            assertThat(answer.status()).as(page).isIn(301, 302);
            assertThat(answer.location()).as(page).endsWith("/actuator/hawtio/login");
        }
        ServiceClient.Answer directJolokia = anonymous().get("/actuator/jolokia/read/java.lang:type=Runtime/Uptime");
        assertThat(directJolokia.status()).isEqualTo(401);
        assertThat(directJolokia.headers().getFirst("WWW-Authenticate")).startsWith("Basic ");
        assertThat(directJolokia.body().path("type").asText()).isEqualTo("urn:stillwater:problem:unauthorized");
        assertThat(wrongPassword.get("/actuator/jolokia/read/java.lang:type=Runtime/Uptime").status()).isEqualTo(401);
        assertThat(withApiKey.get("/actuator/jolokia/read/java.lang:type=Runtime/Uptime").status()).isEqualTo(401);

        for (ServiceClient client : List.of(anonymous(), withApiKey)) {
            ServiceClient.Answer viaHawtio = client.get(JOLOKIA_VIA_HAWTIO + "/read/java.lang:type=Runtime/Uptime");
            assertThat(viaHawtio.status()).isEqualTo(403);
            assertThat(viaHawtio.body().path("type").asText()).isEqualTo("urn:stillwater:problem:login-required");
            assertThat(client.get("/actuator/hawtio/user").status()).isEqualTo(403);
            assertThat(client.send(HttpMethod.POST, JOLOKIA_VIA_HAWTIO, read(ROUTE, "ExchangesCompleted")).status())
                    .isEqualTo(403);
        }
        ServiceClient.Answer failedLogin = browser.send(HttpMethod.POST, ConsoleSecurity.LOGIN,
                "{\"username\": \"ops\", \"password\": \"guess\"}");
        assertThat(failedLogin.status()).isEqualTo(403);
        assertThat(failedLogin.body().path("type").asText()).isEqualTo("urn:stillwater:problem:login-failed");
        assertThat(browser.get("/actuator/hawtio/user").status()).isEqualTo(403);
        // Only health is exposed besides the console.
        assertThat(ServiceClient.as(port, "ops", "console-secret-for-tests").get("/actuator/env").status())
                .isIn(403, 404);
        assertThat(anonymous().get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void theOperatorLogsInWithHawtiosLoginFormAndIsServedTheConsoleUntilLoggingOut() {
        ServiceClient browser = ServiceClient.browser(port);

        ServiceClient.Answer loginPage = browser.send(HttpMethod.GET, "/actuator/hawtio/login", null, "Accept", HTML);
        assertThat(loginPage.status()).isEqualTo(200);
        assertThat(loginPage.text()).contains("<base href=\"/actuator/hawtio/\">");
        assertThat(browser.get("/actuator/hawtio/hawtconfig.json").body().path("branding").path("appName").asText())
                .isEqualTo("Stillwater operator console");

        ServiceClient.Answer login = login(browser);
        assertThat(login.status()).isEqualTo(200);
        ServiceClient.Answer console = browser.send(HttpMethod.GET, "/actuator/hawtio/", null, "Accept", HTML);
        assertThat(console.status()).isEqualTo(200);
        assertThat(console.text()).contains("<title>Hawtio</title>").contains("<base href=\"/actuator/hawtio/\">");
        assertThat(browser.get("/actuator/hawtio/user").body().asText()).isEqualTo("ops");
        // Hawtio's client sends the XSRF-TOKEN cookie back in X-XSRF-TOKEN with its POSTs; without it, refused.
        assertThat(browser.send(HttpMethod.POST, JOLOKIA_VIA_HAWTIO, read(ROUTE, "ExchangesCompleted")).status())
                .isEqualTo(403);
        assertThat(jolokia(browser, read(ROUTE, "ExchangesCompleted")).path("status").asInt()).isEqualTo(200);

        // Hawtio's client logs out by navigating to auth/logout.
        ServiceClient.Answer logout = browser.send(HttpMethod.GET, "/actuator/hawtio/auth/logout", null, "Accept", HTML);
        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.location()).endsWith("/actuator/hawtio/login");
        assertThat(browser.get("/actuator/hawtio/user").status()).isEqualTo(403);
        assertThat(browser.get(JOLOKIA_VIA_HAWTIO + "/read/java.lang:type=Runtime/Uptime").status()).isEqualTo(403);
    }

    @Test
    void theConsoleShowsTheJobsWaitingInAQueueAndTheJobsProcessedByImageProcessing() throws Exception {
        ServiceClient client = client();
        ServiceClient browser = ServiceClient.browser(port);
        assertThat(login(browser).status()).isEqualTo(200);
        String background = queue("stillwater.jobs.background");
        long processedBefore = jolokia(browser, read(ROUTE, "ExchangesCompleted")).path("value").asLong();

        for (int i = 0; i < 3; i++) {
            assertThat(client.uploadRaw(TestImages.jpeg(64 + i, 48), "image/jpeg", "priority=background&preset=thumbnail")
                    .status()).isEqualTo(202);
        }
        // No worker of the background class runs: all three wait, and the console says so.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(queueDepth(browser, background)).isEqualTo(3));

        camel.getRouteController().startRoute("consume-normal-jobs");
        List<String> normal = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            normal.add(client.uploadRaw(TestImages.jpeg(80 + i, 60), "image/jpeg", "priority=normal&preset=thumbnail")
                    .body().path("id").asText());
        }
        normal.forEach(id -> client.awaitStatus(id, "succeeded"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                jolokia(browser, read(ROUTE, "ExchangesCompleted")).path("value").asLong() - processedBefore)
                .isEqualTo(2));
        assertThat(jolokia(browser, read(ROUTE, "ExchangesFailed")).path("value").asLong()).isZero();
        assertThat(queueDepth(browser, background)).isEqualTo(3);
        assertThat(queueDepth(browser, queue("stillwater.jobs.normal"))).isZero();
        // A script reads the same with HTTP Basic on Jolokia's own path, no session and no CSRF token.
        ServiceClient script = ServiceClient.as(port, "ops", "console-secret-for-tests");
        ServiceClient.Answer scripted = script.send(HttpMethod.POST, "/actuator/jolokia", read(background, "MessageCount"));
        assertThat(scripted.status()).isEqualTo(200);
        assertThat(single(scripted.body().path("value")).path("MessageCount").asLong()).isEqualTo(3);
        // The same POST from another site's page, with credentials the browser cached, is refused.
        assertThat(script.send(HttpMethod.POST, "/actuator/jolokia", read(background, "MessageCount"),
                "Sec-Fetch-Site", "cross-site").status()).isEqualTo(403);
    }

    private ServiceClient.Answer login(ServiceClient browser) {
        return browser.send(HttpMethod.POST, ConsoleSecurity.LOGIN,
                "{\"username\": \"ops\", \"password\": \"console-secret-for-tests\"}");
    }

    /** A Jolokia request posted as Hawtio's client posts it: the session cookie and the CSRF token's header. */
    private static JsonNode jolokia(ServiceClient browser, String request) {
        if (browser.cookie("XSRF-TOKEN") == null) {
            browser.get("/actuator/hawtio/auth/config");
        }
        ServiceClient.Answer answer = browser.send(HttpMethod.POST, JOLOKIA_VIA_HAWTIO, request,
                "X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN"));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.body().path("status").asInt()).as(answer.text()).isEqualTo(200);
        return answer.body();
    }

    /** The depth of a queue, from its MBean (any broker name). */
    private static long queueDepth(ServiceClient browser, String queue) {
        return single(jolokia(browser, read(queue, "MessageCount")).path("value")).path("MessageCount").asLong();
    }

    /** The MBean pattern of an Artemis queue of the same name as its (anycast) address. */
    private static String queue(String name) {
        return "org.apache.activemq.artemis:broker=*,component=addresses,address=\"" + name
                + "\",subcomponent=queues,routing-type=\"anycast\",queue=\"" + name + "\"";
    }

    private static String read(String mbean, String attribute) {
        return "{\"type\": \"read\", \"mbean\": \"" + mbean.replace("\"", "\\\"") + "\", \"attribute\": \"" + attribute
                + "\"}";
    }

    /** The one MBean's attributes in the answer to a read by pattern. */
    private static JsonNode single(JsonNode byName) {
        assertThat(byName.size()).as(byName.toString()).isEqualTo(1);
        return byName.elements().next();
    }
}
