package io.stillwater.image;

import static io.stillwater.image.ImageFormatsTest.indexOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.drew.imaging.ImageMetadataReader;
import com.drew.lang.KeyValuePair;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifThumbnailDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.icc.IccDirectory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.jpeg.JpegCommentDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import io.stillwater.CraftedImages;
import io.stillwater.TestImages;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renditions carry none of the source's metadata (EXIF with its GPS position, XMP, IPTC, comments,
 * the embedded thumbnail), except the profile and copyright an output asks to keep.
 */
class ImageMetadataTest {

    private static final String COPYRIGHT = "(c) 2026 Jane Photographer";

    private final ImageEngine engine = new ImageEngine(50_000_000);

    /** A phone photo: EXIF with GPS and a thumbnail, XMP, IPTC, a comment and an sRGB profile. */
    private static byte[] phonePhoto() {
        byte[] jpeg = TestImages.jpeg(320, 240);
        byte[] thumbnail = TestImages.jpeg(32, 24);
        jpeg = CraftedImages.withJpegSegment(jpeg, 0xFE, "shot at home".getBytes(StandardCharsets.US_ASCII));
        jpeg = CraftedImages.withJpegSegment(jpeg, 0xED, CraftedImages.iptcApp13());
        jpeg = CraftedImages.withJpegSegment(jpeg, 0xE2,
                CraftedImages.iccApp2(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData()));
        jpeg = CraftedImages.withJpegSegment(jpeg, 0xE1, CraftedImages.xmpApp1());
        return CraftedImages.withJpegSegment(jpeg, 0xE1, CraftedImages.exifWithGpsAndThumbnail(COPYRIGHT, thumbnail));
    }

    @Test
    void theCraftedSourceReallyCarriesAllThatMetadata() throws Exception {
        Metadata metadata = read(phonePhoto());

        GpsDirectory gps = metadata.getFirstDirectoryOfType(GpsDirectory.class);
        assertThat(gps.getString(GpsDirectory.TAG_LATITUDE_REF)).isEqualTo("N");
        assertThat(gps.getRationalArray(GpsDirectory.TAG_LATITUDE)[0].intValue()).isEqualTo(51);
        assertThat(metadata.getFirstDirectoryOfType(ExifIFD0Directory.class).getString(ExifIFD0Directory.TAG_COPYRIGHT))
                .isEqualTo(COPYRIGHT);
        assertThat(metadata.getFirstDirectoryOfType(ExifThumbnailDirectory.class)).isNotNull();
        assertThat(metadata.getFirstDirectoryOfType(XmpDirectory.class)).isNotNull();
        assertThat(metadata.getFirstDirectoryOfType(IptcDirectory.class)).isNotNull();
        assertThat(metadata.getFirstDirectoryOfType(JpegCommentDirectory.class)).isNotNull();
        assertThat(metadata.getFirstDirectoryOfType(IccDirectory.class)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png", "webp"})
    void renditionsCarryNoMetadataByDefault(String id) throws Exception {
        Rendition out = render(phonePhoto(), id, null);

        Metadata metadata = read(out.data());
        for (Class<? extends Directory> type : List.of(ExifIFD0Directory.class, GpsDirectory.class,
                ExifThumbnailDirectory.class, XmpDirectory.class, IptcDirectory.class, JpegCommentDirectory.class,
                IccDirectory.class)) {
            assertThat(metadata.getFirstDirectoryOfType(type)).as(type.getSimpleName()).isNull();
        }
        for (String text : List.of("Exif", "GPS", "PhoneMaker", "Jane", "xmpmeta", "ns.adobe.com", "8BIM", "shot at home",
                "ICC_PROFILE", "iCCP", "ICCP", "EXIF")) {
            assertThat(indexOf(out.data(), text.getBytes(StandardCharsets.US_ASCII))).as(text).isNegative();
        }
        // The thumbnail was a whole JPEG inside the source: no second SOI may appear in the rendition.
        if (id.equals("jpeg")) {
            assertThat(indexOf(Arrays.copyOfRange(out.data(), 2, out.data().length),
                    new byte[] {(byte) 0xFF, (byte) 0xD8})).isNegative();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png", "webp"})
    void keepMetadataKeepsTheProfileAndCopyrightAndNothingElse(String id) throws Exception {
        Rendition out = render(phonePhoto(), id, true);

        Metadata metadata = read(out.data());
        assertThat(copyright(metadata)).isEqualTo(COPYRIGHT);
        assertThat(metadata.getFirstDirectoryOfType(IccDirectory.class)).as("ICC profile").isNotNull();
        for (Class<? extends Directory> type : List.of(GpsDirectory.class, ExifThumbnailDirectory.class,
                XmpDirectory.class, IptcDirectory.class)) {
            assertThat(metadata.getFirstDirectoryOfType(type)).as(type.getSimpleName()).isNull();
        }
        for (String text : List.of("PhoneMaker", "xmpmeta", "8BIM", "shot at home")) {
            assertThat(indexOf(out.data(), text.getBytes(StandardCharsets.US_ASCII))).as(text).isNegative();
        }
        assertThat(TestImages.decode(out.data()).getWidth()).as("still decodes").isEqualTo(200);
    }

    @Test
    void aJpegCommentStandsForTheCopyrightWhenThereIsNoExif() throws Exception {
        byte[] source = CraftedImages.withJpegSegment(TestImages.jpeg(64, 64), 0xFE,
                COPYRIGHT.getBytes(StandardCharsets.US_ASCII));

        Metadata metadata = read(render(source, "jpeg", true).data());

        assertThat(metadata.getFirstDirectoryOfType(JpegCommentDirectory.class).getString(JpegCommentDirectory.TAG_COMMENT))
                .isEqualTo(COPYRIGHT);
    }

    /** The pixels were converted to sRGB, so the kept profile must be sRGB's, not the source's. */
    @Test
    void aKeptProfileDescribesTheConvertedPixels() {
        byte[] source = CraftedImages.withJpegSegment(TestImages.jpeg(64, 64), 0xE2,
                CraftedImages.iccApp2(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData()));

        byte[] kept = IccProfiles.read(ImageFormat.JPEG, render(source, "jpeg", true).data());

        assertThat(kept).isNotNull();
        assertThat(IccProfiles.nonSrgbRgb(kept)).isNull();
    }

    private Rendition render(byte[] source, String format, Boolean keep) {
        return engine.render(source, List.of(new OutputSpec("out", List.of(new Resize(200, null, null, null)),
                ImageFormat.byId(format).orElseThrow(), 85, null, keep))).get(0);
    }

    private static String copyright(Metadata metadata) {
        ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        if (exif != null) {
            return exif.getString(ExifIFD0Directory.TAG_COPYRIGHT);
        }
        for (PngDirectory png : metadata.getDirectoriesOfType(PngDirectory.class)) {
            if (png.getObject(PngDirectory.TAG_TEXTUAL_DATA) instanceof List<?> entries) {
                for (Object entry : entries) {
                    KeyValuePair pair = (KeyValuePair) entry;
                    if (pair.getKey().equals("Copyright")) {
                        return pair.getValue().toString();
                    }
                }
            }
        }
        return null;
    }

    private static Metadata read(byte[] data) throws Exception {
        return ImageMetadataReader.readMetadata(new ByteArrayInputStream(data), data.length);
    }
}
