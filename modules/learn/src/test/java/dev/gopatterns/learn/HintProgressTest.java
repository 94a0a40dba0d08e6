package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("HintProgress: the hints seen, remembered in .learn/")
class HintProgressTest {

    @Test
    @DisplayName("nothing is seen until recorded; progress is per exercise and never goes back")
    void recordsTheHighestHintSeen(@TempDir Path root) throws Exception {
        HintProgress progress = HintProgress.at(root);
        assertThat(progress.seen("two")).isZero();

        progress.record("two", 1);
        progress.record("two", 3);
        progress.record("two", 2);
        progress.record("five", 1);

        HintProgress reread = HintProgress.at(root);
        assertThat(reread.seen("two")).isEqualTo(3);
        assertThat(reread.seen("five")).isEqualTo(1);
        assertThat(reread.seen("one")).isZero();
        assertThat(root.resolve(".learn/hints.properties")).isRegularFile();
    }

    @Test
    @DisplayName("a damaged progress file counts as nothing seen")
    void damagedFile(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve(".learn"));
        Files.writeString(root.resolve(".learn/hints.properties"), "exercise.2=lots\n");

        assertThat(HintProgress.at(root).seen("two")).isZero();
    }
}
