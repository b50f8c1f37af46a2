package io.stillwater.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a product CSV ({@code S. No.}, {@code Product Name}, {@code Input Image Urls}: RFC 4180,
 * UTF-8 with or without a byte-order mark), record by record, never more than the row limit. Every
 * structural mistake is collected with its row number (the header is row 1, as in a spreadsheet), so
 * a client can fix them all at once.
 */
public final class BatchCsv {

    static final String SERIAL = "S. No.";
    static final String PRODUCT = "Product Name";
    static final String URLS = "Input Image Urls";
    /** Errors reported at most: a file that is wrong everywhere needs no ten thousand lines about it. */
    static final int MAX_ERRORS = 50;

    private final int maxRows;
    private final int maxUrlsPerRow;
    private final Function<String, String> urlCheck;

    /**
     * @param urlCheck why a URL may not be used, or {@code null} when it may
     */
    public BatchCsv(int maxRows, int maxUrlsPerRow, Function<String, String> urlCheck) {
        this.maxRows = maxRows;
        this.maxUrlsPerRow = maxUrlsPerRow;
        this.urlCheck = urlCheck;
    }

    /** A product row: its number in the file, its cells as given, and its image URLs. */
    public record Row(int number, List<String> cells, List<String> urls) {}

    /** The header as given, and the rows. */
    public record Parsed(List<String> header, List<Row> rows) {}

    /** One structural mistake: the row (1 is the header) and what is wrong with it. */
    public record RowError(int row, String message) {}

    /** A CSV that cannot be accepted, with every mistake found (at most {@value #MAX_ERRORS}). */
    public static class InvalidBatchException extends RuntimeException {

        private final List<RowError> errors;

        InvalidBatchException(List<RowError> errors) {
            super(errors.size() == 1 ? "row %d: %s".formatted(errors.get(0).row(), errors.get(0).message())
                    : "%d rows have mistakes; the first, row %d: %s".formatted(errors.size(), errors.get(0).row(),
                            errors.get(0).message()));
            this.errors = List.copyOf(errors);
        }

        public List<RowError> errors() {
            return errors;
        }
    }

    public Parsed parse(InputStream csv) {
        List<RowError> errors = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(withoutBom(csv), CSVFormat.RFC4180)) {
            var records = parser.iterator();
            CSVRecord headerRecord = next(records, 1);
            if (headerRecord == null) {
                throw new InvalidBatchException(List.of(new RowError(1, "the file is empty; the first row must be the "
                        + "header: " + String.join(", ", SERIAL, PRODUCT, URLS))));
            }
            List<String> header = headerRecord.toList().stream().map(String::strip).toList();
            int urlColumn = column(header, URLS);
            if (column(header, SERIAL) < 0 || column(header, PRODUCT) < 0 || urlColumn < 0) {
                throw new InvalidBatchException(List.of(new RowError(1, "the header must name the columns %s, %s and %s; it has %s"
                        .formatted(SERIAL, PRODUCT, URLS, header))));
            }
            int number = 1;
            CSVRecord record;
            while ((record = next(records, number + 1)) != null) {
                number++;
                if (rows.size() + errors.size() >= maxRows) {
                    throw new InvalidBatchException(List.of(new RowError(number,
                            "more than %d product rows; split the file".formatted(maxRows))));
                }
                List<String> cells = record.toList();
                if (cells.size() == 1 && cells.get(0).isBlank()) {
                    continue;
                }
                String problem = check(cells, header.size(), urlColumn);
                if (problem != null) {
                    errors.add(new RowError(number, problem));
                    if (errors.size() >= MAX_ERRORS) {
                        break;
                    }
                    continue;
                }
                rows.add(new Row(number, cells, urls(cells.get(urlColumn))));
            }
            if (errors.isEmpty() && rows.isEmpty()) {
                errors.add(new RowError(2, "the file has a header but no product rows"));
            }
            if (!errors.isEmpty()) {
                throw new InvalidBatchException(errors);
            }
            return new Parsed(header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String check(List<String> cells, int columns, int urlColumn) {
        if (cells.size() != columns) {
            return "%d cells where the header has %d".formatted(cells.size(), columns);
        }
        List<String> urls = urls(cells.get(urlColumn));
        if (urls.isEmpty()) {
            return "no image URL in '%s'".formatted(URLS);
        }
        if (urls.size() > maxUrlsPerRow) {
            return "%d image URLs; at most %d a row".formatted(urls.size(), maxUrlsPerRow);
        }
        for (String url : urls) {
            String refused = urlCheck.apply(url);
            if (refused != null) {
                return "image URL '%s': %s".formatted(url, refused);
            }
        }
        return null;
    }

    /** The comma-separated URLs of one cell, trimmed, empty entries left out. */
    static List<String> urls(String cell) {
        return Arrays.stream(cell.split(",")).map(String::strip).filter(url -> !url.isEmpty()).toList();
    }

    private static int column(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    /** The next record, or {@code null} at the end; a record that cannot be read is row {@code row}'s mistake. */
    private static CSVRecord next(Iterator<CSVRecord> records, int row) {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            String reason = e.getCause() instanceof CharacterCodingException ? "the file is not UTF-8"
                    : "not valid CSV: " + e.getCause().getMessage();
            throw new InvalidBatchException(List.of(new RowError(row, reason)));
        }
    }

    /** UTF-8, strictly (a file in another encoding is an error, not garbage), without a leading BOM. */
    private static Reader withoutBom(InputStream csv) throws IOException {
        PushbackReader reader = new PushbackReader(new InputStreamReader(csv, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1);
        int first = reader.read();
        if (first != -1 && first != '\uFEFF') {
            reader.unread(first);
        }
        return reader;
    }
}
