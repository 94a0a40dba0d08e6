#!/usr/bin/env python3
"""Turns JMH's JSON results of the Sync_ benchmarks (and, optionally, the Go twin's `go test -bench` output) into
Markdown tables and SVG bar charts: the sync counterpart of plot_results.py, sharing its formatting and SVG code through benchlib.py.

Dependency-free: Python 3.8+ standard library only.

    python3 modules/jmh/plot/plot_sync.py --input modules/jmh/target/sync-result.json \
        --go modules/jmh/target/go-sync-bench.txt --out-dir docs/benchmarks

Writes into --out-dir:
    sync-results.md        one table per benchmark class (or to --markdown)
    sync-context.svg       Sync_01 and Sync_02: a context's create + cancel, and a tree of 100 children
    sync-semaphore.svg     Sync_03 to Sync_05: the weighted semaphore against java.util.concurrent.Semaphore
    sync-fanout.svg        Sync_06: 10,000 tiny tasks under ErrGroup, WaitGroup.go and executors
    sync-limiter.svg       Sync_07: rate.Limiter.allow()

Rows and columns follow the benchmarks' parameters as declared in the Java files; a benchmark or parameter value
missing from the input (a partial run) leaves its cells as "—".
"""

import argparse
import json
import math
import os
import re
import statistics
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts in the source tree
import benchlib as pr  # noqa: E402  (the shared formatting and SVG code)

REPO = pr.REPO
PKG = "dev.gopatterns.jmh."

# Series (bar colours) for these charts, in legend order; the same Okabe-Ito colours as the channel charts.
SERIES = OrderedDict([
    ("platform", ("Java, platform threads", "#0072B2")),
    ("virtual", ("Java, virtual threads", "#E69F00")),
    ("go", ("Go", "#009E73")),
])
LIMITER_SERIES = OrderedDict([
    ("one", ("1 thread", "#0072B2")),
    ("two", ("2 threads (time per call, per thread)", "#D55E00")),
])

CONTEXT_ROWS = OrderedDict([
    ("atomicBoolean", "baseline: `new AtomicBoolean()`, `set(true)`"),
    ("completableFutureComplete", "baseline: `new CompletableFuture()`, `complete(v)`"),
    ("completableFutureCancel", "baseline: `new CompletableFuture()`, `cancel(false)`"),
    ("withCancelOfBackground", "`withCancel(background())`, `cancel()`"),
    ("withCancelOfCancellable", "`withCancel(parent)`, `cancel()`; parent: a long-lived cancellable context"),
    ("withTimeoutOfBackground", "`withTimeout(background(), 1 h)`, `cancel()`: system clock, timer task"),
    ("isDoneOfLive", "`isDone()` of a live context (Go: `ctx.Err() != nil`)"),
])
TREE_ROWS = OrderedDict([
    ("build", "create a parent and 100 children (each registers), drop them"),
    ("buildAndCancelParent", "the same, then cancel the parent: it cancels every child"),
    ("buildAndCancelEachChild", "the same, but cancel each child first (each detaches), then the parent"),
    ("completableFutureTree", "baseline: a `CompletableFuture` with 100 `thenApply` dependents, cancelled"),
])
SEMAPHORES = OrderedDict([
    ("gopatterns", "`dev.gopatterns.sync.Semaphore` (weighted, FIFO)"),
    ("jdk-fair", "`java.util.concurrent.Semaphore`, fair"),
    ("jdk-nonfair", "`java.util.concurrent.Semaphore`, non-fair"),
])
GO_SEMAPHORE = "Go: `chan struct{}` of capacity 1"
FAN_OUTS = OrderedDict([
    ("ErrGroup", "`ErrGroup` (a virtual thread per task)"),
    ("ErrGroup:limit=8", "`ErrGroup` after `setLimit(8)`"),
    ("WaitGroup.go", "`WaitGroup.go` (a virtual thread per task)"),
    ("virtualThreadPerTaskExecutor", "`newVirtualThreadPerTaskExecutor()`, `invokeAll`"),
    ("fixedThreadPool:2", "`newFixedThreadPool(2)`, `invokeAll`"),
    ("fixedThreadPool:8", "`newFixedThreadPool(8)`, `invokeAll`"),
])
# Which Go sub-benchmark of BenchmarkFanOut is the twin of which Java row.
GO_FAN_OUT = {"WaitGroup.go": "WaitGroup.go", "ErrGroup:limit=8": "limit=8"}
LIMITERS = OrderedDict([
    ("inf", "`Limiter.INF`: always allowed"),
    ("huge-burst", "10⁹/s, burst `Integer.MAX_VALUE`: always allowed"),
    ("exhausted", "1/day, burst 1, drained: always refused"),
])


# ------------------------------------------------------------------------------------------------------ reading

def read_go(path):
    """{(benchmark, sub or ""): {unit: [values over -count runs]}} from `go test -bench` output."""
    runs = OrderedDict()
    if not path or not os.path.exists(path):
        return runs
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) < 4 or not fields[0].startswith("Benchmark") or not fields[1].isdigit():
                continue
            name = re.sub(r"-\d+$", "", fields[0][len("Benchmark"):])
            bench, _, sub = name.partition("/")
            metrics = runs.setdefault((bench, sub), {})
            rest = fields[2:]
            for value, unit in zip(rest[0::2], rest[1::2]):
                try:
                    metrics.setdefault(unit, []).append(float(value))
                except ValueError:
                    pass
    return runs


def go_value(go_runs, bench, sub, unit):
    values = go_runs.get((bench, sub), {}).get(unit)
    if not values:
        return None
    err = statistics.stdev(values) if len(values) > 1 else float("nan")
    return statistics.mean(values), err


def index_jmh(results):
    """{class: [entries]} for the Sync_ classes."""
    by_class = OrderedDict()
    for e in results:
        cls, method = pr.short_name(e["benchmark"])
        if cls.startswith("Sync_"):
            by_class.setdefault(cls, []).append(e)
    return by_class


def score(e):
    pm = e["primaryMetric"]
    return pr.number(pm["score"]), pr.number(pm["scoreError"])


def find(entries, method=None, **params):
    for e in entries:
        if method is not None and pr.short_name(e["benchmark"])[1] != method:
            continue
        if all(e.get("params", {}).get(k) == v for k, v in params.items()):
            return e
    return None


def handoff_fraction(e):
    sm = e.get("secondaryMetrics", {}) if e else {}
    h, a = sm.get("handoffs"), sm.get("acquires")
    if not h or not a or not pr.number(a["score"]):
        return None
    return pr.number(h["score"]) / pr.number(a["score"])


# -------------------------------------------------------------------------------------------------- formatting

def fmt_signed(v):
    """fmt_ns for a difference, which may be negative (noise, or a real saving)."""
    return ("−" if v < 0 else "") + pr.fmt_ns(abs(v))


def cell(v):
    return pr.fmt_score(*v) if v else "—"


def pct(f):
    if f is None or math.isnan(f):
        return "—"
    return "%.0f%%" % (100 * f) if f >= 0.01 else "%.2f%%" % (100 * f)


def with_handoffs(v, f):
    return "—" if not v else "%s (%s)" % (pr.fmt_score(*v), pct(f))


def table(head, align, rows):
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def run_line(entries, unit_text):
    return "%s. Run: %s. Lower is better." % (unit_text, pr.run_quality(entries))


# ------------------------------------------------------------------------------------------------------ tables

def context_tables(by_class, go_runs, charts):
    md = []
    chart = OrderedDict()
    entries = by_class.get("Sync_01_ContextCancel", [])
    if entries:
        md += ["### Sync_01_ContextCancel — create a context and cancel it", "",
               run_line(entries, "ns per create-and-cancel (per call for `isDone`)"), ""]
        rows, section = [], OrderedDict()
        for method, text in CONTEXT_ROWS.items():
            e = find(entries, method)
            java = score(e) if e else None
            go = go_value(go_runs, "ContextCancel", method, "ns/op")
            if not java and not go:
                continue
            rows.append(["`%s`" % method, text, cell(java), cell(go)])
            section[method] = OrderedDict((k, v) for k, v in (("platform", java), ("go", go)) if v)
        md += table(["benchmark", "what one op does", "Java (ns)", "Go twin (ns)"], ["---", "---", "---:", "---:"],
                    rows) + [""]
        chart["create + cancel one context, ns per op"] = section

    entries = by_class.get("Sync_02_ContextCancelTree", [])
    if entries:
        md += ["### Sync_02_ContextCancelTree — cancel a parent with 100 children", "",
               run_line(entries, "ns per child (the time for one tree / 100)"), ""]
        rows, section, got = [], OrderedDict(), {}
        for method, text in TREE_ROWS.items():
            e = find(entries, method)
            java = score(e) if e else None
            go = go_value(go_runs, "ContextCancelTree", method, "ns/child")
            got[method] = (java, go)
            if not java and not go:
                continue
            rows.append(["`%s`" % method, text, cell(java), cell(go)])
            section[method] = OrderedDict((k, v) for k, v in (("platform", java), ("go", go)) if v)
        md += table(["benchmark", "what one op does, per child", "Java (ns/child)", "Go twin (ns/child)"],
                    ["---", "---", "---:", "---:"], rows) + [""]
        diffs = []
        for lang, i in (("Java", 0), ("Go", 1)):
            b, p, c = (got.get(m, (None, None))[i] for m in ("build", "buildAndCancelParent",
                                                               "buildAndCancelEachChild"))
            if b and p and c:
                diffs.append("%s: cancelling through the parent adds %s ns per child, cancelling each child on its "
                             "own %s ns" % (lang, fmt_signed(p[0] - b[0]), fmt_signed(c[0] - b[0])))
        if diffs:
            md += ["By difference from `build`: " + "; ".join(diffs) + ". (Differences of noisy numbers: read them "
                   "with the errors above.)", ""]
        chart["a tree of 100 children, ns per child"] = section
    if chart:
        charts.append(("sync-context.svg", "Context: create and cancel", "ns, log scale, lower is better",
                       chart, SERIES))
    return md


def semaphore_tables(by_class, go_runs, charts):
    md = []
    chart = OrderedDict()
    entries = by_class.get("Sync_03_SemaphoreUncontended", [])
    if entries:
        md += ["### Sync_03_SemaphoreUncontended — one thread, a semaphore of one unit", "",
               run_line(entries, "ns per pair"), ""]
        rows = []
        for method, title in (("tryAcquireRelease", "uncontended tryAcquire + release"),
                              ("acquireRelease", "uncontended acquire + release")):
            chart[title] = OrderedDict()
        for spec, text in SEMAPHORES.items():
            vals = [find(entries, m, semaphore=spec) for m in ("tryAcquireRelease", "acquireRelease")]
            vals = [score(e) if e else None for e in vals]
            if not any(vals):
                continue
            rows.append([text, cell(vals[0]), cell(vals[1])])
            for title, v in zip(chart, vals):
                if v:
                    chart[title][spec] = OrderedDict([("platform", v)])
        go = [go_value(go_runs, "SemaphoreUncontended", m, "ns/op") for m in ("tryAcquireRelease", "acquireRelease")]
        if any(go):
            rows.append([GO_SEMAPHORE + " (`select` with `default` / send, then receive)", cell(go[0]), cell(go[1])])
            for title, v in zip(list(chart)[:2], go):
                if v:
                    chart[title]["Go chan"] = OrderedDict([("go", v)])
        md += table(["semaphore", "tryAcquire + release (ns)", "acquire + release (ns)"], ["---", "---:", "---:"],
                    rows) + [""]

    entries = by_class.get("Sync_04_SemaphoreContended", [])
    if entries:
        md += ["### Sync_04_SemaphoreContended — two JMH threads, a semaphore of one unit", "",
               run_line(entries, "ns per acquire/release pair, per thread (the two threads together make about two "
                                 "pairs in that time); in brackets, the share of acquires that took the unit over "
                                 "from the other thread"), ""]
        rows, section = [], OrderedDict()
        for spec, text in SEMAPHORES.items():
            e = find(entries, "acquireRelease", semaphore=spec)
            if not e:
                continue
            rows.append([text, with_handoffs(score(e), handoff_fraction(e))])
            section[spec] = OrderedDict([("platform", score(e))])
        md += table(["semaphore", "2 threads: ns per pair (hand-offs)"], ["---", "---:"], rows) + [""]
        chart["contended, 2 JMH threads, ns per pair per thread"] = section

    entries = by_class.get("Sync_05_SemaphoreContendedBatch", [])
    go = go_value(go_runs, "SemaphoreContended", "", "ns/op")
    if entries or go:
        md += ["### Sync_05_SemaphoreContendedBatch — two long-lived workers, a semaphore of one unit", ""]
        if entries:
            md += [run_line(entries, "ns per acquire/release pair, per worker; in brackets, the share of acquires "
                                     "that were hand-offs"), ""]
        rows, section = [], OrderedDict()
        for spec, text in SEMAPHORES.items():
            es = [find(entries, "acquireRelease", semaphore=spec, threads=t) for t in ("platform", "virtual")]
            if not any(es):
                continue
            rows.append([text] + [with_handoffs(score(e), handoff_fraction(e)) if e else "—" for e in es] + ["—"])
            section[spec] = OrderedDict((t, score(e)) for t, e in zip(("platform", "virtual"), es) if e)
        if go:
            gh = go_value(go_runs, "SemaphoreContended", "", "handoffs/acquire")
            rows.append([GO_SEMAPHORE + ", two goroutines", "—", "—", with_handoffs(go, gh[0] if gh else None)])
            section["Go chan"] = OrderedDict([("go", go)])
        md += table(["semaphore", "platform threads", "virtual threads", "Go goroutines"],
                    ["---", "---:", "---:", "---:"], rows) + [""]
        chart["contended, 2 workers, ns per pair per worker"] = section
    if chart:
        charts.append(("sync-semaphore.svg", "Semaphores: one acquire + release",
                       "ns per pair, log scale, lower is better", chart, SERIES))
    return md


def fan_out_tables(by_class, go_runs, charts):
    entries = by_class.get("Sync_06_FanOut", [])
    go_any = any(b == "FanOut" for b, _ in go_runs)
    if not entries and not go_any:
        return []
    md = ["### Sync_06_FanOut — 10,000 tiny tasks: start them all, wait for all", ""]
    if entries:
        md += [run_line(entries, "ns per task, as the spawning thread sees it (the time for a batch / 10,000)"), ""]
    rows, section = [], OrderedDict()
    for spec, text in FAN_OUTS.items():
        es = [find(entries, "runAll", fanOut=spec, spawner=t) for t in ("platform", "virtual")]
        go = go_value(go_runs, "FanOut", GO_FAN_OUT[spec], "ns/task") if spec in GO_FAN_OUT else None
        if not any(es) and not go:
            continue
        rows.append([text] + [cell(score(e)) if e else "—" for e in es] + [cell(go)])
        section[spec] = OrderedDict([(t, score(e)) for t, e in zip(("platform", "virtual"), es) if e]
                                    + ([("go", go)] if go else []))
    md += table(["fan-out", "platform spawner (ns/task)", "virtual spawner (ns/task)", "Go twin (ns/task)"],
                ["---", "---:", "---:", "---:"], rows) + [""]
    md += ["Go twin: `WaitGroup.go` row, a goroutine per task and a `sync.WaitGroup` (errgroup without a limit is the "
           "same loop); `ErrGroup:limit=8` row, the same with an 8-token channel, which is how errgroup's `SetLimit` "
           "works.", ""]
    charts.append(("sync-fanout.svg", "Fan-out: 10,000 tiny tasks", "ns per task, log scale, lower is better",
                   OrderedDict([("spawned from a platform or a virtual thread; Go: a goroutine", section)]),
                   OrderedDict([("platform", ("Java, platform spawner", "#0072B2")),
                                ("virtual", ("Java, virtual spawner", "#E69F00")),
                                ("go", ("Go", "#009E73"))])))
    return md


def limiter_tables(by_class, charts):
    entries = by_class.get("Sync_07_LimiterAllow", [])
    if not entries:
        return []
    md = ["### Sync_07_LimiterAllow — `rate.Limiter.allow()`", "",
          run_line(entries, "ns per call; with 2 threads, per thread (the two together make about two calls in that "
                            "time), and the calls per second both threads make together"), ""]
    rows, section = [], OrderedDict()
    for spec, text in LIMITERS.items():
        one, two = find(entries, "allow", limiter=spec), find(entries, "allowContended", limiter=spec)
        if not one and not two:
            continue
        both = "—"
        if two and score(two)[0] > 0:
            both = "%s M/s" % pr.fmt_ns(2e3 / score(two)[0])
        rows.append([text, cell(score(one)) if one else "—", cell(score(two)) if two else "—", both])
        section[spec] = OrderedDict([(k, score(e)) for k, e in (("one", one), ("two", two)) if e])
    md += table(["limiter", "1 thread (ns/call)", "2 threads (ns/call, per thread)", "2 threads together"],
                ["---", "---:", "---:", "---:"], rows) + [""]
    charts.append(("sync-limiter.svg", "rate.Limiter.allow()", "ns per call, log scale, lower is better",
                   OrderedDict([("allow()", section)]), LIMITER_SERIES))
    return md


# -------------------------------------------------------------------------------------------------------- main

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--input", default=os.path.join(REPO, "modules", "jmh", "target", "sync-result.json"),
                   help="JMH result file (-rf json) of the Sync_ benchmarks")
    p.add_argument("--go", help="output of `go test -bench . ./sync` for the Go twin (optional)")
    p.add_argument("--out-dir", default=os.path.join(REPO, "docs", "benchmarks"))
    p.add_argument("--markdown", help="where to write the tables (default: OUT_DIR/sync-results.md); the SVGs are "
                   "linked by file name, so the Markdown belongs in OUT_DIR or is inlined into a file there")
    p.add_argument("--note", default="", help="text added under each chart's title, e.g. 'SMOKE RUN'")
    args = p.parse_args(argv)

    results = pr.read_jmh(args.input)
    by_class = index_jmh(results)
    if not by_class:
        sys.exit("no Sync_ results in %s" % args.input)
    go_runs = read_go(args.go)

    charts = []
    sections = [
        ("Cancellation: contexts", context_tables(by_class, go_runs, charts)),
        ("Semaphores", semaphore_tables(by_class, go_runs, charts)),
        ("Structured fan-out", fan_out_tables(by_class, go_runs, charts)),
        ("Rate limiter", limiter_tables(by_class, charts)),
    ]

    os.makedirs(args.out_dir, exist_ok=True)
    written = []
    svg_of_section = {}
    for svg_name, title, subtitle, rows, series in charts:
        if args.note:
            subtitle += " — " + args.note
        svg = pr.svg_chart(title, subtitle, rows, series=series, section_label=str, keep_order=True)
        if svg:
            path = os.path.join(args.out_dir, svg_name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(svg)
            written.append(path)
            svg_of_section[svg_name] = title

    order = {"Cancellation: contexts": "sync-context.svg", "Semaphores": "sync-semaphore.svg",
             "Structured fan-out": "sync-fanout.svg", "Rate limiter": "sync-limiter.svg"}
    md = []
    for heading, lines in sections:
        if not lines:
            continue
        md += ["## %s" % heading, ""] + lines
        svg_name = order[heading]
        if svg_name in svg_of_section:
            md += ["![%s](%s)" % (svg_of_section[svg_name], svg_name), ""]

    e = results[0]
    header = ["<!-- generated by modules/jmh/plot/plot_sync.py from %s; do not edit by hand -->" %
              os.path.relpath(args.input, REPO),
              "",
              "JMH %s on %s %s (%s)." % (e.get("jmhVersion", "?"), e.get("vmName", "?"), e.get("vmVersion", "?"),
                                         e.get("jdkVersion", "?")),
              ""]
    if go_runs:
        header += ["Go: %s." % "; ".join(pr.go_info(args.go)), ""]
    path = args.markdown or os.path.join(args.out_dir, "sync-results.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(header + md))
    written.append(path)
    for w in written:
        print("wrote", os.path.relpath(w, os.getcwd()))


if __name__ == "__main__":
    main()
