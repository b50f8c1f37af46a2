package io.stillwater.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stillwater.ServiceClient;
import io.stillwater.ServiceTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI document against the running service: every operation Spring MVC maps under {@code /api/} is
 * documented and every documented operation is mapped (both ways, named when missing), whatever controllers
 * the service has; and every documented operation answers, with the credentials the document says it needs,
 * with something other than "no such endpoint" or "method not allowed" or a refusal of those credentials.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "stillwater.storage.embedded.port=0",
    "stillwater.processing.auto-startup=false",
    "stillwater.security.operator.username=ops",
    "stillwater.security.operator.password=openapi-secret-for-tests",
    "stillwater.intake.rate-limit.enabled=false",
    "camel.main.name=openapi-contract-test"
})
class OpenApiContractTest extends ServiceTest {

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void theDocumentAndItsPageAreServedToAnyone() {
        ServiceClient.Answer doc = anonymous().get("/api/v1/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body().path("openapi").asText()).startsWith("3.");
        assertThat(doc.body().path("info").path("title").asText()).isEqualTo("Stillwater API");
        assertThat(doc.body().path("components").path("securitySchemes").path("apiKey").path("name").asText())
                .isEqualTo("X-Api-Key");
        assertThat(doc.body().path("components").path("securitySchemes").path("operator").path("scheme").asText())
                .isEqualTo("basic");

        JsonNode submit = doc.body().path("paths").path("/api/v1/jobs").path("post");
        assertThat(submit.path("requestBody").path("content").has("multipart/form-data")).isTrue();
        assertThat(submit.path("requestBody").path("content").has("image/*")).isTrue();
        assertThat(submit.path("requestBody").path("content").has("application/json")).isTrue();
        assertThat(submit.path("responses").path("202").path("headers").has("Location")).isTrue();
        assertThat(submit.path("responses").path("503").path("headers").has("Retry-After")).isTrue();

        ServiceClient.Answer docs = anonymous().get("/api/v1/docs");
        assertThat(docs.status()).as("/api/v1/docs redirects to the page").isEqualTo(302);
        String location = URI.create("http://localhost/").resolve(docs.location()).getPath();
        ServiceClient.Answer page = anonymous().get(location);
        assertThat(page.status()).as(location).isEqualTo(200);
        assertThat(page.text()).contains("swagger-ui");
        // The page's own files and its settings, served from the jar, naming this document.
        assertThat(anonymous().get(location.replace("index.html", "swagger-initializer.js")).status()).isEqualTo(200);
        ServiceClient.Answer settings = anonymous().get("/api/v1/openapi.json/swagger-config");
        assertThat(settings.status()).isEqualTo(200);
        assertThat(settings.body().path("url").asText()).isEqualTo("/api/v1/openapi.json");
    }

    @Test
    void everyMappedOperationIsDocumentedAndEveryDocumentedOneIsMapped() {
        Set<String> mapped = mappedOperations();
        Set<String> documented = documentedOperations(document());

        assertThat(mapped).as("operations mapped under /api/").isNotEmpty();
        assertThat(difference(mapped, documented)).as("mapped but missing from /api/v1/openapi.json").isEmpty();
        assertThat(difference(documented, mapped)).as("documented but not mapped by the service").isEmpty();
    }

    @Test
    void everyDocumentedErrorAnswerIsAProblemAndEveryOperationSaysHowToAuthenticate() {
        JsonNode doc = document();
        List<String> wrong = new ArrayList<>();
        eachOperation(doc, (method, path, operation) -> {
            if (operation.path("summary").asText().isBlank()) {
                wrong.add(method + " " + path + ": no summary");
            }
            if (operation.path("security").isEmpty()) {
                wrong.add(method + " " + path + ": no security requirement");
            }
            operation.path("responses").fields().forEachRemaining(response -> {
                if (response.getKey().matches("[45]\\d\\d")
                        && response.getValue().path("content").path("application/problem+json").isMissingNode()) {
                    wrong.add(method + " " + path + " " + response.getKey() + ": not application/problem+json");
                }
            });
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyDocumentedOperationAnswersWithTheDocumentedCredentials() {
        JsonNode doc = document();
        List<String> unanswered = new ArrayList<>();
        eachOperation(doc, (method, path, operation) -> {
            ServiceClient client = clientFor(operation.path("security"));
            String concrete = path.replace("{sha256}", "0".repeat(64)).replaceAll("\\{[^}]+}", "no-such-id");
            JsonNode body = operation.path("requestBody").path("content");
            String contentType = body.isObject() && body.fieldNames().hasNext() ? body.fieldNames().next() : null;
            ServiceClient.Answer answer = contentType == null || !contentType.contains("json")
                    ? client.send(HttpMethod.valueOf(method.toUpperCase()), concrete, null)
                    : client.send(HttpMethod.valueOf(method.toUpperCase()), concrete, "{}");
            String said = method.toUpperCase() + " " + concrete + " -> " + answer.status() + " " + answer.text();
            if (answer.status() == 405 || answer.status() == 401 || answer.status() == 403) {
                unanswered.add(said);
            }
            // The service's own 404 names what does not exist; Spring's for an unmapped path is "No static resource".
            if (answer.status() == 404 && (!answer.body().path("detail").asText().endsWith("does not exist")
                    || answer.body().path("detail").asText().startsWith("No static resource"))) {
                unanswered.add(said);
            }
        });
        assertThat(unanswered).isEmpty();
    }

    /** An operation's credentials: the API key when it accepts one, else the operator's. */
    private ServiceClient clientFor(JsonNode security) {
        for (JsonNode requirement : security) {
            if (requirement.has("apiKey")) {
                return client();
            }
        }
        return ServiceClient.as(port, "ops", "openapi-secret-for-tests");
    }

    private JsonNode document() {
        ServiceClient.Answer doc = anonymous().get("/api/v1/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        return doc.body();
    }

    /** {@code METHOD path} of every handler Spring MVC maps under {@code /api/}, springdoc's own excepted. */
    private Set<String> mappedOperations() {
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            if (entry.getValue().getBeanType().getName().startsWith("org.springdoc.")) {
                continue;
            }
            Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
            for (String path : entry.getKey().getPatternValues()) {
                if (!path.startsWith("/api/")) {
                    continue;
                }
                assertThat(methods).as("%s maps %s without naming its HTTP method", entry.getValue(), path).isNotEmpty();
                methods.forEach(method -> operations.add(method.name() + " " + path.replaceAll("\\{([^}:]+):[^}]*}", "{$1}")));
            }
        }
        return operations;
    }

    private static Set<String> documentedOperations(JsonNode doc) {
        Set<String> operations = new TreeSet<>();
        eachOperation(doc, (method, path, operation) -> operations.add(method.toUpperCase() + " " + path));
        return operations;
    }

    private interface OperationVisitor {
        void visit(String method, String path, JsonNode operation);
    }

    private static void eachOperation(JsonNode doc, OperationVisitor visitor) {
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                JsonNode operation = path.getValue().path(method);
                if (!operation.isMissingNode()) {
                    visitor.visit(method, path.getKey(), operation);
                }
            }
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }
}
