package io.stillwater.api;

import io.stillwater.batch.BatchCsv;
import io.stillwater.batch.BatchStore;
import io.stillwater.config.StillwaterProperties;
import io.stillwater.fetch.SourceException;
import io.stillwater.fetch.SourcePolicy;
import io.stillwater.job.JobRequest;
import io.stillwater.job.JobSpec;
import io.stillwater.job.JobSpecs;
import io.stillwater.storage.DownloadLinks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code /api/v1/batches}: a product CSV in, one URL job per image URL, progress per row, and the CSV
 * back with the renditions' URLs.
 */
@Tag(name = "Batches", description = "CSV batches of product images: one URL job per image URL")
@RestController
@RequestMapping("/api/v1/batches")
public class BatchesController {

    static final String OUTPUT_COLUMN = "Output Image Urls";

    private final BatchStore batches;
    private final JobSpecs specs;
    private final SourcePolicy sources;
    private final DownloadLinks links;
    private final StillwaterProperties.Batches limits;
    private final int pageLimit;

    public BatchesController(BatchStore batches, JobSpecs specs, SourcePolicy sources, DownloadLinks links,
            StillwaterProperties properties) {
        this.batches = batches;
        this.specs = specs;
        this.sources = sources;
        this.links = links;
        this.limits = properties.batches();
        this.pageLimit = properties.jobs().listLimit();
    }

    /** The multipart form of a batch, as the OpenAPI document shows it. */
    @Schema(name = "CsvForm")
    record CsvForm(@Schema(description = "The CSV file", format = "binary", requiredMode = Schema.RequiredMode.REQUIRED)
            String file) {}

    /** What a batch answers: its id and state, and the number of product rows. */
    public record Accepted(String id, String status, int rows) {}

    @SubmitBatch
    @PostMapping(consumes = {"text/csv", "application/csv"})
    public ResponseEntity<Accepted> submitCsv(HttpServletRequest http,
            @Parameter(description = "The preset every job of the batch gets") @RequestParam(required = false) String preset,
            @Parameter(description = "urgent, normal or background (default for batches)")
            @RequestParam(required = false) String priority,
            @Parameter(description = "Told when the whole batch has completed") @RequestParam(required = false) String callbackUrl) throws IOException {
        return submit(readBounded(http.getInputStream()), preset, priority, callbackUrl);
    }

    @SubmitBatch
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<Accepted> submitMultipart(
            @Parameter(hidden = true) @RequestPart(name = "file", required = false) MultipartFile file,
            @Parameter(description = "The preset every job of the batch gets") @RequestParam(required = false) String preset,
            @Parameter(description = "urgent, normal or background (default for batches)")
            @RequestParam(required = false) String priority,
            @Parameter(description = "Told when the whole batch has completed") @RequestParam(required = false) String callbackUrl) throws IOException {
        if (file == null || file.isEmpty()) {
            throw ApiException.badRequest("file", "the multipart part 'file' with the CSV is missing or empty");
        }
        return submit(readBounded(file.getInputStream()), preset, priority, callbackUrl);
    }

    private ResponseEntity<Accepted> submit(byte[] csv, String preset, String priority, String callbackUrl) {
        // Batches are background work unless the client says otherwise.
        JobRequest request = specs.normalise(new JobSpec(priority == null ? "background" : priority, preset, null,
                callbackUrl, null));
        JobsController.checkCallback(sources, request.callbackUrl());
        BatchCsv.Parsed parsed = new BatchCsv(limits.maxRows(), limits.maxUrlsPerRow(), this::refusal)
                .parse(new ByteArrayInputStream(csv));
        BatchStore.Batch batch = batches.create(UUID.randomUUID().toString(), request, parsed);
        return ResponseEntity.accepted().location(URI.create("/api/v1/batches/" + batch.id()))
                .body(new Accepted(batch.id(), "queued", batch.rows()));
    }

    private String refusal(String url) {
        try {
            sources.check(url);
            return null;
        } catch (SourceException e) {
            return e.getMessage();
        }
    }

    /** A row's progress: its number in the file (the header is row 1), its state and its jobs. */
    public record Row(int row, String state, List<String> cells, List<RowJob> jobs) {}

    public record RowJob(String id, String status) {}

    /** A batch's progress: jobs by status ({@code pending}: rows whose jobs are not created yet), a page of rows. */
    public record BatchView(String id, String status, int rows, OffsetDateTime createdAt, Map<String, Long> counts,
            List<Row> items, String nextCursor) {}

    @Operation(summary = "Read a batch's progress", description = "Jobs by status (`pending`: rows whose jobs do "
            + "not exist yet), and a page of rows with their state and jobs.", security = {@SecurityRequirement(name = OpenApiConfiguration.API_KEY),
                @SecurityRequirement(name = OpenApiConfiguration.OPERATOR)})
    @ApiResponse(responseCode = "200", description = "The batch and a page of its rows")
    @ApiResponse(responseCode = "400", description = "A bad limit or cursor")
    @ApiResponse(responseCode = "404", description = "No such batch")
    @GetMapping("/{id}")
    public BatchView get(@PathVariable String id,
            @Parameter(description = "Rows per page") @RequestParam(required = false) Integer limit,
            @Parameter(description = "The nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        BatchStore.Batch batch = batches.find(id).orElseThrow(() -> ApiException.notFound("batch " + id));
        int size = ListParameters.pageSize(limit, pageLimit);
        int after = afterRow(cursor);
        List<BatchStore.RowState> rows = batches.rows(id, after, size);
        Map<String, Long> counts = batches.counts(id);
        String next = rows.size() == size ? Integer.toString(rows.get(rows.size() - 1).number()) : null;
        return new BatchView(batch.id(), status(counts), batch.rows(), batch.createdAt(), counts,
                rows.stream().map(row -> new Row(row.number(), state(row), row.cells(),
                        row.jobs().stream().map(job -> new RowJob(job.jobId(), job.status())).toList())).toList(),
                next);
    }

    /**
     * The CSV as sent, plus {@value #OUTPUT_COLUMN}: for each input URL, in order, a download URL of its
     * job's rendition (presigned, valid for {@code stillwater.storage.presign-ttl}), empty while the job
     * has none. Cells a spreadsheet would run as a formula are written as text.
     */
    @Operation(summary = "Download the batch's CSV with its renditions' URLs", description = "The CSV as sent plus "
            + "`Output Image Urls` (presigned download URLs, empty while a job has none).", security = {@SecurityRequirement(name = OpenApiConfiguration.API_KEY),
                @SecurityRequirement(name = OpenApiConfiguration.OPERATOR)})
    @ApiResponse(responseCode = "200", description = "The CSV", content = @Content(mediaType = "text/csv",
            schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such batch")
    @GetMapping(value = "/{id}/output.csv", produces = "text/csv")
    public void output(@PathVariable String id, HttpServletResponse response) throws IOException {
        BatchStore.Batch batch = batches.find(id).orElseThrow(() -> ApiException.notFound("batch " + id));
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"batch-" + id + "-output.csv\"");
        // Written as it is read, a page of rows at a time: a 10,000-row batch is never held whole.
        CSVPrinter csv = new CSVPrinter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
                CSVFormat.RFC4180);
        List<String> header = new ArrayList<>(batch.header());
        header.add(OUTPUT_COLUMN);
        csv.printRecord(header.stream().map(BatchesController::asText).toList());
        batches.eachRow(id, 500, row -> {
            List<String> cells = new ArrayList<>(row.cells());
            cells.add(row.jobs().stream()
                    .map(job -> job.outputKey() == null ? "" : links.forKey(job.outputKey()))
                    .collect(Collectors.joining(", ")));
            try {
                csv.printRecord(cells.stream().map(BatchesController::asText).toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        csv.flush();
    }

    /**
     * A cell as a spreadsheet will only show, never evaluate: one starting with {@code = + - @}, a tab or
     * a carriage return gets a leading apostrophe (OWASP's advice on CSV injection).
     */
    static String asText(String cell) {
        if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }

    private static String status(Map<String, Long> counts) {
        long pending = counts.getOrDefault("pending", 0L);
        long running = counts.getOrDefault("processing", 0L);
        long queued = counts.getOrDefault("queued", 0L);
        if (pending == 0 && running == 0 && queued == 0) {
            return "completed";
        }
        return running > 0 || counts.keySet().stream().anyMatch(s -> !List.of("pending", "queued").contains(s))
                ? "processing" : "queued";
    }

    /** pending (jobs not created yet), queued, processing, succeeded (every job did), or failed. */
    private static String state(BatchStore.RowState row) {
        if (!row.expanded()) {
            return "pending";
        }
        List<String> statuses = row.jobs().stream().map(BatchStore.RowJob::status).toList();
        if (statuses.contains("processing") || statuses.contains("queued") && statuses.stream()
                .anyMatch(s -> !s.equals("queued"))) {
            return "processing";
        }
        if (statuses.stream().allMatch("queued"::equals)) {
            return "queued";
        }
        return statuses.stream().allMatch("succeeded"::equals) ? "succeeded" : "failed";
    }

    private static int afterRow(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            return Integer.parseInt(cursor);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("cursor", "not a cursor this API gave");
        }
    }

    private byte[] readBounded(InputStream input) throws IOException {
        long max = limits.maxBytes().toBytes();
        try (input) {
            byte[] data = input.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (data.length > max) {
                throw new ApiException(org.springframework.http.HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                        "the CSV is over the limit of %d bytes".formatted(max), "file", max);
            }
            return data;
        }
    }

    /** The API document's description of POST /api/v1/batches, shared by its handlers (CSV body, multipart). */
    @Operation(summary = "Submit a CSV batch", description = """
            A product CSV (header row, then one row per product; image URLs in `Input Image Urls`, comma-separated), \
            as the body (`text/csv`) or the multipart part `file`. Accepted or refused whole: every mistake is \
            listed with its row. One URL job per image URL is then created in the background.""",
            security = @SecurityRequirement(name = OpenApiConfiguration.API_KEY),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
                @Content(mediaType = "application/csv", schema = @Schema(type = "string")),
                @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = CsvForm.class))
            }))
    @ApiResponse(responseCode = "202", description = "Accepted; its rows become jobs in the background")
    @ApiResponse(responseCode = "400", description = "The CSV has mistakes (`rows` lists them) or a parameter is invalid")
    @ApiResponse(responseCode = "413", description = "The CSV is over stillwater.batches.max-bytes")
    @ApiResponse(responseCode = "415", description = "Neither text/csv nor multipart")
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @interface SubmitBatch {}
}
