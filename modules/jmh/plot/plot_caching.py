#!/usr/bin/env python3
"""The caching report: Markdown tables and an SVG chart from JMH's JSON of the Cache_, Resource_ and Scheduler_
benchmarks (the TTL cache against Caffeine, the resource pool against commons-pool2, the scheduler against
ScheduledThreadPoolExecutor, each with a JDK baseline). Rendered by render.py from the committed result sets, like
the resilience report; Python 3 standard library only, on benchlib.py.

There is no Go twin (go_runs is ignored): the peers are Java libraries, and Go's standard library has no cache or
resource pool to compare with.

Tables: per benchmark, every implementation's time per operation in rows; then gopatterns divided by the peer and
by the baseline for each row, with the noise sentence. The chart has one section per benchmark and thread count,
one bar per implementation, coloured by role (gopatterns, peer library, JDK baseline).
"""

import os
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import benchlib as bl  # noqa: E402

PKG = "dev.gopatterns.jmh."
HIT = PKG + "Cache_01_HitPath."
STORM = PKG + "Cache_02_MissStorm.storm"
POOL = PKG + "Resource_01_AcquireRelease."
SCHED = PKG + "Scheduler_01_ScheduleFire.roundTrip"

SERIES = OrderedDict([
    ("gopatterns", ("gopatterns", "#0072B2")),
    ("peer", ("peer library", "#E69F00")),
    ("baseline", ("JDK baseline / floor", "#999999")),
])

# Row labels of the chart: short enough for its 190-pixel label column.
CHART_LABELS = {
    "gopatterns": "gopatterns", "caffeine": "Caffeine 3.3.1", "chm": "ConcurrentHashMap",
    "none": "no cache (8 loads)", "harness": "harness only",
    "commons-pool2": "commons-pool2 2.13.1", "semaphore": "Semaphore + CLQ",
    "scheduler": "gopatterns Scheduler", "ScheduledThreadPoolExecutor": "ScheduledThreadPoolExecutor",
    "submit": "WorkerPool.submit alone",
}


def render(results, go_runs, note=""):
    """Markdown lines and {svg file name: svg text} for one result set of the caching suite."""
    table_args = (bl.index_jmh(results), {})
    md, chart = [], OrderedDict()
    md += hit(results, table_args, chart)
    md += storm(results, table_args, chart)
    md += pool(results, table_args, chart)
    md += scheduler(results, table_args, chart)
    subtitle = "ns per operation; bars: mean, whiskers: JMH 99.9%% CI%s" % ((" — " + note) if note else "")
    svg = bl.svg_chart("Cache, resource pool, scheduler: time per operation", subtitle, chart, series=SERIES,
                       section_label=lambda s: s, keep_order=True, axis_label="ns per operation (log scale)")
    svgs = {}
    if svg:
        svgs["caching.svg"] = svg
        md += ["![Cache, resource pool and scheduler: time per operation](caching.svg)", ""]
    return md, svgs


def in_ns(value):
    """(score, error) in ns for the chart, from a Table value (score, error, unit)."""
    scale = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6}.get(value[2], 1.0)
    return value[0] * scale, value[1] * scale


def section_rows(entries_prefix, results):
    return [e for e in results if e["benchmark"].startswith(entries_prefix)]


def rows_of(t, chart, section, impls, ref_of, labels, head):
    """Adds one table row and one chart bar per implementation."""
    bars = chart.setdefault(section, OrderedDict())
    for impl, role in impls:
        ref = ref_of(impl)
        if t.add(head + [labels[impl], ref]):
            bars[CHART_LABELS[impl]] = OrderedDict([(role, in_ns(t.value(ref)))])


def hit(results, table_args, chart):
    entries = section_rows(HIT, results)
    if not entries:
        return []
    impls = [("gopatterns", "gopatterns"), ("caffeine", "peer"), ("chm", "baseline")]
    labels = {"gopatterns": "gopatterns `Cache.get`", "caffeine": "Caffeine 3.3.1 `LoadingCache.get`",
              "chm": "`ConcurrentHashMap.computeIfAbsent`"}
    md = ["### Cache_01_HitPath — get of a present key, per get", "",
          "ns per get (with 2 threads: per thread, both reading one cache); 16 keys, all loaded in set-up, ttl 1 h, "
          "so every get hits. Lower is better. Run: %s." % bl.run_quality(entries), ""]
    t = bl.Table(["threads", "cache", "time per get"], ["---", "---", "---:"], *table_args)
    ratios = Ratios(table_args, ["Caffeine", "`ConcurrentHashMap`"])
    for method, threads in (("get", "1 thread"), ("getContended", "2 threads (per thread)")):
        rows_of(t, chart, "Cache_01 hit, %s" % threads, impls, lambda i: bl.jmh_ref(HIT + method, cache=i),
                labels, [threads])
        ratios.add([threads], bl.jmh_ref(HIT + method, cache="gopatterns"),
                   [bl.jmh_ref(HIT + method, cache="caffeine"), bl.jmh_ref(HIT + method, cache="chm")], threads)
    return md + t.render() + ratios.render(["threads"])


def storm(results, table_args, chart):
    entries = section_rows(STORM, results)
    if not entries:
        return []
    impls = [("gopatterns", "gopatterns"), ("caffeine", "peer"), ("none", "baseline"), ("harness", "baseline")]
    labels = {"gopatterns": "gopatterns `Cache.get`: 1 load", "caffeine": "Caffeine 3.3.1 `LoadingCache.get`: 1 load",
              "none": "no cache: 8 loads", "harness": "harness only: no get, no load"}
    md = ["### Cache_02_MissStorm — 8 virtual threads miss one key at once, per storm", "",
          "µs per storm: the key is invalidated, 8 long-lived virtual threads are released and each calls get "
          "once; the load burns about 50 µs of CPU, and the benchmark fails unless it ran once per storm (8 times "
          "without a cache). Lower is better. Run: %s." % bl.run_quality(entries), ""]
    t = bl.Table(["cache", "time per storm"], ["---", "---:"], *table_args)
    rows_of(t, chart, "Cache_02 miss storm, 8 callers", impls, lambda i: bl.jmh_ref(STORM, cache=i), labels, [])
    ratios = Ratios(table_args, ["Caffeine", "no cache"])
    ratios.add(["8 callers, 1 key"], bl.jmh_ref(STORM, cache="gopatterns"),
               [bl.jmh_ref(STORM, cache="caffeine"), bl.jmh_ref(STORM, cache="none")], "miss storm")
    return md + t.render() + ratios.render(["storm"])


def pool(results, table_args, chart):
    entries = section_rows(POOL, results)
    if not entries:
        return []
    impls = [("gopatterns", "gopatterns"), ("commons-pool2", "peer"), ("semaphore", "baseline")]
    labels = {"gopatterns": "gopatterns `ResourcePool.acquire` + `Lease.close`",
              "commons-pool2": "commons-pool2 2.13.1 `borrowObject` + `returnObject`",
              "semaphore": "`Semaphore` + `ConcurrentLinkedQueue`"}
    md = ["### Resource_01_AcquireRelease — borrow a resource and give it back, per pair", "",
          "ns per acquire-and-release, per thread; a pool of at most 2 resources, on 1 thread (never waits) and on "
          "4 threads (twice as many threads as resources: threads wait and are handed resources). Lower is better. "
          "Run: %s." % bl.run_quality(entries), ""]
    t = bl.Table(["threads", "pool", "time per acquire + release"], ["---", "---", "---:"], *table_args)
    ratios = Ratios(table_args, ["commons-pool2", "`Semaphore` + queue"])
    for method, threads in (("acquireRelease", "1 thread"), ("acquireReleaseContended", "4 threads (per thread)")):
        rows_of(t, chart, "Resource_01 pool of 2, %s" % threads, impls, lambda i: bl.jmh_ref(POOL + method, pool=i),
                labels, [threads])
        ratios.add([threads], bl.jmh_ref(POOL + method, pool="gopatterns"),
                   [bl.jmh_ref(POOL + method, pool="commons-pool2"), bl.jmh_ref(POOL + method, pool="semaphore")],
                   threads)
    return md + t.render() + ratios.render(["threads"])


def scheduler(results, table_args, chart):
    entries = section_rows(SCHED, results)
    if not entries:
        return []
    impls = [("scheduler", "gopatterns"), ("ScheduledThreadPoolExecutor", "peer"), ("submit", "baseline")]
    labels = {"scheduler": "gopatterns `Scheduler.after(ctx, 0, ...)` + `result()`",
              "ScheduledThreadPoolExecutor": "`ScheduledThreadPoolExecutor.schedule(task, 0, ns).get()`",
              "submit": "gopatterns `WorkerPool.submit` + `result()`, no scheduler"}
    md = ["### Scheduler_01_ScheduleFire — a job due at once, scheduled and awaited, per round trip", "",
          "ns per round trip from one thread, to a pool of 1 worker. Lower is better. Run: %s."
          % bl.run_quality(entries), ""]
    t = bl.Table(["job", "time per round trip"], ["---", "---:"], *table_args)
    rows_of(t, chart, "Scheduler_01 delay 0, 1 worker", impls, lambda i: bl.jmh_ref(SCHED, impl=i), labels, [])
    ratios = Ratios(table_args, ["`ScheduledThreadPoolExecutor`", "`WorkerPool.submit` alone"])
    ratios.add(["delay 0, 1 worker"], bl.jmh_ref(SCHED, impl="scheduler"),
               [bl.jmh_ref(SCHED, impl="ScheduledThreadPoolExecutor"), bl.jmh_ref(SCHED, impl="submit")],
               "scheduler round trip")
    return md + t.render() + ratios.render(["round trip"])


class Ratios:
    """gopatterns ÷ each other implementation per row, and the sentence saying which ratios are within noise."""

    def __init__(self, table_args, others):
        self.table_args, self.others, self.rows = table_args, others, []

    def add(self, labels, mine, theirs, name):
        self.rows.append((labels, mine, theirs, name))

    def render(self, head):
        t = bl.Table(head + ["gopatterns ÷ %s" % o for o in self.others],
                     ["---"] * len(head) + ["---:"] * len(self.others), *self.table_args)
        noise, real, unknown = [], [], []
        for labels, mine, theirs, name in self.rows:
            if not t.add(labels + [{"k": "ratio", "a": mine, "b": b} for b in theirs]):
                continue
            va = t.value(mine)
            for other, ref in zip(self.others, theirs):
                vb = t.value(ref)
                if not va or not vb:
                    continue
                what = "%s against %s" % (name, other)
                o = bl.overlap(va[:2], vb[:2])
                if o is None:
                    unknown.append(what)
                elif o:
                    noise.append(what)
                else:
                    real.append("%s (gopatterns %s)" % (what, "faster" if va[0] < vb[0] else "slower"))
        lines = t.render()
        if lines:
            lines += ["A ratio below 1 means gopatterns is faster.", "",
                      bl.noise_sentence(noise, real, unknown), ""]
        return lines
