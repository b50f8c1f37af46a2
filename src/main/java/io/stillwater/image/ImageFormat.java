package io.stillwater.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Optional;

/** Image formats Stillwater recognises by their leading bytes. */
public enum ImageFormat {
    @JsonProperty("jpeg") JPEG("jpeg", "image/jpeg", "jpg"),
    @JsonProperty("png") PNG("png", "image/png", "png"),
    @JsonProperty("webp") WEBP("webp", "image/webp", "webp"),
    @JsonProperty("gif") GIF("gif", "image/gif", "gif"),
    @JsonProperty("bmp") BMP("bmp", "image/bmp", "bmp"),
    @JsonProperty("tiff") TIFF("tiff", "image/tiff", "tif");

    private final String id;
    private final String mediaType;
    private final String extension;

    ImageFormat(String id, String mediaType, String extension) {
        this.id = id;
        this.mediaType = mediaType;
        this.extension = extension;
    }

    /** The lower-case name used in the API and in object keys. */
    public String id() {
        return id;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    /** Formats a rendition may be written in. */
    public boolean isWritable() {
        return this == JPEG || this == PNG || this == WEBP;
    }

    public static Optional<ImageFormat> byId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equalsIgnoreCase(id)).findFirst();
    }

    /**
     * Identifies the format from the first bytes of the data: the name and the declared content type
     * of an upload are never consulted.
     */
    public static Optional<ImageFormat> sniff(byte[] data) {
        if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(data, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of(WEBP);
        }
        if (startsWith(data, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(data, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return Optional.of(GIF);
        }
        if (startsWith(data, 0, 'B', 'M') && data.length > 26) {
            return Optional.of(BMP);
        }
        if (startsWith(data, 0, 'I', 'I', 42, 0) || startsWith(data, 0, 'M', 'M', 0, 42)) {
            return Optional.of(TIFF);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] data, int offset, int... magic) {
        if (data.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
