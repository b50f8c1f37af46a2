package io.stillwater.uplink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stillwater.job.Job;
import io.stillwater.job.JobStore;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What the uplink routes carry: the outbox message of a rendered job (a {@link Parcel}, as JSON).
 */
@Component("uplink")
public class Uplink {

    /**
     * One job's renditions waiting for the uplink.
     *
     * @param jobId the job
     * @param run the job's run they were rendered in; only that run may end the job
     * @param outputs the renditions, each under its cloud key (the content-addressed key it would have in
     *     the cloud role)
     */
    public record Parcel(String jobId, int run, List<Job.Output> outputs) {}

    private final ObjectMapper mapper;

    public Uplink(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String parcel(String jobId, Integer run, List<Job.Output> outputs) throws JsonProcessingException {
        return mapper.writeValueAsString(new Parcel(jobId, run == null ? JobStore.FIRST_RUN : run, outputs));
    }

    public Parcel read(String json) throws JsonProcessingException {
        return mapper.readValue(json, Parcel.class);
    }
}
