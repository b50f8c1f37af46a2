package io.stillwater.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stillwater.TestImages;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageInspectorTest {

    private final ImageInspector inspector = new ImageInspector();

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png", "gif", "bmp", "webp"})
    void readsTheFormatAndDimensionsOfEverySupportedFormatFromItsHeader(String format) {
        byte[] data = TestImages.encode(rgb(TestImages.picture(321, 123), format), format);

        ImageInfo info = inspector.inspect(data);

        assertThat(info.format().id()).isEqualTo(format);
        assertThat(info.width()).isEqualTo(321);
        assertThat(info.height()).isEqualTo(123);
        assertThat(info.orientation()).isEqualTo(1);
    }

    @Test
    void judgesTheFormatByTheBytesNotByWhatTheClientCallsIt() {
        byte[] text = "hello, I am a JPEG, honestly".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> inspector.inspect(text))
                .isInstanceOf(ImageException.class)
                .extracting(e -> ((ImageException) e).code())
                .isEqualTo("unsupported-image");
    }

    @Test
    void refusesAnEmptyOrTinyFile() {
        assertThatThrownBy(() -> inspector.inspect(new byte[0])).isInstanceOf(ImageException.class);
        assertThatThrownBy(() -> inspector.inspect(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("jpeg");
    }

    @Test
    void readsTheExifOrientationAndTheDisplayedSize() {
        byte[] data = TestImages.withExifOrientation(TestImages.jpeg(300, 200), 6);

        ImageInfo info = inspector.inspect(data);

        assertThat(info.orientation()).isEqualTo(6);
        assertThat(info.displayWidth()).isEqualTo(200);
        assertThat(info.displayHeight()).isEqualTo(300);
    }

    @Test
    void readsHugeDimensionsWithoutDecodingPixels() {
        // A 1-bit PNG of 12000 × 9000 = 108 MP compresses to a few kilobytes.
        BufferedImage huge = new BufferedImage(12000, 9000, BufferedImage.TYPE_BYTE_BINARY);
        byte[] data = TestImages.encode(huge, "png");

        ImageInfo info = inspector.inspect(data);

        assertThat(info.pixels()).isEqualTo(108_000_000L);
        assertThat(data.length).isLessThan(200_000);
    }

    private static BufferedImage rgb(BufferedImage image, String format) {
        if (!format.equals("gif")) {
            return image;
        }
        BufferedImage indexed = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
        indexed.getGraphics().drawImage(image, 0, 0, null);
        return indexed;
    }
}
