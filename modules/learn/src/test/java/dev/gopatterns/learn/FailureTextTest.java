package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FailureText: a failure in the few lines a learner needs")
class FailureTextTest {

    static final String PKG = "dev.gopatterns.exercises.pingpong";

    /** An exception thrown from the learner's PingPong.play, called by the test. */
    static <T extends Throwable> T thrownInPlay(T t) {
        t.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("dev.gopatterns.chan.HChan", "send", "HChan.java", 120),
                new StackTraceElement(PKG + ".PingPong", "play", "PingPong.java", 42),
                new StackTraceElement(PKG + ".PingPongTest", "playersTakeTurns", "PingPongTest.java", 50),
                new StackTraceElement("org.junit.Runner", "run", "Runner.java", 1)});
        return t;
    }

    @Test
    @DisplayName("a TODO says the exercise is not written yet, with the stub's message, however deep it is")
    void todo() {
        UnsupportedOperationException todo = new UnsupportedOperationException("TODO: exercise 1 — write play");
        assertThat(FailureText.describe(new AssertionError("thread failed", new ExecutionException(todo)), PKG, false))
                .containsExactly("not written yet: TODO: exercise 1 — write play");
    }

    @Test
    @DisplayName("an assertion shows its message, without AssertJ's [brackets] around the description")
    void assertion() {
        AssertionError e = new AssertionError("[the players must take turns] \nexpected: \"ping\"\n but was: \"pong\"");

        assertThat(FailureText.describe(e, PKG, false))
                .containsExactly("the players must take turns", "expected: \"ping\"", " but was: \"pong\"");
    }

    @Test
    @DisplayName("a long message is cut after a few lines, saying how to see the rest")
    void longMessage() {
        String message = IntStream.rangeClosed(1, 20).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));

        List<String> lines = FailureText.describe(new AssertionError(message), PKG, false);

        assertThat(lines).hasSize(FailureText.MAX_LINES + 1).startsWith("line 1", "line 2")
                .endsWith("… 12 more lines (add --verbose to see them)");
    }

    @Test
    @DisplayName("an exception from the learner's code shows its type, message, and the line it came from")
    void exceptionFromLearnerCode() {
        IllegalStateException e = thrownInPlay(new IllegalStateException("send on closed channel"));

        assertThat(FailureText.describe(new ExecutionException(e), PKG, false)).containsExactly(
                "threw IllegalStateException: send on closed channel",
                "  at PingPong.play(PingPong.java:42)");
    }

    @Test
    @DisplayName("an assertion caused by an exception in the learner's code also says where that came from")
    void assertionWithCause() {
        IllegalStateException cause = thrownInPlay(new IllegalStateException("boom"));

        assertThat(FailureText.describe(new AssertionError("thread 'ping' failed: boom", cause), PKG, false))
                .containsExactly("thread 'ping' failed: boom",
                        "(IllegalStateException at PingPong.play(PingPong.java:42))");
    }

    @Test
    @DisplayName("an exception raised in the test itself is placed in the test")
    void exceptionInTheTest() {
        NullPointerException e = new NullPointerException();
        e.setStackTrace(new StackTraceElement[] {
                new StackTraceElement(PKG + ".PingPongTest", "lambda$play$0", "PingPongTest.java", 77)});

        assertThat(FailureText.describe(e, PKG, false))
                .containsExactly("threw NullPointerException",
                        "  in the test, at PingPongTest.lambda(PingPongTest.java:77)");
    }

    @Test
    @DisplayName("--verbose shows the whole stack trace")
    void verbose() {
        IllegalStateException e = thrownInPlay(new IllegalStateException("boom"));

        assertThat(FailureText.describe(e, PKG, true)).contains("java.lang.IllegalStateException: boom",
                "\tat " + PKG + ".PingPong.play(PingPong.java:42)");
    }

    @Test
    @DisplayName("a failure without an exception still says something")
    void noException() {
        assertThat(FailureText.describe(null, PKG, false)).containsExactly("failed without saying why");
        assertThat(FailureText.describe(new AssertionError(), PKG, false))
                .containsExactly("a test assertion failed (it gave no message)");
    }

    @Test
    @DisplayName("long lines wrap at spaces and keep their indentation")
    void wrap() {
        assertThat(FailureText.wrap("short", 20)).containsExactly("short");
        assertThat(FailureText.wrap("the quick brown fox jumps over the lazy dog", 16))
                .containsExactly("the quick brown", "fox jumps over", "the lazy dog");
        assertThat(FailureText.wrap("  indented words wrap with their indent", 20))
                .containsExactly("  indented words", "  wrap with their", "  indent");
        assertThat(FailureText.wrap("a-very-long-word-that-cannot-break here", 10))
                .containsExactly("a-very-long-word-that-cannot-break", "here");
    }
}
