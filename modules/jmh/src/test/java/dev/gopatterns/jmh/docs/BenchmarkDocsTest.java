package dev.gopatterns.jmh.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every generated table in docs/benchmarks/*.md agrees, cell by cell, with the committed result files its region
 * names (docs/benchmarks/results/): a hand-edited number, a table left stale after new results were committed, or a
 * result file that was changed or removed fails here, naming the table, row, column and both values. No benchmark
 * runs; see {@link DocsTables} for what is re-derived and how.
 */
class BenchmarkDocsTest {

    static Path docsDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("docs/benchmarks");
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        throw new IllegalStateException("docs/benchmarks not found above " + Path.of("").toAbsolutePath());
    }

    static String readOrNull(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyGeneratedTableAgreesWithItsCommittedResults() throws IOException {
        Path docs = docsDir();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> reports = Files.list(docs)) {
            for (Path report : reports.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                problems.addAll(DocsTables.check(report.getFileName().toString(), Files.readString(report),
                        name -> readOrNull(docs.resolve(name))));
            }
        }
        assertThat(problems).as("docs/benchmarks tables that disagree with docs/benchmarks/results").isEmpty();
    }
}
