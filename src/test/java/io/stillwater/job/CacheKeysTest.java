package io.stillwater.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.stillwater.image.Blur;
import io.stillwater.image.ImageFormat;
import io.stillwater.image.OutputSpec;
import io.stillwater.image.Resize;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache key and rendition hashes: equal for what renders alike, different otherwise, and fixed. */
class CacheKeysTest {

    private static final String SHA = "ab".repeat(32);
    private static final OutputSpec THUMB = new OutputSpec("thumb", List.of(new Resize(256, 256, Resize.Fit.COVER, null)),
            null, null);

    @Test
    void defaultsWrittenOutHashLikeDefaultsLeftOut() {
        OutputSpec spelt = new OutputSpec("thumb", List.of(new Resize(256, 256, Resize.Fit.COVER, null)),
                ImageFormat.JPEG, 80, false, false);

        assertThat(CacheKeys.output(spelt)).isEqualTo(CacheKeys.output(THUMB));
        assertThat(CacheKeys.job(SHA, List.of(spelt.normalised()))).isEqualTo(CacheKeys.job(SHA, List.of(THUMB.normalised())));
    }

    @Test
    void theNameIsPartOfTheJobsResultButNotOfTheRendition() {
        OutputSpec renamed = new OutputSpec("small", THUMB.ops(), null, null);

        assertThat(CacheKeys.output(renamed)).isEqualTo(CacheKeys.output(THUMB));
        assertThat(CacheKeys.job(SHA, List.of(renamed.normalised())))
                .isNotEqualTo(CacheKeys.job(SHA, List.of(THUMB.normalised())));
    }

    @Test
    void anythingThatChangesPixelsOrBytesChangesTheHash() {
        String base = CacheKeys.output(THUMB);

        assertThat(List.of(
                CacheKeys.output(new OutputSpec("thumb", THUMB.ops(), ImageFormat.PNG, null)),
                CacheKeys.output(new OutputSpec("thumb", THUMB.ops(), null, 81)),
                CacheKeys.output(new OutputSpec("thumb", List.of(new Resize(256, 255, Resize.Fit.COVER, null)), null, null)),
                CacheKeys.output(new OutputSpec("thumb", List.of(new Resize(256, 256, Resize.Fit.COVER, null), new Blur(2.0)),
                        null, null)),
                CacheKeys.output(new OutputSpec("thumb", THUMB.ops(), null, null, true, null)),
                CacheKeys.output(new OutputSpec("thumb", THUMB.ops(), null, null, null, true))))
                .doesNotContain(base)
                .doesNotHaveDuplicates();
        assertThat(CacheKeys.job("cd".repeat(32), List.of(THUMB.normalised())))
                .isNotEqualTo(CacheKeys.job(SHA, List.of(THUMB.normalised())));
    }

    /**
     * Keys name stored objects and rows in the job store, so they must mean the same in every process
     * and release: a change here makes every cached result a miss (raise {@link CacheKeys#RENDERING}
     * on purpose when the engine's output changes, never by accident).
     */
    @Test
    void keysAreFixedAcrossProcessesAndReleases() {
        assertThat(CacheKeys.canonical(THUMB.normalised()))
                .isEqualTo("{\"format\":\"jpeg\",\"name\":\"thumb\",\"ops\":[{\"op\":\"resize\",\"fit\":\"cover\",\"height\":256,"
                        + "\"width\":256}],\"quality\":80}");
        assertThat(CacheKeys.output(THUMB)).isEqualTo("01c86a52eaf08fd179f1f72d7c54aca009482561cff03f03fd23e0ed6f6fc6d0");
        assertThat(CacheKeys.job(SHA, List.of(THUMB.normalised()))).startsWith(SHA + ":");
    }
}
