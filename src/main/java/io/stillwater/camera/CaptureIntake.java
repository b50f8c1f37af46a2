package io.stillwater.camera;

import io.stillwater.job.IntakeUnavailableException;
import io.stillwater.job.Job;
import io.stillwater.job.QueueFullException;
import io.stillwater.job.Submission;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * The door from the cameras API into the {@code capture-intake} route, which records a still's job and
 * queues its capture request. A full queue or an idempotency key's race come back as they are; any
 * other failure means the job store or the broker did not take the job.
 */
@Component
public class CaptureIntake {

    static final String CAPTURE_INTAKE = "direct:capture-intake";

    private final ProducerTemplate template;

    public CaptureIntake(ProducerTemplate template) {
        this.template = template;
    }

    public Job submit(Submission still) {
        try {
            return template.requestBody(CAPTURE_INTAKE, still, Job.class);
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DuplicateKeyException || cause instanceof IntakeUnavailableException
                    || cause instanceof QueueFullException) {
                throw (RuntimeException) cause;
            }
            throw new IntakeUnavailableException("the capture could not be accepted", cause);
        }
    }
}
