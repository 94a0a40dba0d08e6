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
        assertThat(progress.seen(2)).isZero();

        progress.record(2, 1);
        progress.record(2, 3);
        progress.record(2, 2);
        progress.record(5, 1);

        HintProgress reread = HintProgress.at(root);
        assertThat(reread.seen(2)).isEqualTo(3);
        assertThat(reread.seen(5)).isEqualTo(1);
        assertThat(reread.seen(1)).isZero();
        assertThat(root.resolve(".learn/hints.properties")).isRegularFile();
    }

    @Test
    @DisplayName("a damaged progress file counts as nothing seen")
    void damagedFile(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve(".learn"));
        Files.writeString(root.resolve(".learn/hints.properties"), "exercise.2=lots\n");

        assertThat(HintProgress.at(root).seen(2)).isZero();
    }
}
