package io.stillwater.api;

import io.stillwater.job.Job;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;

/**
 * The opaque cursor of a paged job list: the {@code (createdAt, id)} of the last job of a page, which
 * the next page starts after.
 *
 * @param createdAt the last job's creation time
 * @param id the last job's id
 */
record PageCursor(OffsetDateTime createdAt, String id) {

    /** The cursor a client sent; {@code null} for the first page; a 400 naming {@code cursor} if forged. */
    static PageCursor parse(String cursor) {
        if (cursor == null) {
            return new PageCursor(null, null);
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            return new PageCursor(OffsetDateTime.parse(parts[0]), parts[1]);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("cursor", "not a cursor this API gave out");
        }
    }

    /** The cursor of the page after {@code page}, or {@code null} when a short page was the last. */
    static String after(List<Job> page, int size) {
        if (page.size() < size) {
            return null;
        }
        Job last = page.get(page.size() - 1);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((last.createdAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
    }
}
