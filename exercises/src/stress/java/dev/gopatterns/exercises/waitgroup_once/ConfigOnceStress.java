package dev.gopatterns.exercises.waitgroup_once;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.exercises.waitgroup_once.ParallelLoader.Config;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code ./learn stress waitgroup_once}: the first two calls of {@code config()} come at the same moment, from two
 * threads, on a fresh loader. The unit test makes this happen once, with a source that holds the read open; here
 * the read returns at once, and the race must show up by itself, on real cores, millions of times over.
 *
 * <p>Each read of the source makes a new {@code Config} numbered by the reads so far ("1", "2"). r1 and r2 are the
 * numbers of the configs the two calls returned, r3 how many times the source was read. A correct loader (an
 * {@code OnceValue}, Go's {@code sync.OnceValue}) gives only {@code 1, 1, 1}: one read, whichever thread ran it,
 * and the other call waited for it and got the same config. A null check ({@code if (config == null) config =
 * source.config();}, volatile or not) also gives {@code 1, 2, 2} or {@code 2, 1, 2}: both calls found no config,
 * both read it, each returned its own; or {@code 1, 1, 2} or {@code 2, 2, 2}: both read it, and both returned the
 * one written last.
 *
 * <p>How to run: {@code ./learn stress waitgroup_once} (on your code), {@code --solution} (on the reference).
 */
@JCStressTest
@Description("two first calls of config() at once read the config once, and both get that one")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "one read; the other call waited for it and got its config")
@Outcome(id = {"1, 2, 2", "2, 1, 2"}, expect = FORBIDDEN,
        desc = "a null check is not a once: both calls found no config and both read it, each got its own")
@Outcome(id = {"1, 1, 2", "2, 2, 2"}, expect = FORBIDDEN,
        desc = "a null check is not a once: both calls read the config, and one read was thrown away")
@Outcome(expect = FORBIDDEN, desc = "neither one read shared by both calls nor two reads: the loader broke")
@State
public class ConfigOnceStress {

    private final AtomicInteger reads = new AtomicInteger();

    private final ParallelLoader loader = new ParallelLoader(new ParallelLoader.Source() {
        @Override
        public Config config() {
            return new Config(String.valueOf(reads.incrementAndGet()));
        }

        @Override
        public String load(String name, Config config) {
            throw new UnsupportedOperationException("this test reads the config only");
        }
    }, task -> {
        throw new UnsupportedOperationException("this test starts no thread");
    });

    @Actor
    public void first(III_Result r) {
        r.r1 = number(loader.config());
    }

    @Actor
    public void second(III_Result r) {
        r.r2 = number(loader.config());
    }

    @Arbiter
    public void reads(III_Result r) {
        r.r3 = reads.get();
    }

    private static int number(Config config) {
        return config == null ? -1 : Integer.parseInt(config.version());
    }
}
