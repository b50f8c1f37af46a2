package io.stillwater.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.jpeg.JpegCommentDirectory;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * The only source metadata an output with {@code keepMetadata} carries over: the colour profile and
 * the copyright notice. Everything else (camera settings, GPS position, XMP, IPTC, thumbnails,
 * comments other than a JPEG comment standing for the notice) is never copied, since it can reveal
 * where and by whom a photo was taken.
 *
 * @param iccProfile the profile describing the rendition's pixels: the source's own when it is sRGB,
 *     otherwise sRGB's, since the pixels were converted to sRGB; null when the source had none
 * @param copyright the EXIF Copyright tag, or null
 * @param comment a JPEG comment (COM), kept as the notice when there is no EXIF copyright; or null
 */
record KeptMetadata(byte[] iccProfile, String copyright, String comment) {

    static final KeptMetadata NONE = new KeptMetadata(null, null, null);

    boolean isEmpty() {
        return iccProfile == null && copyright == null && comment == null;
    }

    static KeptMetadata read(ImageFormat format, byte[] source) {
        byte[] profile = IccProfiles.read(format, source);
        if (profile != null && IccProfiles.nonSrgbRgb(profile) != null) {
            profile = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        }
        String copyright = null;
        String comment = null;
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(source), source.length);
            ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            copyright = exif == null ? null : blankToNull(exif.getString(ExifIFD0Directory.TAG_COPYRIGHT));
            JpegCommentDirectory com = metadata.getFirstDirectoryOfType(JpegCommentDirectory.class);
            if (copyright == null && com != null) {
                comment = blankToNull(com.getString(JpegCommentDirectory.TAG_COMMENT));
            }
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            // Unreadable metadata is simply not kept; the pixels are what the job is about.
        }
        return new KeptMetadata(profile, copyright, comment);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
