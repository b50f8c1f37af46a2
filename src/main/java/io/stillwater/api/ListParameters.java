package io.stillwater.api;

import io.stillwater.job.Priority;

/** Query parameters the list endpoints share, checked with a 400 naming the parameter. */
final class ListParameters {

    private ListParameters() {}

    /** The priority class named by {@code parameter}, or {@code null} when absent. */
    static Priority priority(String parameter, String value) {
        return value == null ? null : Priority.byId(value)
                .orElseThrow(() -> ApiException.badRequest(parameter, "unknown priority '%s'".formatted(value)));
    }

    /** The page size asked for, 20 (or {@code max} if lower) when absent. */
    static int pageSize(Integer limit, int max) {
        int size = limit == null ? Math.min(20, max) : limit;
        if (size < 1 || size > max) {
            throw ApiException.badRequest("limit", "must be between 1 and %d".formatted(max));
        }
        return size;
    }
}
