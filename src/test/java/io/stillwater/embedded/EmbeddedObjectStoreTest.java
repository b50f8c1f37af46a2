package io.stillwater.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedObjectStoreTest {

    @Test
    void aWriteCutShortByACrashIsRemovedAtStartAndObjectsStay(@TempDir Path directory) throws Exception {
        Path renditions = Files.createDirectories(directory.resolve("stillwater/renditions/ab12"));
        Path object = Files.write(renditions.resolve("c47b.jpg"), new byte[] {1, 2, 3});
        Path unfinished = Files.write(renditions.resolve("c47b.jpg-4ed0c475-34e1-4095-a499-4f99cef500cc"), new byte[0]);
        Path original = Files.write(Files.createDirectories(directory.resolve("stillwater/originals"))
                .resolve("9224f5fe-6bbf-4bf1-aed7-e92a73ff5b2d.jpg"), new byte[] {4});

        EmbeddedObjectStore.removeUnfinishedWrites(directory);

        assertThat(unfinished).doesNotExist();
        assertThat(object).exists();
        assertThat(original).as("an original named by its job id").exists();
    }
}
