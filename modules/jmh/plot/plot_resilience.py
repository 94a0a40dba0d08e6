#!/usr/bin/env python3
"""The resilience report: Markdown tables and an SVG chart from JMH's JSON of the Resilience_ benchmarks (circuit
breaker and retry overhead per call, gopatterns against resilience4j). Rendered by render.py from the committed
result sets, like the pool report; Python 3 standard library only, on benchlib.py.

There is no Go twin: Go's peers (sony/gobreaker, failsafe-go) are modules outside the standard library, and only
Maven Central is reachable where the suite was written, so go_runs is ignored.

Tables: per benchmark, every implementation's time per call in rows; then gopatterns divided by resilience4j for
each row, with the noise sentence. The chart has one section per benchmark and thread count, one row per scenario
(failures, or first attempt / one retry) and one bar per implementation.
"""

import os
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import benchlib as bl  # noqa: E402

PKG = "dev.gopatterns.jmh."
BREAKER = PKG + "Resilience_01_BreakerOverhead."
RETRY = PKG + "Resilience_02_RetryOverhead."
NO_SLEEP = RETRY + "failOnceResilience4jNoSleep"

SERIES = OrderedDict([
    ("bare", ("bare", "#999999")),
    ("gopatterns", ("gopatterns", "#0072B2")),
    ("resilience4j", ("resilience4j 2.4.0", "#E69F00")),
    ("resilience4j:noSleep", ("resilience4j, no sleep", "#CC79A7")),
])
LABELS = {
    "bare": "bare body",
    "gopatterns": "gopatterns `CircuitBreaker.call`",
    "resilience4j": "resilience4j `decorateCheckedSupplier`",
}
RETRY_LABELS = {
    "bare": "hand-written loop, 2 attempts, no wait",
    "gopatterns": "gopatterns `Retry.call`, `backoff(2, 0, 0)`",
    "resilience4j": "resilience4j `executeCheckedSupplier`, `waitDuration(0)`",
    "resilience4j:noSleep": "resilience4j, its `Thread.sleep(0)` replaced by a no-op",
}
THREADS = [("call", "1 thread"), ("callContended", "2 threads (per thread)")]
FAILURES = [("0", "no failures"), ("10", "10% failures")]
SCENARIOS = [("firstTime", "first attempt succeeds"), ("failOnce", "fails once, then succeeds")]


def render(results, go_runs, note=""):
    """Markdown lines and {svg file name: svg text} for one result set of the resilience suite."""
    table_args = (bl.index_jmh(results), {})
    md, chart = [], OrderedDict()
    md += breaker(results, table_args, chart)
    md += retry(results, table_args, chart)
    subtitle = "ns per call; bars: mean, whiskers: JMH 99.9%% CI%s" % ((" — " + note) if note else "")
    svg = bl.svg_chart("Circuit breaker and retry: overhead per call", subtitle, chart, series=SERIES,
                       section_label=lambda s: s, keep_order=True, axis_label="ns per call (log scale)")
    svgs = {}
    if svg:
        svgs["resilience.svg"] = svg
        md += ["![Circuit breaker and retry: time per call](resilience.svg)", ""]
    return md, svgs


def breaker(results, table_args, chart):
    entries = [e for e in results if e["benchmark"].startswith(BREAKER)]
    if not entries:
        return []
    md = ["### Resilience_01_BreakerOverhead — a trivial body through a closed breaker, per call", "",
          "ns per call (with 2 threads: per thread, both calling one breaker); count window of 100 calls, judged "
          "once full, threshold 50%%, so 10%% failures never open it. Lower is better. Run: %s."
          % bl.run_quality(entries), ""]
    t = bl.Table(["threads", "failures", "breaker", "time per call"], ["---", "---", "---", "---:"], *table_args)
    ratios = Ratios(table_args)
    for method, threads in THREADS:
        for failures, failures_label in FAILURES:
            section = chart.setdefault("Resilience_01 breaker, %s" % threads, OrderedDict())
            for impl in ("bare", "gopatterns", "resilience4j"):
                ref = bl.jmh_ref(BREAKER + method, breaker=impl, failurePercent=failures)
                if t.add([threads, failures_label, LABELS[impl], ref]):
                    section.setdefault(failures_label, OrderedDict())[impl] = t.value(ref)[:2]
            ratios.add([threads, failures_label],
                       bl.jmh_ref(BREAKER + method, breaker="gopatterns", failurePercent=failures),
                       bl.jmh_ref(BREAKER + method, breaker="resilience4j", failurePercent=failures),
                       "%s, %s" % (threads, failures_label))
    return md + t.render() + ratios.render(["threads", "failures"])


def retry(results, table_args, chart):
    entries = [e for e in results if e["benchmark"].startswith(RETRY)]
    if not entries:
        return []
    md = ["### Resilience_02_RetryOverhead — an operation under a retry policy of 2 attempts, per operation", "",
          "ns per operation on 1 thread; the wait between attempts is each library's zero (gopatterns does not "
          "wait for a zero delay; resilience4j still calls `Thread.sleep(0)`). Lower is better. Run: %s."
          % bl.run_quality(entries), ""]
    t = bl.Table(["scenario", "retry", "time per operation"], ["---", "---", "---:"], *table_args)
    ratios = Ratios(table_args)
    section = chart.setdefault("Resilience_02 retry, 1 thread", OrderedDict())
    for method, label in SCENARIOS:
        refs = [(impl, bl.jmh_ref(RETRY + method, retry=impl)) for impl in ("bare", "gopatterns", "resilience4j")]
        if method == "failOnce":
            refs.append(("resilience4j:noSleep", bl.jmh_ref(NO_SLEEP)))
        for impl, ref in refs:
            if t.add([label, RETRY_LABELS[impl], ref]):
                section.setdefault(label, OrderedDict())[impl] = t.value(ref)[:2]
        mine = bl.jmh_ref(RETRY + method, retry="gopatterns")
        ratios.add([label], mine, bl.jmh_ref(RETRY + method, retry="resilience4j"), label)
        if method == "failOnce":
            ratios.add([label + ", resilience4j without its sleep"], mine, bl.jmh_ref(NO_SLEEP),
                       label + " (resilience4j without its sleep)")
    return md + t.render() + ratios.render(["scenario"])


class Ratios:
    """gopatterns ÷ resilience4j per row, and the sentence saying which ratios are within noise."""

    def __init__(self, table_args):
        self.table_args, self.rows = table_args, []

    def add(self, labels, mine, theirs, name):
        self.rows.append((labels, mine, theirs, name))

    def render(self, head):
        t = bl.Table(head + ["gopatterns ÷ resilience4j (< 1: gopatterns faster)"],
                     ["---"] * len(head) + ["---:"], *self.table_args)
        noise, real, unknown = [], [], []
        for labels, mine, theirs, name in self.rows:
            if not t.add(labels + [{"k": "ratio", "a": mine, "b": theirs}]):
                continue
            va, vb = t.value(mine), t.value(theirs)
            o = bl.overlap(va[:2], vb[:2])
            if o is None:
                unknown.append(name)
            elif o:
                noise.append(name)
            else:
                real.append("%s (gopatterns %s)" % (name, "faster" if va[0] < vb[0] else "slower"))
        lines = t.render()
        if lines:
            lines += [bl.noise_sentence(noise, real, unknown), ""]
        return lines
