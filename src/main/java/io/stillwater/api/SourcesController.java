package io.stillwater.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.stillwater.job.JobStore;
import java.util.regex.Pattern;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/admin/sources}: operator actions on a source image, named by the SHA-256 of its
 * bytes. Everything under {@code /api/v1/admin} is for operators, not for clients.
 */
@Tag(name = "Admin", description = "Operators: actions on stored source images")
@RestController
@RequestMapping("/api/v1/admin/sources")
public class SourcesController {

    static final String PURGE = "direct:purge-renditions";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private static final Logger LOG = LoggerFactory.getLogger(SourcesController.class);

    private final ProducerTemplate template;

    public SourcesController(ProducerTemplate template) {
        this.template = template;
    }

    /**
     * Deletes every rendition of the source from the object store (all variants of all its jobs) and
     * forgets them in the result cache: the next identical request is processed afresh.
     */
    @Operation(summary = "Purge a source's renditions", description = "Deletes every rendition made from the source "
            + "image with this SHA-256 and forgets them in the result cache.", security = @SecurityRequirement(name = OpenApiConfiguration.OPERATOR))
    @ApiResponse(responseCode = "200", description = "What was purged")
    @ApiResponse(responseCode = "400", description = "Not a SHA-256 (64 lower-case hex digits)")
    @ApiResponse(responseCode = "503", description = "The object store or job store did not complete the purge; safe to repeat")
    @DeleteMapping("/{sha256}/renditions")
    public JobStore.Purge purgeRenditions(
            @Parameter(description = "SHA-256 of the source image's bytes, 64 lower-case hex digits") @PathVariable String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw ApiException.badRequest("sha256", "must be the 64 lower-case hex digits of a SHA-256");
        }
        try {
            return template.requestBody(PURGE, sha256, JobStore.Purge.class);
        } catch (CamelExecutionException e) {
            LOG.warn("Purge of the renditions of source {} did not complete", sha256, e.getCause());
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "purge-unavailable",
                    "the object store or job store did not complete the purge; it is safe to repeat", null, null);
        }
    }
}
