package io.stillwater.processing;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.image.ImageEngine;
import io.stillwater.image.ImageException;
import io.stillwater.image.ImageFormat;
import io.stillwater.image.ImageInfo;
import io.stillwater.image.ImageLimits;
import io.stillwater.image.MemoryBudget;
import io.stillwater.image.Rendition;
import io.stillwater.image.OutputSpec;
import io.stillwater.job.Bytes;
import io.stillwater.job.CacheKeys;
import io.stillwater.job.Job;
import io.stillwater.storage.ObjectKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Adapts the image engine to the processing route: a stored original and a job in, renditions out. */
@Component("renderer")
public class Renderer {

    /** A rendition with the object key it is stored under. */
    public record StoredRendition(Rendition rendition, String key) {

        public Job.Output output() {
            return new Job.Output(rendition.name(), rendition.format().id(), rendition.width(), rendition.height(),
                    rendition.size(), key);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Renderer.class);

    private final ImageEngine engine;
    private final long maxBytes;

    /** The time a render takes, by outcome; Prometheus: {@code stillwater_transform_duration_seconds_*}. */
    public static final String TRANSFORM_DURATION = "stillwater.transform.duration";

    private final Timer succeeded;
    private final Timer failed;

    public Renderer(StillwaterProperties properties, MemoryBudget memoryBudget, MeterRegistry registry) {
        this.succeeded = transformTimer(registry, "succeeded");
        this.failed = transformTimer(registry, "failed");
        this.engine = new ImageEngine(
                new ImageLimits(properties.limits().maxPixels(), properties.limits().maxFrames()),
                properties.engine().turbojpeg(), memoryBudget);
        LOG.info(engine.usesTurboJpeg()
                ? "Image engine: JPEG decode and encode through libjpeg-turbo (stillwater.engine.turbojpeg=auto)"
                : properties.engine().turbojpeg() == ImageEngine.NativeJpeg.OFF
                        ? "Image engine: pure-Java JPEG path (stillwater.engine.turbojpeg=off)"
                        : "Image engine: pure-Java JPEG path; install libjpeg-turbo (libturbojpeg.so.0, Debian "
                                + "package libturbojpeg0) for the faster one");
        LOG.info("Image engine: renders and uploads in flight may hold {} MiB of heap (stillwater.engine.memory-budget)",
                engine.memoryBudget() >> 20);
        this.maxBytes = properties.limits().maxBytes().toBytes();
    }

    /**
     * Reads the original only once the engine has set memory aside for it and its decode, judged from
     * what intake recorded (format, size, length): a worker waiting for memory holds none.
     */
    public List<StoredRendition> render(InputStream original, Job job) throws IOException {
        Job.Source source = job.source();
        if (source.bytes() > maxBytes) {
            original.close();
            throw new ImageException("image-too-large", "the stored original is over the byte limit of " + maxBytes);
        }
        ImageInfo declared = new ImageInfo(ImageFormat.byId(source.format()).orElseThrow(), source.width(),
                source.height(), 1);
        Map<String, OutputSpec> specs = job.outputsSpec().stream()
                .collect(Collectors.toMap(OutputSpec::name, spec -> spec));
        List<Rendition> renditions;
        long started = System.nanoTime();
        boolean rendered = false;
        try (original) {
            renditions = engine.render(declared, source.bytes(), () -> Bytes.readExactly(original, source.bytes()),
                    job.outputsSpec());
            rendered = true;
        } finally {
            (rendered ? succeeded : failed).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        return renditions.stream()
                .map(r -> new StoredRendition(r, ObjectKeys.rendition(
                        job.source().sha256(), CacheKeys.output(specs.get(r.name())), r.format())))
                .toList();
    }

    private static Timer transformTimer(MeterRegistry registry, String outcome) {
        return Timer.builder(TRANSFORM_DURATION)
                .description("Time to read and decode a job's source and render all its outputs")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }

    /** The outputs to record for the job once every rendition is stored. */
    public List<Job.Output> outputs(List<StoredRendition> renditions) {
        return renditions.stream().map(StoredRendition::output).toList();
    }
}
