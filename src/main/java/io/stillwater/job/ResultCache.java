package io.stillwater.job;

import io.stillwater.config.StillwaterProperties;
import org.springframework.stereotype.Component;

/**
 * Intake's question before anything is stored: is this result already made, or being made? A
 * request is answered by an existing job when its source bytes and normalised outputs have the same
 * {@link CacheKeys#job cache key}. Priority, metadata, file name and callback are not part of the
 * result, so they do not change the answer, with one exception: a request with a {@code callbackUrl}
 * is not coalesced onto a job in flight (whose callback is someone else's); it takes a finished result
 * at once, as there is nothing left to call back about.
 */
@Component("resultCache")
public class ResultCache {

    private final JobStore store;
    private final boolean enabled;

    public ResultCache(JobStore store, StillwaterProperties properties) {
        this.store = store;
        this.enabled = properties.cache().enabled();
    }

    /** The job that answers this submission, or {@code null} when it must become a job of its own. */
    public Job lookup(Submission submission) {
        if (!enabled) {
            return null;
        }
        return store.findByCacheKey(submission.cacheKey())
                .filter(job -> job.status() == JobStatus.SUCCEEDED || submission.request().callbackUrl() == null)
                .orElse(null);
    }
}
