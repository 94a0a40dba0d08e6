package dev.gopatterns.pipeline;

import static dev.gopatterns.pipeline.Pipes.awaitStagesEnded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.FakeClock;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.context.ContextException;
import dev.gopatterns.context.DeadlineExceededException;
import dev.gopatterns.resilience.Retry;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java snippets of docs/pipeline.md and docs/fan-out-fan-in.md, each copied verbatim between the
 * {@code // docs/<page>: begin} and {@code end} markers, so that the pages cannot drift from the API: if a snippet
 * stops compiling or gives another result, this test fails. Change a snippet here and on the page together.
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

    // ------------------------------------------------------------------- "The accounting"

    @Test
    void theSummaryOfARun() throws InterruptedException {
        Context ctx = Context.background();
        // docs/pipeline.md: begin summary
        Summary s = Pipeline.from(IntStream.range(0, 100).boxed().toList())
                .map(n -> n + 1).named("inc")
                .filter(n -> n % 2 == 0)
                .forEach(ctx, v -> { });
        s.checkBalanced();                                                   // both rules hold
        List<String> names = s.stages().stream().map(Summary.Stage::name).toList();
        // [0:source, inc, 2:filter, sink]
        long dropped = s.stage("2:filter").dropped();                        // 50
        long delivered = s.last().passed();                                  // 50: handed to the caller
        // docs/pipeline.md: end
        assertThat(names).containsExactly("0:source", "inc", "2:filter", "sink");
        assertThat(dropped).isEqualTo(50);
        assertThat(delivered).isEqualTo(50);
    }

    // ------------------------------------------------------------------- "Errors": REPORT, read in one select

    static Digest digest(Path p) throws IOException, NoSuchAlgorithmException {
        return new Digest(p, MessageDigest.getInstance("MD5").digest(Files.readAllBytes(p)));
    }

    @Test
    void reportedFailuresGoToAHandler(@TempDir Path dir) throws Exception {
        List<Path> paths = List.of(Files.writeString(dir.resolve("a"), "a"), dir.resolve("missing"));
        Context ctx = Context.background();
        Map<Path, byte[]> sums = new HashMap<>();
        List<Failure> failures = new ArrayList<>();
        // docs/pipeline.md: begin report-foreach
        Summary s = Pipeline.from(paths)
                .mapUnordered(8, (c, p) -> digest(p)).onError(ErrorPolicy.REPORT)
                .forEach(ctx, d -> sums.put(d.path(), d.sum()), f -> failures.add(f));
        // docs/pipeline.md: end
        assertThat(sums).containsOnlyKeys(paths.get(0));
        assertThat(failures).extracting(Failure::item).containsExactly(paths.get(1));
        assertThat(s.checkBalanced().failed()).isOne();
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
        CountDownLatch handedOver = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Pipeline<Integer> p = Pipeline.generate((c, emit) -> {
            emit.emit(1);
            emit.emit(2);                                // returns once the batch stage has taken 2
            handedOver.countDown();
            finish.await();
        });
        try (Run<List<Integer>> run = p.batch(10, Duration.ofMillis(100)).start(ctx)) {
            handedOver.await();                          // the batch holds 1 and 2: no race with its timer
            clock.awaitPendingTasks(1, Duration.ofSeconds(5));   // the batch's timer, started by item 1
            clock.advance(Duration.ofMillis(99));
            assertThat(run.output().tryReceive()).isNotInstanceOf(Received.class);   // not yet
            clock.advance(Duration.ofMillis(1));
            assertThat(run.output().receive()).containsExactly(1, 2);
            finish.countDown();                          // the source ends; the batch has nothing left to send
            assertThat(run.output().receiveOrClosed()).isInstanceOf(Received.Closed.class);
            run.await().checkBalanced();
        }
        // docs/pipeline.md: end
    }

    // =================================================================== docs/fan-out-fan-in.md

    @Test
    void fanOutSquares() throws InterruptedException {
        Context parent = Context.background();
        // docs/fan-out-fan-in.md: begin fan-out
        int sum = 0;
        try (CancellableContext ctx = Context.withCancel(parent)) {
            ReceiveChannel<Integer> in = Sources.generator(ctx, 1, 2, 3, 4, 5, 6, 7, 8);
            for (int sq : FanOut.fanOut(ctx, in, 4, n -> n * n)) {   // 4 workers compete for in
                sum += sq;                                           // results in no promised order
            }
        }   // closing ctx releases every stage, also if the loop left early
        // docs/fan-out-fan-in.md: end
        assertThat(sum).isEqualTo(204);
    }

    @Test
    void perWorkerOutputsMerged() throws InterruptedException {
        Context ctx = Context.background();
        ReceiveChannel<Integer> in = Sources.generator(ctx, 1, 2, 3, 4, 5, 6);
        // docs/fan-out-fan-in.md: begin workers
        List<ReceiveChannel<String>> outs = FanOut.workers(ctx, in, 3, v -> "w" + v);   // outs.get(i): worker i's
        ReceiveChannel<String> all = FanIn.merge(ctx, outs);                          // in arrival order
        // docs/fan-out-fan-in.md: end
        List<String> got = new ArrayList<>();
        for (String s : all) {
            got.add(s);
        }
        assertThat(got).containsExactlyInAnyOrder("w1", "w2", "w3", "w4", "w5", "w6");
    }

    record Event(String account, long seq, long amount) {}

    static final class Ledger {
        private final Map<String, Long> lastSeq = new ConcurrentHashMap<>();

        Event apply(Event e) {
            Long before = lastSeq.put(e.account(), e.seq());
            if (before != null && before > e.seq()) {
                throw new IllegalStateException(e + " applied after seq " + before);
            }
            return e;
        }
    }

    @Test
    void partitionedByAccount() throws InterruptedException {
        Context ctx = Context.background();
        List<Event> events = IntStream.range(0, 600)
                .mapToObj(i -> new Event("acct-" + (i % 7), i, i)).toList();
        Ledger ledger = new Ledger();
        // docs/fan-out-fan-in.md: begin partitioned
        List<Event> applied = Pipeline.from(events)
                .mapPartitioned(4, Event::account, (c, e) -> ledger.apply(e))   // one account: one thread, in order
                .toList(ctx);
        // docs/fan-out-fan-in.md: end
        assertThat(applied).hasSize(600);
        Map<String, Long> last = new HashMap<>();
        for (Event e : applied) {
            Long before = last.put(e.account(), e.seq());
            assertThat(before == null || before < e.seq()).as("per-account order").isTrue();
        }
    }

    @Test
    void handWrittenMergeClosesOnceAfterTheLastInput() throws InterruptedException {
        Context ctx = Context.background();
        List<ReceiveChannel<Integer>> inputs = List.of(Sources.generator(ctx, 1, 2, 3),
                Sources.generator(ctx, 10, 20), Sources.generator(ctx, 100));
        List<Integer> got = new ArrayList<>();
        for (int v : merge(ctx, inputs)) {
            got.add(v);
        }
        assertThat(got).containsExactlyInAnyOrder(1, 2, 3, 10, 20, 100);
        List<Integer> none = new ArrayList<>();
        for (int v : merge(ctx, List.<ReceiveChannel<Integer>>of())) {
            none.add(v);
        }
        assertThat(none).isEmpty();
    }

    // docs/fan-out-fan-in.md: begin hand-merge
    static <T> ReceiveChannel<T> merge(Context ctx, List<ReceiveChannel<T>> inputs) {
        Channel<T> out = Channel.unbuffered();
        if (inputs.isEmpty()) {
            out.close();
            return out;
        }
        AtomicInteger running = new AtomicInteger(inputs.size());   // Go: wg.Add(len(cs))
        for (ReceiveChannel<T> in : inputs) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (ctx.receive(in) instanceof Received.Value<T>(T v)) {
                        ctx.send(out, v);
                    }
                } catch (ContextException e) {
                    // ctx ended: stop forwarding
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();            // keep the flag; the thread ends
                } finally {
                    if (running.decrementAndGet() == 0) {          // Go: wg.Done(), then wg.Wait(); close(out)
                        out.close();                               // the last forwarder closes, once
                    }
                }
            });
        }
        return out;
    }
    // docs/fan-out-fan-in.md: end

    @Test
    void orderRestoredBySequenceNumbers() throws InterruptedException {
        Context ctx = Context.background();
        ReceiveChannel<Integer> jobs = Sources.generator(ctx, IntStream.range(0, 200).boxed().toList());
        List<Integer> got = new ArrayList<>();
        // docs/fan-out-fan-in.md: begin sequenced
        ReceiveChannel<Sequenced<Integer>> numbered = Sequenced.numbered(ctx, jobs);     // (0, j0), (1, j1), ...
        List<ReceiveChannel<Sequenced<Integer>>> outs =
                FanOut.workers(ctx, numbered, 8, s -> s.with(s.value() * 10));           // keep the number
        for (int r : FanIn.mergeSequenced(ctx, 64, outs)) {   // in job order, at most 64 held early
            got.add(r);
        }
        // docs/fan-out-fan-in.md: end
        assertThat(got).containsExactlyElementsOf(IntStream.range(0, 200).map(i -> i * 10).boxed().toList());
    }

    static String fetch(Context ctx, String url) throws InterruptedException {
        if (url.endsWith("/0")) {
            Thread.sleep(20); // the first is the slowest: order must still hold
        }
        return "page of " + url;
    }

    @Test
    void orderedFetches() throws InterruptedException {
        Context ctx = Context.background();
        List<String> urls = IntStream.range(0, 12).mapToObj(i -> "https://example.org/" + i).toList();
        // docs/fan-out-fan-in.md: begin ordered
        List<String> pages = Pipeline.from(urls)
                .mapOrdered(4, (c, url) -> fetch(c, url))   // 4 fetches at once; pages in the order of urls
                .toList(ctx);
        // docs/fan-out-fan-in.md: end
        assertThat(pages).containsExactlyElementsOf(urls.stream().map(u -> "page of " + u).toList());
    }

    @Test
    void reduceAggregates(@TempDir Path dir) throws Exception {
        Context ctx = Context.background();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            files.add(Files.writeString(dir.resolve("f" + i), "x".repeat(i)));
        }
        // docs/fan-out-fan-in.md: begin reduce
        long bytes = Pipeline.from(files)
                .mapUnordered(8, (c, f) -> Files.size(f))   // fan out the stat calls
                .reduce(ctx, 0L, Long::sum);                // fan in to one number, in the caller's thread
        // docs/fan-out-fan-in.md: end
        assertThat(bytes).isEqualTo(45L);
    }
}
