package io.stillwater.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How urgently a job wants a worker; carried as the JMS priority of its message. */
public enum Priority {
    URGENT(8), NORMAL(4), BACKGROUND(1);

    private final int jmsPriority;

    Priority(int jmsPriority) {
        this.jmsPriority = jmsPriority;
    }

    public int jmsPriority() {
        return jmsPriority;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase();
    }

    public static Optional<Priority> byId(String id) {
        return Arrays.stream(values()).filter(p -> p.id().equalsIgnoreCase(id)).findFirst();
    }
}
