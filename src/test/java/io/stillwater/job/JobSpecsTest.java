package io.stillwater.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stillwater.config.StillwaterProperties;
import io.stillwater.image.ImageEngine;
import io.stillwater.image.Blur;
import io.stillwater.image.Crop;
import io.stillwater.image.Flip;
import io.stillwater.image.Gravity;
import io.stillwater.image.OutputSpec;
import io.stillwater.image.Resize;
import io.stillwater.image.Rotate;
import io.stillwater.image.Sharpen;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.unit.DataSize;

/** Intake validation of the operations and output options: each mistake is a 400 naming its field. */
class JobSpecsTest {

    private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

    private final ObjectMapper mapper = new ObjectMapper();
    private final JobSpecs specs = new JobSpecs(mapper, VALIDATION.getValidator(), properties());

    @AfterAll
    static void close() {
        VALIDATION.close();
    }

    @Test
    void acceptsEveryOperationAndStoresItAsGiven() throws Exception {
        JobRequest request = accept("""
                {"outputs":[{"name":"all","format":"png","keepMetadata":true,"ops":[
                  {"op":"resize","width":300,"height":200,"fit":"contain","background":"#11223380"},
                  {"op":"resize","width":100,"height":100,"fit":"cover","gravity":"attention"},
                  {"op":"resize","width":90,"height":60,"fit":"fill","enlarge":true},
                  {"op":"crop","x":0,"y":0,"width":50,"height":50},
                  {"op":"crop","width":40,"height":40,"gravity":"southeast"},
                  {"op":"rotate","angle":270},{"op":"flip"},{"op":"flop"},{"op":"grayscale"},
                  {"op":"blur","sigma":0.3},{"op":"sharpen"},{"op":"sharpen","sigma":2}]},
                 {"name":"progressive","progressive":true}]}""");

        OutputSpec all = request.outputs().get(0);
        assertThat(all.ops()).hasSize(12);
        assertThat(all.ops().get(1)).isEqualTo(new Resize(100, 100, Resize.Fit.COVER, null, Gravity.ATTENTION, null));
        assertThat(all.ops().get(4)).isEqualTo(new Crop(null, null, 40, 40, Gravity.SOUTHEAST));
        assertThat(all.ops().get(5)).isEqualTo(new Rotate(270));
        assertThat(all.ops().get(6)).isEqualTo(new Flip());
        assertThat(all.ops().get(9)).isEqualTo(new Blur(0.3));
        assertThat(all.ops().get(10)).isEqualTo(new Sharpen(null));
        assertThat(all.keepMetadataOrDefault()).isTrue();
        assertThat(request.outputs().get(1).progressiveOrDefault()).isTrue();
        // As stored with the job and read back by a worker.
        String stored = mapper.writeValueAsString(request.outputs());
        assertThat(mapper.readValue(stored, OutputSpec[].class)).containsExactlyElementsOf(request.outputs());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{'op':'blur','sigma':0.1}                                   | outputs[0].ops[1].sigma",
        "{'op':'blur','sigma':101}                                   | outputs[0].ops[1].sigma",
        "{'op':'blur'}                                               | outputs[0].ops[1].sigma",
        "{'op':'sharpen','sigma':11}                                 | outputs[0].ops[1].sigma",
        "{'op':'rotate','angle':45}                                  | outputs[0].ops[1].angle",
        "{'op':'rotate'}                                             | outputs[0].ops[1].angle",
        "{'op':'crop','x':0,'y':0,'width':10}                        | outputs[0].ops[1].height",
        "{'op':'crop','x':0,'width':10,'height':10}                  | outputs[0].ops[1].x",
        "{'op':'crop','x':-1,'y':0,'width':10,'height':10}           | outputs[0].ops[1].x",
        "{'op':'crop','x':0,'y':0,'width':10,'height':10,'gravity':'north'} | outputs[0].ops[1].gravity",
        "{'op':'crop','width':10,'height':10,'gravity':'middle'}     | outputs[0].ops[1].gravity",
        "{'op':'resize','width':10,'gravity':'north'}                | outputs[0].ops[1].gravity",
        "{'op':'resize','width':10,'height':10,'fit':'contain','background':'red'} | outputs[0].ops[1].background",
        "{'op':'resize','width':10,'height':10,'background':'#ffffff'} | outputs[0].ops[1].background",
        "{'op':'resize','width':10,'fit':'fill'}                     | outputs[0].ops[1].width",
        "{'op':'resize','width':10,'height':10,'fit':'stretch'}      | outputs[0].ops[1].fit",
        "{'op':'swirl'}                                              | outputs[0].ops[1].op",
        "{'op':'flip','angle':90}                                    | outputs[0].ops[1].angle",
    })
    void refusesABadOperationNamingItsField(String op, String field) {
        String json = "{'outputs':[{'name':'out','ops':[{'op':'grayscale'}," + op + "]}]}";

        assertThatThrownBy(() -> accept(json.replace('\'', '"')))
                .isInstanceOf(InvalidSpecException.class)
                .extracting(e -> ((InvalidSpecException) e).field()).isEqualTo(field);
    }

    @Test
    void refusesATransparentBackgroundForJpegAndProgressiveForOtherFormats() {
        assertThatThrownBy(() -> accept("""
                {"outputs":[{"name":"out","ops":[{"op":"resize","width":10,"height":10,"fit":"contain",
                  "background":"#00000000"}]}]}"""))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("png or webp")
                .extracting(e -> ((InvalidSpecException) e).field()).isEqualTo("outputs[0].ops[0].background");
        assertThat(accept("""
                {"outputs":[{"name":"out","format":"webp","ops":[{"op":"resize","width":10,"height":10,
                  "fit":"contain","background":"#00000000"}]}]}""").outputs()).hasSize(1);
        assertThatThrownBy(() -> accept("{\"outputs\":[{\"name\":\"out\",\"format\":\"png\",\"progressive\":true}]}"))
                .isInstanceOf(InvalidSpecException.class)
                .extracting(e -> ((InvalidSpecException) e).field()).isEqualTo("outputs[0].progressive");
    }

    @Test
    void theUnknownOperationMessageListsEveryOperation() {
        assertThatThrownBy(() -> accept("{\"outputs\":[{\"name\":\"out\",\"ops\":[{\"op\":\"swirl\"}]}]}"))
                .hasMessageContaining("resize, crop, rotate, flip, flop, grayscale, blur, sharpen");
    }

    private JobRequest accept(String json) {
        return specs.normalise(specs.parse(json));
    }

    private static StillwaterProperties properties() {
        return new StillwaterProperties(
                Path.of("data"),
                "test",
                new StillwaterProperties.Limits(DataSize.ofMegabytes(50), 50_000_000, 8192, 10, 1000),
                new StillwaterProperties.Storage("bucket", "", "", "us-east-1", "", "", Duration.ofHours(1),
                        new StillwaterProperties.Storage.Embedded(false, "127.0.0.1", 0)),
                new StillwaterProperties.Jobs("web", "jobs", "DLQ", 100),
                new StillwaterProperties.Intake(100, new StillwaterProperties.Intake.RateLimit(false, 1, 1)),
                new StillwaterProperties.Processing(new StillwaterProperties.Processing.Concurrency(1, 1, 1), true),
                new StillwaterProperties.Retry(0, Duration.ofSeconds(1), 2, Duration.ofSeconds(30), 3),
                new StillwaterProperties.Security(new StillwaterProperties.Security.Operator("operator", "secret"),
                        new StillwaterProperties.Security.Intake(List.of("intake-key-for-spec-tests"), false)),
                new StillwaterProperties.DeadLetters(10),
                new StillwaterProperties.Cache(true),
                Map.of("web", List.of(new StillwaterProperties.PresetOutput("web",
                        List.of(Map.of("op", "resize", "width", "1600", "height", "1600")), "jpeg", 82, true, null))),
                new StillwaterProperties.Engine(ImageEngine.NativeJpeg.OFF, null),
                new StillwaterProperties.Fetch(List.of(), List.of(), Duration.ofSeconds(5), Duration.ofSeconds(20), 5,
                        "test"),
                new StillwaterProperties.Batches(DataSize.ofMegabytes(10), 10_000, 20, 50),
                new StillwaterProperties.Webhooks("secret", 2),
                StillwaterProperties.Role.CLOUD,
                new StillwaterProperties.Uplink("stillwater.outbox", 0, DataSize.ofBytes(0), Duration.ofSeconds(5),
                        new StillwaterProperties.Uplink.CloudStore("", "", "", "", "", "", Duration.ofHours(1))),
                null);
    }
}
