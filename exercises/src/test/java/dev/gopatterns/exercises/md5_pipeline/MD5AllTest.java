package dev.gopatterns.exercises.md5_pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextCanceledException;
import dev.gopatterns.exercises.Background;
import dev.gopatterns.exercises.Eventually;
import dev.gopatterns.exercises.JobLog;
import dev.gopatterns.exercises.StageThreads;
import dev.gopatterns.exercises.md5_pipeline.MD5All.Digest;
import dev.gopatterns.exercises.md5_pipeline.MD5All.Tree;
import dev.gopatterns.exercises.md5_pipeline.MD5All.WalkException;
import dev.gopatterns.testkit.HangTimeout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exercise `md5_pipeline`: what {@link MD5All#md5All} must do, on in-memory trees. The digest is the test's hook around the
 * real MD5: a {@link JobLog} job per path, which writes down when it starts and ends and what its context said, and
 * which waits, while the test holds it, until it is released or its context ends, or fails when the test says.
 * {@link StageThreads} watches the threads running {@code MD5All}'s code. Every wait is bounded; nothing sleeps.
 *
 * <p>How to run: {@code ./learn check md5_pipeline}
 */
@HangTimeout(seconds = 10)
@DisplayName("Exercise `md5_pipeline`: the MD5 of a tree, in a bounded pipeline")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MD5AllTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private static final String NOTHING_LEFT = "md5All must leave nothing running: on every way out (a result, an"
            + " error, the caller's cancel) cancel the pipeline's context and wait for the walker and every digester";

    @Test
    @Order(1)
    @DisplayName("every file's MD5, by path; an empty tree gives an empty map")
    void everyFilesMd5() throws Exception {
        try (JobLog log = new JobLog(); StageThreads stage = StageThreads.watch(MD5All.class)) {
            Tree tree = tree("a", "b", "c/d", "c/e", "f");
            Map<String, String> got = call(Context.background(), tree, 3, log);
            assertThat(got).as("the MD5 of every file of the tree, by path").isEqualTo(expected(tree));
            assertThat(log.started()).as("each file digested exactly once").containsExactlyInAnyOrder(
                    "a", "b", "c/d", "c/e", "f");
            assertThat(call(Context.background(), tree(), 2, log)).as("an empty tree").isEmpty();
            stage.assertAllEnd(ONE_SECOND, () -> NOTHING_LEFT);
        }
    }

    @Test
    @Order(2)
    @DisplayName("results still running when the walk ends are not lost: results close after the last digester")
    void resultsCloseAfterTheLastDigester() throws Exception {
        try (JobLog log = new JobLog(); StageThreads stage = StageThreads.watch(MD5All.class)) {
            Tree tree = tree("a", "b", "c");
            log.hold("a", "b", "c");
            try (Background<Map<String, String>> call = start(Context.background(), tree, 3, log)) {
                awaitRunning(log, 3, call, "3 digesters and 3 files: each digester takes one (the walk is over)");
                for (String path : List.of("c", "b", "a")) {
                    log.release(path);
                }
                Map<String, String> got = call.await(ONE_SECOND, () -> "md5All did not return within 1 s of its"
                        + " last digest ending");
                assertThat(got).as("the walk ended while the 3 digests were still running; their results must not"
                        + " be lost, but only %s came back: the results channel was closed before every digester"
                        + " had ended. Close it once, after the digesters' WaitGroup says the last one has ended",
                        got.keySet()).isEqualTo(expected(tree));
            }
            stage.assertAllEnd(ONE_SECOND, () -> NOTHING_LEFT);
            stage.assertNoneDied(() -> "a thread died: the results channel was closed before every digester had"
                    + " ended, so a digester's send failed");
        }
    }

    @Test
    @Order(3)
    @DisplayName("exactly `digesters` digests run at once: that many, never more")
    void boundedParallelism() throws Exception {
        try (JobLog log = new JobLog(); StageThreads stage = StageThreads.watch(MD5All.class)) {
            List<String> paths = List.of("a", "b", "c", "d", "e", "f");
            Tree tree = tree(paths.toArray(String[]::new));
            paths.forEach(log::hold);
            try (Background<Map<String, String>> call = start(Context.background(), tree, 2, log)) {
                for (int done = 0; done < paths.size(); done++) {
                    int due = Math.min(2, paths.size() - done);
                    awaitRunning(log, due, call, "2 digesters and " + (paths.size() - done) + " files to go: start"
                            + " `digesters` digesters, each ranging over the paths channel");
                    assertThat(log.active.get()).as("at most 2 digests may run at once with 2 digesters, but %d"
                            + " did: unbounded parallelism. Start exactly `digesters` digester threads that share"
                            + " the paths channel; do not start a thread per path", log.active.get())
                            .isLessThanOrEqualTo(2);
                    String oldest = log.running().getFirst();
                    log.release(oldest);
                    log.awaitFinished(oldest, "it was released");
                }
                assertThat(call.await(ONE_SECOND, () -> "md5All did not return within 1 s of its last digest"
                        + " ending")).isEqualTo(expected(tree));
                assertThat(log.maxActive.get()).as("at most 2 digests may run at once with 2 digesters, but %d did"
                        + " at one moment: unbounded parallelism. Start exactly `digesters` digester threads; do not"
                        + " start a thread per path", log.maxActive.get()).isLessThanOrEqualTo(2);
            }
            stage.assertAllEnd(ONE_SECOND, () -> NOTHING_LEFT);
        }
    }

    @Test
    @Order(4)
    @DisplayName("a digest error is what md5All throws; it cancels the other digests and waits for them")
    void digestErrorCancelsTheRest() throws Exception {
        try (JobLog log = new JobLog(); StageThreads stage = StageThreads.watch(MD5All.class)) {
            Tree tree = tree("bad", "slow");
            log.hold("bad", "slow");
            log.fail("bad");
            try (Background<Map<String, String>> call = start(Context.background(), tree, 2, log)) {
                awaitRunning(log, 2, call, "2 digesters and 2 files: each digester takes one");
                log.release("bad"); // it fails; 'slow' is still running
                try {
                    Map<String, String> got = call.await(ONE_SECOND, () -> "md5All did not return within 1 s of"
                            + " digest 'bad' failing. If 'slow' ended (it did: " + log.end("slow").isPresent()
                            + "), a digester's send has no ctx.done() case: the collector stopped receiving at the"
                            + " first error, and a plain results.send(r) waits for it forever. Send with"
                            + " Select.select(results.onSend(r, () -> true), ctx.onDone(() -> false)). If 'slow'"
                            + " did not end: the first error must cancel the pipeline's context");
                    fail("md5All returned " + got + " although digest 'bad' failed: the first error is what it"
                            + " throws");
                } catch (JobLog.JobFailed expected) {
                    assertThat(expected).as("the error thrown is digest 'bad''s own").hasMessageContaining("'bad'");
                }
                assertThat(log.end("slow")).as("md5All threw while digest 'slow' was still running: " + NOTHING_LEFT)
                        .isPresent();
                assertThat(log.end("slow").orElseThrow().contextError()).as("digest 'slow' ended without its context"
                        + " having ended: the first error must cancel the pipeline's context, which every digest"
                        + " is given").isPresent();
            }
            stage.assertAllEnd(ONE_SECOND, () -> "md5All threw the digest's error, but a thread of it is still"
                    + " running: a digester's send has no ctx.done() case, or " + NOTHING_LEFT);
        }
    }

    @Test
    @Order(5)
    @DisplayName("a walk error is what md5All throws: it is reported, not swallowed")
    void walkErrorIsThrown() throws Exception {
        try (JobLog log = new JobLog(); StageThreads stage = StageThreads.watch(MD5All.class)) {
            Tree tree = tree("a", "b", "d").withUnreadable("c");
            try {
                Map<String, String> got = call(Context.background(), tree, 2, log);
                fail("md5All returned " + got + ", but the walk failed at directory 'c' (\"open c: permission"
                        + " denied\"): the walk's error was swallowed. The walker must report it (an error channel"
                        + " with room for one), and md5All must throw it once the results are in");
            } catch (WalkException expected) {
                assertThat(expected).hasMessageContaining("open c: permission denied");
            }
            stage.assertAllEnd(ONE_SECOND, () -> NOTHING_LEFT);
        }
    }

    @Test
    @Order(6)
    @DisplayName("when the caller's context ends, md5All throws its error and leaves nothing running")
    void callersContextEnds() throws Exception {
        try (JobLog log = new JobLog(); StageThreads stage = StageThreads.watch(MD5All.class);
             CancellableContext parent = Context.withCancel(Context.background())) {
            Tree tree = tree("a", "b", "c", "d");
            log.hold("a", "b", "c", "d");
            try (Background<Map<String, String>> call = start(parent, tree, 2, log)) {
                awaitRunning(log, 2, call, "2 digesters, 4 files");
                parent.cancel();
                try {
                    Map<String, String> got = call.await(ONE_SECOND, () -> "md5All did not return within 1 s of"
                            + " the caller's context being cancelled: derive the pipeline's context from it"
                            + " (Context.withCancel(ctx)), and give every select a ctx.done() case");
                    fail("md5All returned " + got + " after the caller's context was cancelled: it must throw the"
                            + " context's error (ctx.throwIfDone()), not return a partial map");
                } catch (ContextCanceledException expected) {
                    // the caller's cancel, as it should be
                }
                assertThat(log.running()).as("md5All threw while these digests were still running: " + NOTHING_LEFT)
                        .isEmpty();
            }
            stage.assertAllEnd(ONE_SECOND, () -> NOTHING_LEFT);
        }
    }

    @Test
    @Order(7)
    @DisplayName("fewer than 1 digester is refused at once, with a message that names the rule")
    void zeroDigestersRefused() throws Exception {
        try {
            MD5All.md5All(Context.background(), tree("a"), 0, MD5All.MD5);
            fail("md5All(ctx, tree, 0, ...) returned: with no digester no file would be digested; it must throw"
                    + " IllegalArgumentException(\"digesters must be >= 1, was 0\")");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).as("the message names the rule").contains("digesters must be >= 1");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A tree whose file at each path holds the text "content of PATH". */
    private static Tree tree(String... paths) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String p : paths) {
            files.put(p, ("content of " + p).getBytes(StandardCharsets.UTF_8));
        }
        return Tree.of(files);
    }

    private static Map<String, String> expected(Tree tree) throws Exception {
        Map<String, String> sums = new LinkedHashMap<>();
        for (var e : tree.files().entrySet()) {
            sums.put(e.getKey(), HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(e.getValue())));
        }
        return sums;
    }

    /** The test's digest: a JobLog job per path (held, failing, counted), then the real MD5. */
    private static Digest hooked(JobLog log) {
        return (ctx, path, content) -> {
            log.run(ctx, path);
            return MD5All.MD5.digest(ctx, path, content);
        };
    }

    private static Map<String, String> call(Context ctx, Tree tree, int digesters, JobLog log) throws Exception {
        return Background.within(ONE_SECOND, "calls md5All", () -> MD5All.md5All(ctx, tree, digesters, hooked(log)),
                () -> "md5All did not return within 1 s, with " + tree.files().size() + " instant digests");
    }

    private static Background<Map<String, String>> start(Context ctx, Tree tree, int digesters, JobLog log) {
        return Background.start("calls md5All", () -> MD5All.md5All(ctx, tree, digesters, hooked(log)));
    }

    private static void awaitRunning(JobLog log, int count, Background<?> call, String why) throws Exception {
        Eventually.until(() -> log.active.get() >= count || call.isDone(),
                () -> count + " digests to be running at once (" + log.active.get() + " were): " + why);
        if (call.isDone()) {
            Object got = call.await(ONE_SECOND, () -> "unreachable: the call is done");
            fail("md5All returned " + got + " while " + count + " digests should still have been running: the"
                    + " results channel was closed before every digester had ended (" + why + ")");
        }
    }
}
