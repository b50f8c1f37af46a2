package io.stillwater.deadletter;

import io.stillwater.job.Job;
import java.util.List;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;
import org.springframework.stereotype.Component;

/**
 * The dead-letter operations over JMX ({@code io.stillwater:name=DeadLetters}), for operators in
 * jconsole or Hawtio; each is recorded on the job's history as done by {@code jmx}.
 */
@Component
@ManagedResource(objectName = "io.stillwater:name=DeadLetters", description = "Dead-lettered jobs")
public class DeadLettersMBean {

    private static final String OPERATOR = "jmx";

    private final DeadLetters deadLetters;

    public DeadLettersMBean(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @ManagedOperation(description = "The newest dead letters: job id, queue, reason, attempts, failed at")
    @ManagedOperationParameter(name = "limit", description = "how many, newest first")
    public List<String> list(int limit) {
        return deadLetters.list(null, null, Math.max(1, Math.min(limit, 1000)), null, null).stream()
                .map(deadLetters::entry).map(DeadLetters.Entry::toString).toList();
    }

    @ManagedOperation(description = "Replay one dead-lettered job")
    @ManagedOperationParameter(name = "jobId", description = "the job's id")
    public String replay(String jobId) {
        Job job = deadLetters.replay(jobId, OPERATOR);
        return job == null ? "not dead-lettered: " + jobId : "replayed " + jobId;
    }

    @ManagedOperation(description = "Replay every dead-lettered job, or those with one reason code")
    @ManagedOperationParameter(name = "reasonCode", description = "e.g. retries-exhausted; empty for all")
    public String replayAll(String reasonCode) {
        int count = deadLetters.replayAll(reasonCode == null || reasonCode.isBlank() ? null : reasonCode, null, OPERATOR);
        return "replaying " + count + " jobs";
    }

    @ManagedOperation(description = "Discard one dead-lettered job: it ends failed with the reason")
    @ManagedOperationParameter(name = "jobId", description = "the job's id")
    @ManagedOperationParameter(name = "reason", description = "why, recorded on the job")
    public String discard(String jobId, String reason) {
        Job job = deadLetters.discard(jobId, OPERATOR, reason);
        return job == null ? "not dead-lettered: " + jobId : "discarded " + jobId;
    }
}
