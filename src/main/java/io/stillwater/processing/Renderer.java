package io.stillwater.processing;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.image.ImageEngine;
import io.stillwater.image.ImageException;
import io.stillwater.image.ImageLimits;
import io.stillwater.image.Rendition;
import io.stillwater.image.OutputSpec;
import io.stillwater.job.CacheKeys;
import io.stillwater.job.Job;
import io.stillwater.storage.ObjectKeys;
import java.io.IOException;
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

    public Renderer(StillwaterProperties properties) {
        this.engine = new ImageEngine(
                new ImageLimits(properties.limits().maxPixels(), properties.limits().maxFrames()),
                properties.engine().turbojpeg());
        LOG.info(engine.usesTurboJpeg()
                ? "Image engine: JPEG decode and encode through libjpeg-turbo (stillwater.engine.turbojpeg=auto)"
                : properties.engine().turbojpeg() == ImageEngine.NativeJpeg.OFF
                        ? "Image engine: pure-Java JPEG path (stillwater.engine.turbojpeg=off)"
                        : "Image engine: pure-Java JPEG path; install libjpeg-turbo (libturbojpeg.so.0, Debian "
                                + "package libturbojpeg0) for the faster one");
        this.maxBytes = properties.limits().maxBytes().toBytes();
    }

    public List<StoredRendition> render(InputStream original, Job job) throws IOException {
        byte[] data;
        try (original) {
            data = original.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        }
        if (data.length > maxBytes) {
            throw new ImageException("image-too-large", "the stored original is over the byte limit of " + maxBytes);
        }
        Map<String, OutputSpec> specs = job.outputsSpec().stream()
                .collect(Collectors.toMap(OutputSpec::name, spec -> spec));
        return engine.render(data, job.outputsSpec()).stream()
                .map(r -> new StoredRendition(r, ObjectKeys.rendition(
                        job.source().sha256(), CacheKeys.output(specs.get(r.name())), r.format())))
                .toList();
    }

    /** The outputs to record for the job once every rendition is stored. */
    public List<Job.Output> outputs(List<StoredRendition> renditions) {
        return renditions.stream().map(StoredRendition::output).toList();
    }
}
