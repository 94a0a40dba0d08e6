package dev.gopatterns.jmh.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The comparer of {@link BenchmarkDocsTest} on a fixture: a report rendered by modules/jmh/plot/render.py from a
 * real (smoke-quality) result set, copied to src/test/resources/bench-fixture/. It passes as rendered, and fails,
 * naming the row and both values, once a number in it or in its JSON is doctored.
 */
class DocsTablesTest {

    private static final String DIR = "/bench-fixture/";

    private static String resource(String name) {
        try (InputStream in = DocsTablesTest.class.getResourceAsStream(DIR + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String REPORT = resource("channels.md");
    private static final Function<String, String> FILES = DocsTablesTest::resource;

    @Test
    void theRenderedReportAgreesWithItsResults() {
        assertThat(REPORT).contains("<!-- generated from results/").contains("<!-- cells: ");
        assertThat(DocsTables.check("channels.md", REPORT, FILES)).isEmpty();
    }

    /** The pipeline report's tables (Java, Go twin and Java ÷ Go in one row), from a smoke result set. */
    @Test
    void thePipelineReportAgreesWithItsResultsAndADoctoredRatioFails() {
        String pipeline = resource("pipeline.md");
        assertThat(pipeline).contains("<!-- generated from results/pipeline-").contains("<!-- cells: ");
        assertThat(DocsTables.check("pipeline.md", pipeline, FILES)).isEmpty();

        String row = pipeline.lines().filter(l -> l.startsWith("| `gopatterns:0` (hand-written stages")).findFirst()
                .orElseThrow();
        String doctored = pipeline.replace(row, row.replaceFirst("\\d+\\.\\d\\d×", "0.01×"));
        assertThat(DocsTables.check("pipeline.md", doctored, FILES))
                .singleElement().asString().contains("the table says \"0.01×");
    }

    @Test
    void aHandEditedMeanFailsNamingTheRowAndBothValues() {
        String row = REPORT.lines().filter(l -> l.startsWith("| `gopatterns:0` |")).findFirst().orElseThrow();
        String cell = row.split("\\|")[2].strip(); // the platform-threads column
        String doctored = REPORT.replace(row, row.replace(cell, "1 ± 0.01 ns/op"));

        List<String> problems = DocsTables.check("channels.md", doctored, FILES);

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("row `gopatterns:0`", "column \"platform threads\"",
                "the table says \"1 ± 0.01 ns/op\"", "gives \"" + cell + "\"");
    }

    @Test
    void aHandEditedRatioFails() {
        String row = REPORT.lines().filter(l -> l.contains("gopatterns / jox") && l.contains("×")).findFirst()
                .orElseThrow();
        String doctored = REPORT.replace(row, row.replaceFirst("\\d+\\.\\d\\d×", "0.01×"));

        assertThat(DocsTables.check("channels.md", doctored, FILES))
                .singleElement().asString().contains("the table says \"0.01×");
    }

    @Test
    void aChangedResultFileFailsAndAMissingOneIsNamed() {
        String source = REPORT.lines().filter(l -> l.startsWith("<!-- generated from ")).findFirst().orElseThrow()
                .replaceAll("<!-- generated from (\\S+): do not edit -->", "$1");
        String json = resource(source);
        String stale = json.replaceFirst("\"score\" : (\\d)", "\"score\" : 9$1");

        assertThat(DocsTables.check("channels.md", REPORT, n -> n.equals(source) ? stale : resource(n)))
                .isNotEmpty().allSatisfy(p -> assertThat(p).contains("the table says"));
        assertThat(DocsTables.check("channels.md", REPORT, n -> null))
                .singleElement().asString().contains(source, "is not committed");
    }

    @Test
    void aNumberAddedByHandOutsideTheCellMapFails() {
        String row = REPORT.lines().filter(l -> l.startsWith("| Go `chan`:0 |")).findFirst().orElseThrow();
        String doctored = REPORT.replace(row, row.replaceFirst("\\| — \\|", "| 5 ± 1 ns/op |"));

        assertThat(DocsTables.check("channels.md", doctored, FILES))
                .anySatisfy(p -> assertThat(p).contains("\"5 ± 1 ns/op\" is a number no result stands behind"));
    }

    @Test
    void numbersAreFormattedAsTheRendererFormatsThem() {
        assertThat(DocsTables.formatNs(1234.5)).isEqualTo("1,234"); // half-even, as Python's format
        assertThat(DocsTables.formatNs(99.96)).isEqualTo("100.0");
        assertThat(DocsTables.formatNs(2.675)).isEqualTo("2.67"); // the double is just below 2.675
        assertThat(DocsTables.formatNs(Double.NaN)).isEqualTo("n/a");
        assertThat(DocsTables.formatRatio(new double[] {10, 0.5}, new double[] {12, 0.5})).isEqualTo("0.83×");
        assertThat(DocsTables.formatRatio(new double[] {10, 1}, new double[] {11, 1}))
                .isEqualTo("0.91× (CIs overlap: within noise)");
    }
}
