package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Exercise: what the runner reads from a README")
class ExerciseTest {

    private static final String README = """
            # Exercise 4 — Fan-in

            > **Concept:** several producers, one channel, one consumer that ranges until
            > all producers are done.

            ## Hints

            1. Start one thread per producer.
            2. The channel is closed by whoever knows everyone is done:
               a WaitGroup's last Done, not a producer.

               ```java
               # not a heading: inside code
               3. not a hint either
               ```
            3. Last one.

            ## Run it

            1. not a hint: another section
            """;

    @Test
    @DisplayName("the title is the part of the first heading after the dash")
    void title() {
        assertThat(Exercise.title(README, "fallback")).isEqualTo("Fan-in");
        assertThat(Exercise.title("# Exercise 5: Pipelines\n", "x")).isEqualTo("Pipelines");
        assertThat(Exercise.title("# Worker pools\n", "x")).isEqualTo("Worker pools");
        assertThat(Exercise.title("# Pipeline errors: retries\n", "x")).isEqualTo("Pipeline errors: retries");
        assertThat(Exercise.title("no heading at all\n", "ex05_pools")).isEqualTo("ex05_pools");
    }

    @Test
    @DisplayName("the concept is the paragraph that starts with **Concept:**, quoted or not")
    void concept() {
        assertThat(Exercise.concept(README))
                .isEqualTo("several producers, one channel, one consumer that ranges until all producers are done.");
        assertThat(Exercise.concept("**Concept:** select\nwaits for one case.\n\nmore\n"))
                .isEqualTo("select waits for one case.");
        assertThat(Exercise.concept("# no concept\n")).isEmpty();
    }

    @Test
    @DisplayName("hints are the numbered items of ## Hints: several lines each, code blocks kept whole")
    void hints() {
        assertThat(Exercise.hints(README)).containsExactly(
                "Start one thread per producer.",
                """
                The channel is closed by whoever knows everyone is done:
                a WaitGroup's last Done, not a producer.

                ```java
                # not a heading: inside code
                3. not a hint either
                ```""",
                "Last one.");
    }

    @Test
    @DisplayName("a README without a ## Hints section has no hints")
    void noHints() {
        assertThat(Exercise.hints("# Exercise 1 — X\n\n## Task\n\n1. do it\n")).isEmpty();
    }

    @Test
    @DisplayName("a README with a **Find the bug:** line, quoted or not and outside code, marks a find-the-bug exercise")
    void findTheBug() {
        assertThat(Exercise.findTheBug(README)).isFalse();
        assertThat(Exercise.findTheBug("# Exercise 12 — X\n\n> **Concept:** c\n>\n> **Find the bug:** it leaks\n"))
                .isTrue();
        assertThat(Exercise.findTheBug("# Exercise 12 — X\n\n**Find the bug:** it leaks\n")).isTrue();
        assertThat(Exercise.findTheBug("# X\n\n```\n**Find the bug:** in code, not a marker\n```\n")).isFalse();
    }
}
