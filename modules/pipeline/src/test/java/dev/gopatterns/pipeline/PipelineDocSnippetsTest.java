package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.DeadlineExceededException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java snippets of docs/pipeline.md, each copied verbatim between the {@code // docs/pipeline.md} markers, so that
 * the page cannot drift from the API: if a snippet stops compiling or gives another result, this test fails. Change
 * a snippet here and on the page together.
 */
@ExtendWith(UncaughtExceptions.class)
class PipelineDocSnippetsTest {

    @AfterEach
    void everyStageThreadEnded() {
        awaitStagesEnded();
    }

    // ------------------------------------------------------------------- "Go beside Java": gen -> sq -> sum

    @Test
    void genSquareSum() throws InterruptedException {
        Context ctx = Context.background();
        // docs/pipeline.md: begin gen-sq-sum
        long sum = Pipeline.of(1, 2, 3, 4)
                .map(n -> (long) n * n)
                .reduce(ctx, 0L, Long::sum);   // 30
        // docs/pipeline.md: end
        assertThat(sum).isEqualTo(30L);
    }

    // ------------------------------------------------------------------- "Go beside Java": bounded MD5All

    // docs/pipeline.md: begin md5all
    record Digest(Path path, byte[] sum) {}

    static Map<Path, byte[]> md5All(Context ctx, Path root) throws InterruptedException {
        Map<Path, byte[]> sums = new HashMap<>();
        Pipeline.<Path>generate((c, emit) -> {
                    try (Stream<Path> paths = Files.walk(root)) {
                        for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                            if (!emit.emit(p)) {
                                return;                       // the run ended: stop walking
                            }
                        }
                    }
                })
                .mapUnordered(20, (c, p) -> new Digest(p,
                        MessageDigest.getInstance("MD5").digest(Files.readAllBytes(p))))
                .forEach(ctx, d -> sums.put(d.path(), d.sum()));   // in the caller's thread
        return sums;
    }
    // docs/pipeline.md: end

    @Test
    void md5AllDigestsEveryRegularFile(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("sub"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(root.resolve((i % 2 == 0 ? "sub/" : "") + "f" + i), "file " + i);
        }
        Map<Path, byte[]> sums = md5All(Context.background(), root);
        assertThat(sums).hasSize(50);
        Path f7 = root.resolve("f7");
        assertThat(sums.get(f7)).isEqualTo(MessageDigest.getInstance("MD5")
                .digest("file 7".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void md5AllFailsFastWithTheWalksError(@TempDir Path root) {
        Path missing = root.resolve("missing");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> md5All(Context.background(), missing))
                .isInstanceOfSatisfying(PipelineException.class, e -> {
                    assertThat(e.failure().stage()).isEqualTo("0:source");
                    assertThat(e.failure().item()).as("a failure of the source itself").isNull();
                    assertThat(e).hasCauseInstanceOf(IOException.class);
                });
    }

    // ------------------------------------------------------------------- "Errors": REPORT, read in one select

    static Digest digest(Path p) throws IOException, NoSuchAlgorithmException {
        return new Digest(p, MessageDigest.getInstance("MD5").digest(Files.readAllBytes(p)));
    }

    @Test
    void reportedFailuresAreReadInTheSameSelectAsTheOutput(@TempDir Path dir) throws Exception {
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Path p = dir.resolve("f" + i);
            if (i % 5 != 0) {
                Files.writeString(p, "file " + i); // every fifth does not exist: its digest fails
            }
            paths.add(p);
        }
        Context ctx = Context.background();
        Summary[] summary = new Summary[1];
        // docs/pipeline.md: begin report-select
        Map<Path, byte[]> sums = new HashMap<>();
        List<Failure> failures = new ArrayList<>();
        try (Run<Digest> run = Pipeline.from(paths)
                .mapUnordered(8, (c, p) -> digest(p))
                .onError(ErrorPolicy.REPORT)
                .start(ctx)) {
            ReceiveChannel<Digest> out = run.output();
            ReceiveChannel<Failure> errs = run.errors();
            while (out != null || errs != null) {
                // Go sets a closed channel to nil, and a nil channel's case never fires
                ReceiveChannel<Digest> o = out != null ? out : Channel.<Digest>nil();
                ReceiveChannel<Failure> e = errs != null ? errs : Channel.<Failure>nil();
                String closed = Select.select(
                        o.onReceiveOrClosed(r -> {
                            if (r instanceof Received.Value<Digest>(Digest d)) {
                                sums.put(d.path(), d.sum());
                                return "";
                            }
                            return "output";
                        }),
                        e.onReceiveOrClosed(r -> {
                            if (r instanceof Received.Value<Failure>(Failure f)) {
                                failures.add(f);            // f.item() is the path, f.error() why
                                return "";
                            }
                            return "errors";
                        }));
                if (closed.equals("output")) {
                    out = null;
                } else if (closed.equals("errors")) {
                    errs = null;
                }
            }
            Summary s = run.await().checkBalanced();   // every path digested or reported
            // docs/pipeline.md: end
            summary[0] = s;
        }
        assertThat(sums).hasSize(16);
        assertThat(failures).extracting(Failure::item).containsExactlyInAnyOrder(
                paths.get(0), paths.get(5), paths.get(10), paths.get(15));
        assertThat(failures).allSatisfy(f -> assertThat(f.error()).isInstanceOf(IOException.class));
        assertThat(summary[0].failed()).isEqualTo(4);
        assertThat(summary[0].last().out()).isEqualTo(16);
    }

    // ------------------------------------------------------------------- "Retries and timeouts"

    record Request(int id) {}

    record Reply(int id) {}

    interface Client {
        Reply call(Context ctx, Request req) throws IOException, InterruptedException;
    }

    @Test
    void retriesWithBackoffAndAPerAttemptTimeout() throws InterruptedException {
        Context ctx = Context.background();
        List<Request> requests = IntStream.range(0, 40).mapToObj(Request::new).toList();
        Map<Integer, Integer> calls = new ConcurrentHashMap<>();
        Client client = (c, req) -> {
            int n = calls.merge(req.id(), 1, Integer::sum);
            if (req.id() % 4 == 0 && n == 1) {
                throw new IOException("connection reset");      // a quarter fail once, then succeed
            }
            if (req.id() == 13) {
                c.done().receiveOrClosed();                      // never answers: only its timeout ends it
                c.throwIfDone();
            }
            return new Reply(req.id());
        };
        // docs/pipeline.md: begin retry
        List<Reply> replies = Pipeline.from(requests)
                .mapUnordered(8, (c, req) -> client.call(c, req))   // c: this attempt's context
                .timeout(Duration.ofMillis(200))                      // per attempt
                .retry(Retry.backoff(3, Duration.ofMillis(10), Duration.ofSeconds(1))
                        .retryOn(IOException.class, DeadlineExceededException.class))
                .onError(ErrorPolicy.SKIP)                            // after 3 attempts: counted, dropped
                .toList(ctx);
        // docs/pipeline.md: end
        assertThat(replies).extracting(Reply::id).hasSize(39).doesNotContain(13);
        assertThat(calls.get(13)).as("the request that never answers: every attempt timed out").isEqualTo(3);
        assertThat(calls.get(4)).as("failed once, then succeeded").isEqualTo(2);
    }

    // ------------------------------------------------------------------- "Testing your own pipeline"

    @Test
    void aBatchTimerOnAFakeClock() throws Exception {
        // docs/pipeline.md: begin fake-clock-batch
        FakeClock clock = new FakeClock();
        Context ctx = Context.background(clock);      // every timer of the run is on this clock
        Channel<Integer> in = Channel.unbuffered();
        try (Run<List<Integer>> run = Pipeline.from(in).batch(10, Duration.ofMillis(100)).start(ctx)) {
            in.send(1);
            in.send(2);
            clock.awaitPendingTasks(1, Duration.ofSeconds(5));   // the batch's timer, started by item 1
            clock.advance(Duration.ofMillis(100));
            assertThat(run.output().receive()).containsExactly(1, 2);
            in.close();
            run.await().checkBalanced();
        }
        // docs/pipeline.md: end
    }
}
