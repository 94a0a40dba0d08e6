package dev.gopatterns.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.context.Context;
import dev.gopatterns.sync.ErrGroup;
import java.util.concurrent.ExecutionException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two tasks of an {@code ErrGroup.withContext} fail at the same moment. Exactly one error wins: {@code await}
 * reports it, and it is the same error the group's context was cancelled with. The loser is dropped, as in Go
 * ("the first call to return a non-nil error cancels the group's context... Wait returns the first non-nil error").
 *
 * <pre>{@code
 * // Go:
 * g, ctx := errgroup.WithContext(parent)
 * g.Go(func() error { return errA }); g.Go(func() error { return errB })
 * err := g.Wait()   // errA or errB, and context.Cause(ctx) == err
 * }</pre>
 *
 * <p>How to run: {@code ./mvnw -B -pl modules/jcstress -am -Pstress -DskipTests verify -Djcstress.args="-t ErrGroup_01"}
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Task A's error won, and cancelled the context.")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "Task B's error won, and cancelled the context.")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "await reported one error but the context was cancelled with another.")
@Outcome(expect = FORBIDDEN, desc = "No error, or an error that neither task threw.")
@State
public class ErrGroup_01_FirstErrorWins {

    static final class Failure extends Exception {
        final int id;

        Failure(int id) {
            super("task " + id, null, false, false);
            this.id = id;
        }
    }

    final ErrGroup group = ErrGroup.withContext(Context.background());

    @Actor
    public void taskA() {
        start(1);
    }

    @Actor
    public void taskB() {
        start(2);
    }

    private void start(int id) {
        try {
            group.go(() -> {
                throw new Failure(id);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Arbiter
    public void arbiter(II_Result r) {
        try {
            group.await();
            r.r1 = 0;
        } catch (ExecutionException e) {
            r.r1 = e.getCause() instanceof Failure f ? f.id : -1;
            r.r2 = group.context().cause().orElse(null) == e.getCause() ? 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.r1 = -2;
        } finally {
            try {
                group.close();
            } catch (ExecutionException ignoredAlreadyReported) {
                // await already reported the failure
            }
        }
    }
}
