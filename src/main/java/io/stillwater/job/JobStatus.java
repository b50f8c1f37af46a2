package io.stillwater.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Where a job is in its life. Terminal states never change again (but for operator replays). */
public enum JobStatus {
    QUEUED, PROCESSING, SUCCEEDED, FAILED, DEAD_LETTERED, CANCELLED;

    /** The lower-case name used in the API and stored in the database. */
    @JsonValue
    public String id() {
        return name().toLowerCase();
    }

    public boolean isTerminal() {
        return this != QUEUED && this != PROCESSING;
    }

    public static Optional<JobStatus> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }
}
