package io.stillwater.job;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * The door from the HTTP API into the {@code image-intake} route: the route checks, stores, records
 * and queues; this only hands the submission over and gives back the route's own exception.
 */
@Component
public class JobIntake {

    static final String INTAKE = "direct:image-intake";

    private final ProducerTemplate template;

    public JobIntake(ProducerTemplate template) {
        this.template = template;
    }

    public Job submit(Submission submission) {
        try {
            return template.requestBody(INTAKE, submission, Job.class);
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IntakeUnavailableException("the job could not be queued", e.getCause());
        }
    }
}
