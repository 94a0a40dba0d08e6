package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.Select;
import dev.gopatterns.context.Context;
import dev.gopatterns.pipeline.Replicated;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLI_Result;

/**
 * A replicated request over two replicas, A and B, each waiting for its own gate and for its context; the two
 * actors open the gates at the same moment. Exactly one replica's answer is the result, and the other has been
 * cancelled: it saw its context end, or was never started because the winner came first, or (both gates open) it
 * answered too, too late, and was discarded. Either way no replica is still running when the call returns.
 *
 * <pre>{@code
 * // Go (Cox-Buday, chapter 5):
 * done := make(chan struct{})
 * result := make(chan string, 2)
 * go replica(done, gateA, "A", result)
 * go replica(done, gateB, "B", result)
 * go close(gateA); go close(gateB)
 * r := <-result; close(done); wg.Wait()   // r is "A" or "B"; the other replica has ended
 * }</pre>
 *
 * <p>r1: the result; r2: what the other replica did ("cancelled": it saw the cancel or never ran; "late": it
 * answered after the winner); r3: replica bodies still running when {@code first} returned.
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.mode=sanity
 * -Djcstress.args="-t Pipeline_05"}
 */
@JCStressTest
@Outcome(id = {"A, cancelled, 0", "B, cancelled, 0"}, expect = ACCEPTABLE,
        desc = "One replica won; the other was cancelled before it answered, and had ended.")
@Outcome(id = {"A, late, 0", "B, late, 0"}, expect = ACCEPTABLE_INTERESTING,
        desc = "Both answered; the second answer was discarded, and both had ended.")
@Outcome(expect = FORBIDDEN, desc = "No result, two results, or a replica still running after the call returned.")
@State
public class Pipeline_05_ReplicatedFirstWins {

    final Channel<Void> gateA = Channel.unbuffered();
    final Channel<Void> gateB = Channel.unbuffered();
    volatile boolean answeredA;
    volatile boolean answeredB;
    final AtomicInteger running = new AtomicInteger();
    volatile int runningAtReturn = -1;
    final FutureTask<String> call;

    public Pipeline_05_ReplicatedFirstWins() {
        call = new FutureTask<>(() -> {
            String r = Replicated.first(Context.background(), List.of(
                    c -> replica(c, gateA, "A"),
                    c -> replica(c, gateB, "B")));
            runningAtReturn = running.get();
            return r;
        });
        Thread.ofVirtual().start(call);
    }

    private String replica(Context c, Channel<Void> gate, String name) throws InterruptedException {
        running.incrementAndGet();
        try {
            boolean open = Select.select(gate.onReceiveOrClosed(x -> true), c.onDone(() -> false));
            if (!open) {
                throw c.err().orElseThrow();
            }
            if (name.equals("A")) {
                answeredA = true;
            } else {
                answeredB = true;
            }
            return name;
        } finally {
            running.decrementAndGet();
        }
    }

    @Actor
    public void openA() {
        gateA.close();
    }

    @Actor
    public void openB() {
        gateB.close();
    }

    @Arbiter
    public void arbiter(LLI_Result r) {
        try {
            String winner = call.get();
            r.r1 = winner;
            r.r2 = (winner.equals("A") ? answeredB : answeredA) ? "late" : "cancelled";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = "interrupted";
        } catch (ExecutionException e) {
            r.r1 = "failed: " + e.getCause();
        }
        r.r3 = runningAtReturn;
    }
}
