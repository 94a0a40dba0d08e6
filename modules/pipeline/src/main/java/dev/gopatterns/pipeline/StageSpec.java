package dev.gopatterns.pipeline;

import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.rate.Limiter;
import dev.gopatterns.resilience.DeadLetters;
import dev.gopatterns.resilience.Policy;
import dev.gopatterns.resilience.Retry;
import java.time.Duration;
import java.util.function.Function;

/**
 * One stage of a {@link Pipeline} as described, before it runs: its name, the capacity of its output channel, and
 * what it does. Immutable; {@link Execution} turns it into threads.
 */
record StageSpec(String name, int buffer, Kind kind) {

    /** What a stage does. */
    sealed interface Kind permits FromIterable, FromChannel, Generate, Apply, Batch, Throttle, Take {
        /** The kind's name in default stage names: {@code "2:map"}. */
        String label();
    }

    record FromIterable(Iterable<?> values) implements Kind {
        public String label() {
            return "source";
        }
    }

    record FromChannel(ReceiveChannel<?> channel) implements Kind {
        public String label() {
            return "source";
        }
    }

    record Generate(Pipeline.Source<?> source) implements Kind {
        public String label() {
            return "source";
        }
    }

    /** How the items of an {@link Apply} stage are spread over its threads, and in what order results leave. */
    enum Mode { SERIAL, UNORDERED, ORDERED, PARTITIONED }

    /** What an {@link Apply} stage sends for an item, given its function's result. */
    enum Shape {
        /** The result. */
        ONE,
        /** The item itself, if the result is {@code true}; nothing otherwise (counted dropped). */
        FILTER,
        /** Each element of the result, an {@link Iterable}. */
        MANY
    }

    /** A stage that calls a user function per item: map, filter, flatMap and their parallel forms. */
    record Apply(String label, Pipeline.StageFunction<Object, Object> fn, Shape shape, Mode mode, int parallelism,
                 Function<Object, Object> key, ErrorPolicy policy, Retry retry, Duration timeout, Policy around,
                 DeadLetters<Object> deadLetters) implements Kind {

        Apply with(ErrorPolicy p) {
            return new Apply(label, fn, shape, mode, parallelism, key, p, retry, timeout, around,
                    p == ErrorPolicy.DEAD_LETTER ? deadLetters : null);
        }

        Apply with(Retry r) {
            return new Apply(label, fn, shape, mode, parallelism, key, policy, r, timeout, around, deadLetters);
        }

        Apply withTimeout(Duration t) {
            return new Apply(label, fn, shape, mode, parallelism, key, policy, retry, t, around, deadLetters);
        }

        Apply with(Policy p) {
            return new Apply(label, fn, shape, mode, parallelism, key, policy, retry, timeout, p, deadLetters);
        }

        Apply with(DeadLetters<Object> dlq) {
            return new Apply(label, fn, shape, mode, parallelism, key, ErrorPolicy.DEAD_LETTER, retry, timeout,
                    around, dlq);
        }
    }

    record Batch(int size, Duration maxWait) implements Kind {
        public String label() {
            return "batch";
        }
    }

    record Throttle(Limiter limiter) implements Kind {
        public String label() {
            return "throttle";
        }
    }

    record Take(long n) implements Kind {
        public String label() {
            return "take";
        }
    }

    /** The first stage whose failures go to the run's errors channel ({@link ErrorPolicy#REPORT}), if any. */
    static java.util.Optional<StageSpec> firstReporting(java.util.List<StageSpec> stages) {
        return stages.stream()
                .filter(s -> s.kind() instanceof Apply a && a.policy() == ErrorPolicy.REPORT)
                .findFirst();
    }

    StageSpec withName(String n) {
        return new StageSpec(n, buffer, kind);
    }

    StageSpec withBuffer(int b) {
        return new StageSpec(name, b, kind);
    }

    StageSpec withKind(Kind k) {
        return new StageSpec(name, buffer, k);
    }
}
