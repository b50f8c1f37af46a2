package io.stillwater.metrics;

/** Reads a queue's depth and the age of its oldest message from the broker. */
public interface QueueReader {

    /** Messages waiting, and the age in seconds of the one at the head (0 when there is none). */
    record Reading(double depth, double oldestAgeSeconds) {}

    Reading read(String queue) throws Exception;
}
