package io.stillwater.job;

import io.stillwater.image.OutputSpec;
import java.util.List;
import java.util.Map;

/**
 * A validated spec with the preset expanded and defaults filled in: what is stored with the job and
 * what the worker renders.
 */
public record JobRequest(Priority priority, List<OutputSpec> outputs, String callbackUrl, Map<String, String> metadata) {}
