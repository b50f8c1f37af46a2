package io.stillwater;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * The service's HTTP API as a client sees it: real HTTP on the service's port, JSON answers as trees. A client
 * sends what it was made with on every request: an intake API key ({@link #withApiKey}), operator credentials
 * ({@link #as}), nothing ({@link #ServiceClient(int)}), or, as a browser does, the cookies it was given
 * ({@link #browser}).
 */
public final class ServiceClient {

    /** The intake API key {@link ServiceTest} configures; {@link ServiceTest#client()} sends it. */
    public static final String TEST_API_KEY = "test-intake-key-6f1d2c9e";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient rest;
    private final HttpClient http;
    private final CookieManager cookies;

    /** A client that sends no credentials. */
    public ServiceClient(int port) {
        this(port, headers -> {}, null);
    }

    private ServiceClient(int port, Consumer<HttpHeaders> credentials, CookieManager cookies) {
        this.cookies = cookies;
        HttpClient.Builder client = HttpClient.newBuilder();
        if (cookies != null) {
            client.cookieHandler(cookies);
        }
        this.http = client.build();
        this.rest = RestClient.builder()
                // The JDK's client: Apache HttpClient 5, also on the class path, silently retries 503 and 429.
                .requestFactory(new JdkClientHttpRequestFactory(http))
                .baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .defaultHeaders(credentials)
                .build();
    }

    /** A client of the same service that sends these credentials (HTTP Basic) with every request. */
    public static ServiceClient as(int port, String user, String password) {
        return new ServiceClient(port, headers -> headers.setBasicAuth(user, password), null);
    }

    /** A client that sends this intake API key ({@code X-Api-Key}) with every request. */
    public static ServiceClient withApiKey(int port, String key) {
        return new ServiceClient(port, headers -> headers.set("X-Api-Key", key), null);
    }

    /** A client that keeps the cookies the service sets and sends them back, as a browser does; no credentials. */
    public static ServiceClient browser(int port) {
        return new ServiceClient(port, headers -> {}, new CookieManager(null, CookiePolicy.ACCEPT_ALL));
    }

    /** The value of a cookie this (browser) client holds, or {@code null}. */
    public String cookie(String name) {
        return cookies == null ? null : cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals(name)).map(HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Any request: {@code json} (may be {@code null}) as the body, {@code headers} as name, value, name, value… */
    public Answer send(HttpMethod method, String path, String json, String... headers) {
        RestClient.RequestBodySpec request = rest.method(method).uri(path).headers(h -> {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                h.set(headers[i], headers[i + 1]);
            }
        });
        if (json != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(json);
        }
        return answer(request.retrieve().toEntity(String.class));
    }

    public Answer post(String path) {
        return answer(rest.post().uri(path).retrieve().toEntity(String.class));
    }

    public Answer delete(String path, String json) {
        return answer(rest.method(HttpMethod.DELETE).uri(path).contentType(MediaType.APPLICATION_JSON).body(json)
                .retrieve().toEntity(String.class));
    }

    /** What came back: status, headers, the body as JSON (a null node when it is not JSON) and as text. */
    public record Answer(int status, HttpHeaders headers, JsonNode body, String text) {
        public String location() {
            return headers.getFirst(HttpHeaders.LOCATION);
        }

        public MediaType contentType() {
            return headers.getContentType();
        }
    }

    public Answer upload(byte[] image, String filename, String contentType, String spec) {
        return upload(image, filename, contentType, spec, null);
    }

    public Answer upload(byte[] image, String filename, String contentType, String spec, String idempotencyKey) {
        MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        HttpHeaders partHeaders = new HttpHeaders();
        partHeaders.setContentType(MediaType.parseMediaType(contentType));
        parts.add("image", new org.springframework.http.HttpEntity<>(new ByteArrayResource(image) {
            @Override
            public String getFilename() {
                return filename;
            }
        }, partHeaders));
        if (spec != null) {
            parts.add("spec", spec);
        }
        return answer(rest.post().uri("/api/v1/jobs")
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .headers(h -> {
                    if (idempotencyKey != null) {
                        h.set("Idempotency-Key", idempotencyKey);
                    }
                })
                .body(parts)
                .retrieve()
                .toEntity(String.class));
    }

    /** Posts a body of any type, such as a CSV batch. */
    public Answer post(String path, String contentType, String body) {
        return answer(rest.post().uri(path).contentType(MediaType.parseMediaType(contentType)).body(body)
                .retrieve().toEntity(String.class));
    }

    /** Submits a JSON job, such as one naming its image by URL. */
    public Answer submitJson(String json, String idempotencyKey) {
        return answer(rest.post().uri("/api/v1/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .headers(h -> {
                    if (idempotencyKey != null) {
                        h.set("Idempotency-Key", idempotencyKey);
                    }
                })
                .body(json)
                .retrieve()
                .toEntity(String.class));
    }

    public Answer uploadRaw(byte[] image, String contentType, String query) {
        return answer(rest.post().uri("/api/v1/jobs" + (query == null ? "" : "?" + query))
                .contentType(MediaType.parseMediaType(contentType))
                .body(image)
                .retrieve()
                .toEntity(String.class));
    }

    public Answer get(String path) {
        return answer(rest.get().uri(path).retrieve().toEntity(String.class));
    }

    public Answer delete(String path) {
        return answer(rest.delete().uri(path).retrieve().toEntity(String.class));
    }

    public JsonNode job(String id) {
        return get("/api/v1/jobs/" + id).body();
    }

    /**
     * Polls the job until it has {@code status}, for at most 30 s; a job that ends any other way fails
     * at once, naming the job.
     */
    public JsonNode awaitStatus(String id, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            String now = job(id).path("status").asText();
            Assertions.assertThat(now).as("job %s", id).isIn("queued", "processing", status);
            return now.equals(status);
        });
        return job(id);
    }

    /** Downloads a URL with a plain HTTP GET, as {@code curl} would: no credentials, no SDK. */
    public HttpResponse<byte[]> download(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer answer(ResponseEntity<String> entity) {
        String text = entity.getBody();
        MediaType type = entity.getHeaders().getContentType();
        try {
            JsonNode body = text == null || type == null || !type.getSubtype().contains("json") ? JSON.nullNode()
                    : JSON.readTree(text);
            return new Answer(entity.getStatusCode().value(), entity.getHeaders(), body, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
