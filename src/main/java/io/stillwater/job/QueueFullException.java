package io.stillwater.job;

/**
 * A priority class has as many jobs waiting as intake lets it: the client should come back later.
 * Nothing was stored or queued.
 */
public class QueueFullException extends IntakeUnavailableException {

    private final int limit;

    public QueueFullException(Priority priority, int limit) {
        super("%d %s jobs are already waiting; try again later".formatted(limit, priority.id()), null);
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
