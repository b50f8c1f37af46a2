package io.stillwater.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCsvTest {

    private static final String HEADER = "S. No.,Product Name,Input Image Urls\r\n";

    private final BatchCsv csv = new BatchCsv(5, 3, url -> url.startsWith("https://") ? null : "not https");

    @Test
    void quotedCellsHoldCommasQuotesAndLineBreaksAndTheUrlsAreSplit() {
        BatchCsv.Parsed parsed = parse(HEADER
                + "1,\"Shoe, \"\"red\"\"\",\"https://a.example/1.jpg, https://a.example/2.jpg,\"\r\n"
                + "2,\"Two\nlines\",https://a.example/3.jpg\n");

        assertThat(parsed.header()).containsExactly("S. No.", "Product Name", "Input Image Urls");
        assertThat(parsed.rows()).hasSize(2);
        assertThat(parsed.rows().get(0).cells()).containsExactly("1", "Shoe, \"red\"",
                "https://a.example/1.jpg, https://a.example/2.jpg,");
        assertThat(parsed.rows().get(0).urls()).containsExactly("https://a.example/1.jpg", "https://a.example/2.jpg");
        assertThat(parsed.rows().get(1).cells().get(1)).isEqualTo("Two\nlines");
        assertThat(parsed.rows()).extracting(BatchCsv.Row::number).containsExactly(2, 3);
    }

    @Test
    void aByteOrderMarkIsSkippedAndColumnsAreFoundByName() {
        BatchCsv.Parsed parsed = parse("\uFEFFInput Image Urls,s. no.,Product Name,Extra\n"
                + "https://a.example/1.jpg,1,Hat,x\n");

        assertThat(parsed.header().get(0)).isEqualTo("Input Image Urls");
        assertThat(parsed.rows().get(0).urls()).containsExactly("https://a.example/1.jpg");
    }

    @Test
    void everyStructuralMistakeIsNamedByItsRow() {
        assertThatThrownBy(() -> parse(HEADER
                + "1,Fine,https://a.example/1.jpg\n"
                + "2,Short\n"
                + "3,No urls,\" , \"\n"
                + "4,Bad url,http://a.example/1.jpg\n"
                + "5,Too many,\"https://a/1, https://a/2, https://a/3, https://a/4\"\n"))
                .isInstanceOfSatisfying(BatchCsv.InvalidBatchException.class, e -> assertThat(e.errors())
                        .extracting(BatchCsv.RowError::row).containsExactly(3, 4, 5, 6));
    }

    @Test
    void aMissingColumnEmptyFileOrHeaderOnlyIsRefused() {
        assertThatThrownBy(() -> parse("S. No.,Product Name\n1,Hat\n")).hasMessageContaining("row 1")
                .hasMessageContaining("Input Image Urls");
        assertThatThrownBy(() -> parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse(HEADER)).hasMessageContaining("no product rows");
    }

    @Test
    void moreRowsThanTheLimitAreRefusedWithoutReadingOn() {
        StringBuilder body = new StringBuilder(HEADER);
        for (int i = 1; i <= 6; i++) {
            body.append(i).append(",P,https://a.example/").append(i).append(".jpg\n");
        }
        assertThatThrownBy(() -> parse(body.toString())).hasMessageContaining("more than 5 product rows");
    }

    @Test
    void anUnclosedQuoteAndTextThatIsNotUtf8AreRefused() {
        assertThatThrownBy(() -> parse(HEADER + "1,\"open,https://a.example/1.jpg\n"))
                .isInstanceOf(BatchCsv.InvalidBatchException.class);
        byte[] latin1 = (HEADER + "1,Café,https://a.example/1.jpg\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> csv.parse(new ByteArrayInputStream(latin1))).hasMessageContaining("UTF-8");
    }

    @Test
    void blankLinesAreSkipped() {
        assertThat(parse(HEADER + "\n1,Hat,https://a.example/1.jpg\n\n").rows()).hasSize(1);
    }

    private BatchCsv.Parsed parse(String text) {
        return csv.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void urlsAreSplitOnCommasAndTrimmed() {
        assertThat(BatchCsv.urls(" https://a/1 ,,https://a/2 ")).isEqualTo(List.of("https://a/1", "https://a/2"));
    }
}
