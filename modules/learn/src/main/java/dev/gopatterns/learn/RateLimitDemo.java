package dev.gopatterns.learn;

import dev.gopatterns.chan.Select;
import dev.gopatterns.clock.Clock;
import dev.gopatterns.context.Context;
import dev.gopatterns.pool.PoolMetrics;
import dev.gopatterns.pool.PoolMonitor;
import dev.gopatterns.pool.Submission;
import dev.gopatterns.pool.Task;
import dev.gopatterns.pool.WorkerPool;
import dev.gopatterns.rate.Limiter;
import dev.gopatterns.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * {@code ./learn demo rate-limit}: a rate-limited {@link WorkerPool} in front of a simulated slow service, a
 * producer that offers jobs faster than the limit, and a {@link PoolMonitor} line per second. The point to see:
 * the start rate holds at the limit (after the initial burst), and the overload shows up where it should, as a
 * bounded queue and a blocked producer ({@code submit}) or as rejections ({@code trySubmit}), never as an
 * unbounded backlog. At the end the demo checks itself against the token bucket's promise: in every span of
 * time, at most {@code burst + rate × span} jobs started.
 *
 * <p>Go equivalent: {@code limiter := rate.NewLimiter(20, 5)}, {@code jobs := make(chan Job, 20)}, and eight
 * workers that each loop {@code for j := range jobs { limiter.Wait(ctx); call(j) }}.
 */
final class RateLimitDemo {
    /*
     * The check works on the start times the jobs record (their first instruction), which lag the token grant by
     * the time the limiter's timer takes to fire and a worker takes to wake, take the job and start it. A lag on
     * an early job and none on a later one makes a span look shorter than it was, so spans are measured with a lag
     * allowance added: ALLOWED_LAG, or, on a loaded machine, the worst lateness the simulated service's own timed
     * waits saw in the same run (its timers and wake-ups are the same machinery). A scheduling hiccup is not a
     * broken limiter, while a missing or ignored limiter (every job starting as it is offered) exceeds the bound by
     * far more than that.
     *
     * The pool's worker takes a job and then waits for its token (WorkerPool.Builder.rateLimit), as Go's loop
     * `for j := range jobs { limiter.Wait(ctx); ... }` does, so no idle worker banks a token: the bound checked
     * here is the token bucket's own, burst + rate * span.
     *
     * The busiest span is found in one pass: with starts t_0 <= ... <= t_n-1, the excess of the span [t_i, t_j]
     * is (j - i + 1) - rate * (t_j - t_i); for each j the best i maximises rate * t_i - i, kept as a running max.
     */

    /**
     * How late a recorded start may be relative to its token grant before it counts against the limiter, at
     * least; more if the run's timers were later than that ({@link Report#lateness()}).
     */
    static final Duration ALLOWED_LAG = Duration.ofMillis(25);

    /** Where the overload goes. */
    enum Backpressure {
        /** {@code submit}: the producer waits for room in the queue. */
        BLOCK,
        /** {@code trySubmit}: a submission that finds the queue full is rejected, and the producer goes on. */
        REJECT
    }

    /**
     * What to run.
     *
     * @param rate       the limit, jobs started per second
     * @param burst      the limiter's bucket: how many may start at once
     * @param workers    the pool's workers
     * @param queue      the pool's queue capacity
     * @param jobs       how many jobs the producer offers (if {@code seconds} is empty)
     * @param seconds    how long the producer offers jobs, instead of a number of jobs
     * @param service    the simulated service's mean latency
     * @param jitter     the latency varies uniformly by up to this fraction either way, in [0, 1]
     * @param offer      how many jobs per second the producer tries to submit
     * @param mode       submit (block) or trySubmit (reject)
     * @param inPlace    rewrite the monitor line in place; empty: if the output is a terminal
     */
    record Options(double rate, int burst, int workers, int queue, int jobs, Optional<Duration> seconds,
                   Duration service, double jitter, double offer, Backpressure mode, Optional<Boolean> inPlace) {

        /** The default run: about 7.5 s. */
        static Options defaults() {
            return new Options(20, 5, 8, 20, 150, Optional.empty(), Duration.ofMillis(200), 0.5, 40,
                    Backpressure.BLOCK, Optional.empty());
        }

        String describe() {
            String end = seconds.map(s -> "for " + secs(s)).orElse(jobs + " jobs");
            return String.format(Locale.ROOT, "%d workers, queue %d, limit %s jobs/s with burst %d; service %d ms"
                            + " ± %d%%; producer offers %s at %s/s with %s", workers, queue, num(rate), burst,
                    service.toMillis(), Math.round(jitter * 100), end, num(offer),
                    mode == Backpressure.BLOCK ? "submit (blocks when the queue is full)"
                            : "trySubmit (rejected when the queue is full)");
        }
    }

    /**
     * The busiest span of starts: {@code count} starts from {@code from} to {@code from + span}, against the
     * {@code allowed} starts a limit of {@code rate} with {@code burst} permits in that span (lag included).
     */
    record Window(int count, Duration from, Duration span, double allowed) {
        boolean exceeded() {
            return count > allowed + 1e-9;
        }
    }

    /**
     * What happened.
     *
     * @param starts      when each job started, on the clock, from the pool's start, in order
     * @param offered     submissions the producer attempted
     * @param rejected    of those, refused because the queue was full
     * @param blocked     how long the producer spent waiting in {@code submit}
     * @param maxWaiting  the most jobs seen in the queue (after every submission, and every second)
     * @param metrics     the pool's last snapshot, after it terminated
     * @param elapsed     the whole run, until the last job ended
     * @param lateness    the most any simulated service call overslept its latency: how late timers and wake-ups
     *                    ran on this machine during the run
     */
    record Report(List<Duration> starts, long offered, long rejected, Duration blocked, long maxWaiting,
                  PoolMetrics metrics, Duration elapsed, Duration lateness) {

        /** The lag allowance of the rate check: {@link #ALLOWED_LAG}, or the run's lateness if that was worse. */
        Duration allowedLag() {
            return lateness.compareTo(ALLOWED_LAG) > 0 ? lateness : ALLOWED_LAG;
        }
    }

    private RateLimitDemo() {}

    // ---------------------------------------------------------------------------------------------- parsing

    /** The demos there are: the first word after {@code demo}, optional. */
    static final List<String> NAMES = List.of("rate-limit");

    /** The options that take a value. */
    private static final List<String> VALUED = List.of("--rate", "--burst", "--workers", "--queue", "--jobs",
            "--seconds", "--service-ms", "--jitter", "--offer", "--mode");

    /**
     * Parses the words after {@code ./learn demo}: an optional demo name, then options as {@code --rate 20} or
     * {@code --rate=20}, in any order.
     *
     * @throws UsageException naming the option and the rule it breaks
     */
    static Options parse(List<String> args) throws UsageException {
        Options o = Options.defaults();
        double rate = o.rate();
        int burst = o.burst();
        int workers = o.workers();
        int queue = o.queue();
        Optional<Integer> jobs = Optional.empty();
        Optional<Duration> seconds = Optional.empty();
        Duration service = o.service();
        double jitter = o.jitter();
        Optional<Double> offer = Optional.empty();
        Backpressure mode = o.mode();
        Optional<Boolean> inPlace = o.inPlace();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-")) {
                if (i == 0 && NAMES.contains(arg)) {
                    continue;
                }
                throw new UsageException(i == 0 ? "unknown demo '" + arg + "'; the demos are: "
                        + String.join(", ", NAMES) : "unexpected word '" + arg + "' (options look like --rate 20)");
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--in-place", "--plain" -> {
                    if (value != null) {
                        throw new UsageException(name + " takes no value");
                    }
                    inPlace = Optional.of(name.equals("--in-place"));
                    continue;
                }
                default -> {}
            }
            if (!VALUED.contains(name)) {
                throw new UsageException("unknown demo option '" + name + "' (./learn help lists them)");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(name + " needs a value, as in: ./learn demo " + name + " "
                            + example(name));
                }
                value = args.get(++i);
            }
            switch (name) {
                case "--rate" -> rate = positive(name, value);
                case "--burst" -> burst = atLeast(name, value, 1);
                case "--workers" -> workers = atLeast(name, value, 1);
                case "--queue" -> queue = atLeast(name, value, 0);
                case "--jobs" -> jobs = Optional.of(atLeast(name, value, 1));
                case "--seconds" -> seconds = Optional.of(Duration.ofNanos(Math.round(positive(name, value) * 1e9)));
                case "--service-ms" -> service = Duration.ofMillis(atLeast(name, value, 0));
                case "--jitter" -> {
                    int pct = atLeast(name, value, 0);
                    if (pct > 100) {
                        throw new UsageException("--jitter is a percentage from 0 to 100, was " + pct);
                    }
                    jitter = pct / 100.0;
                }
                case "--offer" -> offer = Optional.of(positive(name, value));
                case "--mode" -> mode = switch (value) {
                    case "block", "submit" -> Backpressure.BLOCK;
                    case "reject", "trysubmit", "trySubmit" -> Backpressure.REJECT;
                    default -> throw new UsageException("--mode is block (submit waits) or reject (trySubmit"
                            + " refuses), was '" + value + "'");
                };
                default -> throw new IllegalStateException("an option in VALUED without a case: " + name);
            }
        }
        if (jobs.isPresent() && seconds.isPresent()) {
            throw new UsageException("--jobs and --seconds both say when the producer stops: give one of them");
        }
        return new Options(rate, burst, workers, queue, jobs.orElse(o.jobs()), seconds, service, jitter,
                offer.orElse(2 * rate), mode, inPlace);
    }

    private static String example(String option) {
        return switch (option) {
            case "--rate" -> "20";
            case "--mode" -> "reject";
            case "--seconds" -> "5";
            case "--service-ms" -> "200";
            default -> "10";
        };
    }

    private static double positive(String option, String value) throws UsageException {
        double x;
        try {
            x = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a number, was '" + value + "'");
        }
        if (!(x > 0) || Double.isInfinite(x)) {
            throw new UsageException(option + " must be > 0, was " + value);
        }
        return x;
    }

    private static int atLeast(String option, String value, int min) throws UsageException {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a whole number, was '" + value + "'");
        }
        if (n < min) {
            throw new UsageException(option + " must be >= " + min + ", was " + n);
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------- running

    /**
     * Runs the demo on {@code clock}, the monitor writing to {@code out}; returns when every job has ended and
     * the pool and the monitor are closed.
     */
    static Report run(Options o, Clock clock, Appendable out, boolean inPlace) throws InterruptedException {
        Limiter limiter = new Limiter(o.rate(), o.burst(), clock);
        ConcurrentLinkedQueue<Long> starts = new ConcurrentLinkedQueue<>();
        LongAccumulator lateness = new LongAccumulator(Math::max, 0);
        long t0 = clock.nanoTime();
        long offered = 0;
        long rejected = 0;
        long blocked = 0;
        long maxWaiting = 0;
        PoolMetrics last;
        try (WorkerPool pool = WorkerPool.builder().name("demo").workers(o.workers()).queueCapacity(o.queue())
                .rateLimit(limiter).clock(clock).metricsWindow(Duration.ofSeconds(2)).build()) {
            PoolMonitor monitor = PoolMonitor.builder(pool).name("demo").output(out).inPlace(inPlace).start();
            try {
                Ticker pace = Ticker.every(clock, Duration.ofNanos(Math.max(1, Math.round(1e9 / o.offer()))));
                try {
                    long until = o.seconds().map(s -> t0 + s.toNanos()).orElse(Long.MAX_VALUE);
                    long limit = o.seconds().isPresent() ? Long.MAX_VALUE : o.jobs();
                    while (offered < limit && clock.nanoTime() - until < 0) {
                        pace.channel().receive(); // ticks missed while blocked in submit are dropped, as in Go
                        offered++;
                        Task<Void> call = serviceCall(o, clock, starts, lateness);
                        if (o.mode() == Backpressure.BLOCK) {
                            long before = clock.nanoTime();
                            pool.submit(call);
                            blocked += clock.nanoTime() - before;
                        } else if (pool.trySubmit(call) instanceof Submission.Rejected<Void>) {
                            rejected++;
                        }
                        maxWaiting = Math.max(maxWaiting, pool.metrics().checkInvariants().queued());
                    }
                } finally {
                    pace.stop();
                }
                pool.shutdown();
                pool.awaitTermination();
            } finally {
                monitor.close();
            }
            maxWaiting = Math.max(maxWaiting, monitor.maxQueued());
            last = pool.metrics().checkInvariants();
        }
        List<Duration> times = starts.stream().sorted().map(t -> Duration.ofNanos(t - t0)).toList();
        return new Report(times, offered, rejected, Duration.ofNanos(blocked), maxWaiting, last,
                Duration.ofNanos(clock.nanoTime() - t0), Duration.ofNanos(lateness.get()));
    }

    /**
     * The simulated service: records its start, then takes the mean latency ± jitter, or ends with its context;
     * notes how much longer than asked its timed wait took.
     */
    private static Task<Void> serviceCall(Options o, Clock clock, ConcurrentLinkedQueue<Long> starts,
                                          LongAccumulator lateness) {
        return ctx -> {
            long start = clock.nanoTime();
            starts.add(start);
            double factor = 1 + o.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
            long latency = Math.round(o.service().toNanos() * factor);
            boolean served = Select.select(Select.after(Duration.ofNanos(latency), clock, () -> true),
                    ctx.onDone(() -> false));
            if (!served) {
                ctx.throwIfDone();
            }
            lateness.accumulate(clock.nanoTime() - start - latency);
            return null;
        };
    }

    // --------------------------------------------------------------------------------------------- checking

    /** The span of {@code starts} (sorted) that comes closest to, or goes furthest over, the limiter's bound. */
    static Window busiest(List<Duration> starts, double rate, int burst, Duration allowedLag) {
        if (starts.isEmpty()) {
            return new Window(0, Duration.ZERO, Duration.ZERO, burst);
        }
        double bestStartTerm = Double.NEGATIVE_INFINITY; // max over i <= j of rate * t_i - i
        int bestStart = 0;
        double bestExcess = Double.NEGATIVE_INFINITY;
        int from = 0;
        int to = 0;
        for (int j = 0; j < starts.size(); j++) {
            double tj = starts.get(j).toNanos() / 1e9;
            double term = rate * tj - j;
            if (term > bestStartTerm) {
                bestStartTerm = term;
                bestStart = j;
            }
            double excess = (j + 1) - rate * tj + bestStartTerm;
            if (excess > bestExcess) {
                bestExcess = excess;
                from = bestStart;
                to = j;
            }
        }
        Duration span = starts.get(to).minus(starts.get(from));
        double allowed = burst + rate * (span.plus(allowedLag).toNanos() / 1e9);
        return new Window(to - from + 1, starts.get(from), span, allowed);
    }

    /** The busiest span of the run, against the pool's bound: the token bucket's, burst + rate * span. */
    static Window window(Options o, Report r) {
        return busiest(r.starts(), o.rate(), o.burst(), r.allowedLag());
    }

    /** The most jobs {@link PoolMetrics#queued()} may count: the queue's capacity. */
    static long waitingBound(Options o) {
        return o.queue();
    }

    /** What broke, in words; empty if the rate held and the queue stayed bounded. */
    static List<String> problems(Options o, Report r) {
        List<String> problems = new ArrayList<>();
        Window w = window(o, r);
        if (w.exceeded()) {
            problems.add(String.format(Locale.ROOT, "the start rate went over the limit: %d jobs started within %s"
                            + " (from %s), but %s jobs/s with burst %d allows %.1f there", w.count(),
                    secs(w.span()), secs(w.from()), num(o.rate()), o.burst(), w.allowed()));
        }
        if (r.maxWaiting() > waitingBound(o)) {
            problems.add("the queue held " + r.maxWaiting() + " jobs, over its capacity of " + o.queue());
        }
        if (r.starts().size() != r.metrics().completed() || r.metrics().completed() != r.offered() - r.rejected()) {
            problems.add("jobs went missing: " + (r.offered() - r.rejected()) + " accepted, " + r.starts().size()
                    + " started, " + r.metrics().completed() + " ended");
        }
        return problems;
    }

    /** The summary after the monitor's lines. */
    static List<String> describe(Options o, Report r, Style style) {
        List<String> lines = new ArrayList<>();
        int n = r.starts().size();
        Window w = window(o, r);
        if (n > 0) {
            Duration first = r.starts().getFirst();
            Duration span = r.starts().getLast().minus(first);
            int afterBurst = Math.max(0, n - Math.min(n, o.burst()));
            String steady = afterBurst > 0 && span.toNanos() > 0
                    ? String.format(Locale.ROOT, "%.1f jobs/s after the burst of %d", afterBurst
                    / (span.toNanos() / 1e9), Math.min(n, o.burst())) : "all within the burst";
            lines.add(row("rate", String.format(Locale.ROOT, "%s (limit %s/s); %d starts in %s", steady,
                    num(o.rate()), n, secs(span))));
        } else {
            lines.add(row("rate", "no job started"));
        }
        lines.add(row("busiest", String.format(Locale.ROOT, "%d starts within %s (from %s); allowed: %.1f",
                w.count(), secs(w.span()), secs(w.from()), w.allowed()))
                + "  " + (w.exceeded() ? style.bad(Style.FAIL) : style.good(Style.PASS)));
        lines.add(row("", style.quiet(String.format(Locale.ROOT, "= burst %d + %s/s × (span + %d ms lag); timers ran"
                        + " up to %d ms late", o.burst(), num(o.rate()), r.allowedLag().toMillis(),
                r.lateness().toMillis()))));
        lines.add(row("queue", "at most " + r.maxWaiting() + " queued; capacity " + o.queue()) + "  " + (r.maxWaiting() > waitingBound(o) ? style.bad(Style.FAIL)
                : style.good(Style.PASS)));
        PoolMetrics m = r.metrics();
        lines.add(row("latency", "queue wait p50 " + fmt(m.queueWait().p50()) + " p99 " + fmt(m.queueWait().p99())
                + "; run p50 " + fmt(m.runTime().p50()) + " p99 " + fmt(m.runTime().p99())));
        lines.add(row("producer", o.mode() == Backpressure.BLOCK
                ? "offered " + r.offered() + ", all accepted; blocked " + secs(r.blocked()) + " in submit"
                : "offered " + r.offered() + ", accepted " + (r.offered() - r.rejected()) + ", rejected "
                + r.rejected() + " (queue full)"));
        double capacity = o.workers() / Math.max(1e-9, o.service().toNanos() / 1e9);
        if (capacity < o.rate()) {
            lines.add(row("note", String.format(Locale.ROOT, "%d workers × %d ms a job serve only about %.0f jobs/s,"
                            + " below the limit: the workers, not the limiter, set the pace; add --workers",
                    o.workers(), o.service().toMillis(), capacity)));
        }
        return lines;
    }

    private static String row(String label, String text) {
        return String.format("  %-9s %s", label, text);
    }

    private static String fmt(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + "ms" : String.format(Locale.ROOT, "%.2fs", d.toNanos() / 1e9);
    }

    static String secs(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }

    /** 20 for 20.0, 2.5 for 2.5. */
    static String num(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
