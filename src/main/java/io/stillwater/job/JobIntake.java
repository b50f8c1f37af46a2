package io.stillwater.job;

import io.stillwater.image.ImageException;
import io.stillwater.metrics.JobMetrics;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * The door from the HTTP API into the {@code image-intake} route: the route checks, stores, records
 * and queues; this only hands the submission over. The image's own faults and an idempotency key's
 * race come back as they are; any other failure means a part behind intake (object store, job store,
 * broker) did not take the job, and becomes {@link IntakeUnavailableException}. A job recorded and queued
 * here is counted as accepted ({@link JobMetrics}); one the broker did not take was withdrawn and is not, nor
 * is an answer from the result cache or a job already in progress.
 */
@Component
public class JobIntake {

    static final String IMAGE_INTAKE = "direct:image-intake";
    static final String URL_INTAKE = "direct:url-intake";

    private final ProducerTemplate template;
    private final JobMetrics metrics;

    public JobIntake(ProducerTemplate template, JobMetrics metrics) {
        this.template = template;
        this.metrics = metrics;
    }

    public Job submit(Submission submission) {
        try {
            Job job = template.requestBody(submission.url() == null ? IMAGE_INTAKE : URL_INTAKE, submission, Job.class);
            if (job.id().equals(submission.jobId())) {
                metrics.accepted(job.priority().id(), JobMetrics.source(job.source().kind(), submission.idempotencyKey()));
            }
            return job;
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ImageException || cause instanceof DuplicateKeyException
                    || cause instanceof IntakeUnavailableException) {
                throw (RuntimeException) cause;
            }
            throw new IntakeUnavailableException("the job could not be accepted", cause);
        }
    }
}
