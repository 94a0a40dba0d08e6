package dev.gopatterns.flawed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every exercise of the track writes down the mistakes its tests are meant to catch, in
 * {@code exercises/src/test/java/dev/gopatterns/exercises/<slug>/MISTAKES.md}, one bullet per mistake:
 *
 * <pre>
 * - `fixture-name`: what the learner did wrong. Verdict: "the words the tests fail with".
 * </pre>
 *
 * <p>and each bullet is proved by its flawed solution in {@code src/flawed/java/.../<slug>/<fixture-name>/}, which
 * {@link FlawedSolutionsTest} runs. This test keeps the two in step: the list and the fixture directories name the
 * same mistakes (a mistake written down but never proved, or a fixture nobody listed, fails), each bullet's verdict
 * is its fixture's, and every exercise on the track has at least one.
 */
@DisplayName("mistake lists: each exercise's MISTAKES.md and its flawed solutions name the same mistakes")
class MistakeListsTest {

    private static final Path TRACK = Path.of("..", "exercises", "track.txt");
    private static final Path TESTS = Path.of("..", "exercises", "src", "test", "java", "dev", "gopatterns", "exercises");
    private static final Path FIXTURES = Path.of("src", "flawed", "java", "dev", "gopatterns", "exercises");
    private static final Pattern BULLET = Pattern.compile("^- `([^`]+)`: (.*)$", Pattern.MULTILINE);
    private static final Pattern VERDICT = Pattern.compile("Verdict: \"(.*)\"\\.?\\s*$");

    @TestFactory
    @DisplayName("every exercise on the track")
    Stream<DynamicTest> everyExercise() throws IOException {
        List<String> slugs = slugs();
        assertThat(slugs).as("exercises in %s", TRACK.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(24);
        return slugs.stream().map(slug -> DynamicTest.dynamicTest(slug, () -> check(slug)));
    }

    private static void check(String slug) throws IOException {
        Path list = TESTS.resolve(slug).resolve("MISTAKES.md");
        assertThat(list).as("exercise %s writes down the mistakes its tests catch", slug).isRegularFile();
        Map<String, String> listed = new LinkedHashMap<>();
        Matcher bullet = BULLET.matcher(Files.readString(list));
        while (bullet.find()) {
            Matcher verdict = VERDICT.matcher(bullet.group(2));
            assertThat(verdict.find()).as("%s: the bullet `%s` ends with Verdict: \"...\"", list, bullet.group(1))
                    .isTrue();
            assertThat(listed.put(bullet.group(1), verdict.group(1)))
                    .as("%s lists `%s` once", list, bullet.group(1)).isNull();
        }
        Map<String, String> proved = new LinkedHashMap<>();
        Path dir = FIXTURES.resolve(slug);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> fixtures = Files.list(dir)) {
                for (Path f : fixtures.filter(Files::isDirectory).sorted().toList()) {
                    proved.put(f.getFileName().toString(), FlawedSolutionsTest.Fixture.read(f).verdict());
                }
            }
        }
        assertThat(proved).as("exercise %s has flawed solutions under %s", slug, dir).isNotEmpty();
        assertThat(listed.keySet()).as("the mistakes %s lists are the flawed solutions under %s", list, dir)
                .containsExactlyInAnyOrderElementsOf(proved.keySet());
        proved.forEach((name, verdict) -> assertThat(listed.get(name))
                .as("%s: the verdict of `%s` is its fixture's", list, name).isEqualTo(verdict));
    }

    private static List<String> slugs() throws IOException {
        return Files.readAllLines(TRACK).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("["))
                .map(l -> l.split("\\s+")[0]).toList();
    }
}
