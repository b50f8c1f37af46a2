package io.stillwater.api;

import io.stillwater.security.IntakeKeys;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3 document of the HTTP API, served at {@code /api/v1/openapi.json} with a browsable page at
 * {@code /api/v1/docs} (springdoc; both open to anyone, see SecurityConfiguration). The controllers describe
 * their operations; here are what they share: the two ways to authenticate, and the problem body
 * ({@code application/problem+json}) every error answer has.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    /** Security scheme: an intake API key in {@code X-Api-Key}. */
    public static final String API_KEY = "apiKey";
    /** Security scheme: the operator account over HTTP Basic. */
    public static final String OPERATOR = "operator";
    /** The schema of a problem body. */
    static final String PROBLEM = "Problem";

    @Bean
    OpenAPI stillwaterOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Stillwater API")
                        .version("v1")
                        .description("""
                                Asynchronous image processing. Submit an image (upload, raw body or URL) or a CSV \
                                batch, get 202 and a job or batch to poll; renditions are stored and linked from the \
                                job once it has succeeded. Clients authenticate with an API key (X-Api-Key); \
                                operator endpoints (dead letters, /api/v1/admin) with the operator account (HTTP \
                                Basic). Every error is application/problem+json with a stable `type` \
                                (urn:stillwater:problem:<code>) and, where it applies, the `field` or `limit`.""")
                        .license(new License().name("Proprietary")))
                .components(new Components()
                        .addSecuritySchemes(API_KEY, new SecurityScheme()
                                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name(IntakeKeys.HEADER)
                                .description("An intake API key (stillwater.security.intake.api-keys): submit, read "
                                        + "and cancel jobs and batches."))
                        .addSecuritySchemes(OPERATOR, new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("The operator account (stillwater.security.operator.*): dead letters, "
                                        + "admin endpoints, and reading jobs."))
                        .addSchemas(PROBLEM, problemSchema()));
    }

    /**
     * Every error answer an operation declares (4xx, 5xx) gets the problem body; a secured operation also
     * declares the {@code 401} and {@code 403} Spring Security answers with.
     */
    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handler) -> {
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
                responses.putIfAbsent("401", new ApiResponse().description("No credentials, or wrong ones"));
                responses.putIfAbsent("403", new ApiResponse().description("The credentials do not allow this"));
            }
            responses.forEach((code, response) -> {
                if (code.startsWith("4") || code.startsWith("5")) {
                    response.setContent(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
                }
            });
            operation.setResponses(responses);
            return operation;
        };
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri")
                        .description("urn:stillwater:problem:<code>, e.g. urn:stillwater:problem:invalid-spec")
                        .example("urn:stillwater:problem:invalid-request"))
                .addProperty("title", new StringSchema().example("Bad Request"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().example("the multipart part 'image' with the image file is missing or empty"))
                .addProperty("instance", new StringSchema().format("uri-reference"))
                .addProperty("field", new StringSchema().description("The request field at fault").example("image"))
                .addProperty("limit", new IntegerSchema().format("int64").description("The limit that was exceeded"))
                .addProperty("rows", new ObjectSchema().description("A refused CSV batch: its mistakes by row"));
    }
}
