package io.stillwater.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stillwater.image.OutputSpec;
import io.stillwater.job.JobRequest;
import io.stillwater.job.Priority;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Batches, their rows and which jobs each row became. Plain SQL for H2 and PostgreSQL. */
@Component
public class BatchStore {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<List<OutputSpec>> OUTPUTS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final ObjectMapper mapper;

    public BatchStore(JdbcClient jdbc, JdbcTemplate template, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.template = template;
        this.mapper = mapper;
    }

    /** A batch as accepted: the spec its jobs get, its header and its size. */
    public record Batch(String id, JobRequest request, List<String> header, int rows, OffsetDateTime createdAt) {}

    /** A row whose jobs are not all created yet. */
    public record PendingRow(String batchId, int number, List<String> urls) {}

    /** One job of a row: its place among the row's URLs, its id, status and first rendition's key. */
    public record RowJob(int index, String jobId, String status, String outputKey) {}

    /** A row with its cells and its jobs so far ({@code expanded} once all exist). */
    public record RowState(int number, List<String> cells, boolean expanded, List<RowJob> jobs) {}

    /** Records an accepted batch and all its rows in one transaction, rows in JDBC batches. */
    @Transactional
    public Batch create(String id, JobRequest request, BatchCsv.Parsed parsed) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.sql("""
                INSERT INTO batches (id, priority, outputs_spec, callback_url, header, row_count, created_at)
                VALUES (:id, :priority, :spec, :callback, :header, :rows, :now)
                """)
                .param("id", id).param("priority", request.priority().id()).param("spec", json(request.outputs()))
                .param("callback", request.callbackUrl()).param("header", json(parsed.header()))
                .param("rows", parsed.rows().size()).param("now", now)
                .update();
        template.batchUpdate("INSERT INTO batch_rows (batch_id, row_number, cells, urls) VALUES (?, ?, ?, ?)",
                parsed.rows(), 500, (statement, row) -> {
                    statement.setString(1, id);
                    statement.setInt(2, row.number());
                    statement.setString(3, json(row.cells()));
                    statement.setString(4, json(row.urls()));
                });
        return new Batch(id, request, parsed.header(), parsed.rows().size(), now);
    }

    public Optional<Batch> find(String id) {
        return jdbc.sql("SELECT * FROM batches WHERE id = :id").param("id", id)
                .query((rs, n) -> new Batch(rs.getString("id"),
                        new JobRequest(Priority.byId(rs.getString("priority")).orElseThrow(),
                                read(rs.getString("outputs_spec"), OUTPUTS), rs.getString("callback_url"), Map.of()),
                        read(rs.getString("header"), STRINGS), rs.getInt("row_count"),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .optional();
    }

    /**
     * Rows whose jobs are not all created, at most {@code limit}: from every batch with such rows its
     * next {@code perBatch} in file order, interleaved, so a large batch does not hold back a small one
     * that came after it.
     */
    public List<PendingRow> pending(int limit, int perBatch) {
        return jdbc.sql("""
                SELECT r.batch_id, r.row_number, r.urls
                FROM batch_rows r
                JOIN (SELECT batch_id, MIN(row_number) AS first_row FROM batch_rows WHERE expanded = FALSE
                      GROUP BY batch_id) p ON p.batch_id = r.batch_id
                JOIN batches b ON b.id = r.batch_id
                WHERE r.expanded = FALSE AND r.row_number < p.first_row + :perBatch
                ORDER BY r.row_number - p.first_row, b.created_at, r.batch_id
                FETCH FIRST :limit ROWS ONLY
                """)
                .param("limit", limit).param("perBatch", perBatch)
                .query((rs, n) -> new PendingRow(rs.getString("batch_id"), rs.getInt("row_number"),
                        read(rs.getString("urls"), STRINGS)))
                .list();
    }

    /** Records that a row's {@code index}th URL became {@code jobId}; once is enough. */
    public void link(String batchId, int row, int index, String jobId) {
        jdbc.sql("""
                INSERT INTO batch_jobs (batch_id, row_number, url_index, job_id)
                SELECT :batch, :row, :index, :job FROM (VALUES (1)) AS one (x)
                WHERE NOT EXISTS (SELECT 1 FROM batch_jobs WHERE batch_id = :batch AND row_number = :row
                    AND url_index = :index)
                """)
                .param("batch", batchId).param("row", row).param("index", index).param("job", jobId)
                .update();
    }

    public void markExpanded(String batchId, int row) {
        jdbc.sql("UPDATE batch_rows SET expanded = TRUE WHERE batch_id = :batch AND row_number = :row")
                .param("batch", batchId).param("row", row).update();
    }

    /** How many of the batch's rows have no jobs yet, and its jobs by status. */
    public Map<String, Long> counts(String batchId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("pending", jdbc.sql("SELECT COUNT(*) FROM batch_rows WHERE batch_id = :batch AND expanded = FALSE")
                .param("batch", batchId).query(Long.class).single());
        jdbc.sql("""
                SELECT j.status, COUNT(*) AS n FROM batch_jobs b JOIN jobs j ON j.id = b.job_id
                WHERE b.batch_id = :batch GROUP BY j.status ORDER BY j.status
                """)
                .param("batch", batchId)
                .query((ResultSet rs) -> {
                    counts.put(rs.getString("status"), rs.getLong("n"));
                });
        return counts;
    }

    /** Rows after {@code afterRow}, in file order, at most {@code limit}, with their jobs. */
    public List<RowState> rows(String batchId, int afterRow, int limit) {
        List<RowState> page = new ArrayList<>();
        jdbc.sql("""
                SELECT row_number, cells, expanded FROM batch_rows WHERE batch_id = :batch AND row_number > :after
                ORDER BY row_number FETCH FIRST :limit ROWS ONLY
                """)
                .param("batch", batchId).param("after", afterRow).param("limit", limit)
                .query((ResultSet rs) -> {
                    page.add(new RowState(rs.getInt("row_number"), read(rs.getString("cells"), STRINGS),
                            rs.getBoolean("expanded"), new ArrayList<>()));
                });
        if (page.isEmpty()) {
            return page;
        }
        Map<Integer, RowState> byNumber = new LinkedHashMap<>();
        page.forEach(row -> byNumber.put(row.number(), row));
        jdbc.sql("""
                SELECT b.row_number, b.url_index, j.id, j.status,
                    (SELECT MIN(o.object_key) FROM job_outputs o WHERE o.job_id = j.id
                        AND o.name = (SELECT MIN(p.name) FROM job_outputs p WHERE p.job_id = j.id)) AS output_key
                FROM batch_jobs b JOIN jobs j ON j.id = b.job_id
                WHERE b.batch_id = :batch AND b.row_number BETWEEN :first AND :last
                ORDER BY b.row_number, b.url_index
                """)
                .param("batch", batchId).param("first", page.get(0).number())
                .param("last", page.get(page.size() - 1).number())
                .query((ResultSet rs) -> {
                    RowState row = byNumber.get(rs.getInt("row_number"));
                    if (row != null) {
                        row.jobs().add(new RowJob(rs.getInt("url_index"), rs.getString("id"), rs.getString("status"),
                                rs.getString("output_key")));
                    }
                });
        return page;
    }

    /** Every row in file order, a page at a time, without holding the whole batch. */
    public void eachRow(String batchId, int pageSize, Consumer<RowState> consumer) {
        int after = 0;
        List<RowState> page;
        do {
            page = rows(batchId, after, pageSize);
            page.forEach(consumer);
            after = page.isEmpty() ? after : page.get(page.size() - 1).number();
        } while (page.size() == pageSize);
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
