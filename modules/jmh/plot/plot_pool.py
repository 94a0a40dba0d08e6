#!/usr/bin/env python3
"""The worker-pool report: Markdown tables and an SVG chart from JMH's JSON (and the Go twin's `go test -bench`
output) of the Pool_ benchmarks. Rendered by render.py from the committed result sets, like the channel report;
Python 3 standard library only, on benchlib.py.

Tables: per-job time for each (work, workers) pair, every pool in rows, with the Go twins' rows; then the
gopatterns pool divided by ThreadPoolExecutor (array queue) and by the Go channel-fed pool, with the noise sentence;
then Pool_03's distributions (shared queue or per-worker queues), each divided by the shared queue.
"""

import os
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import benchlib as bl  # noqa: E402

PKG = "dev.gopatterns.jmh."
BENCH = PKG + "Pool_01_PerJobOverhead.runJobs"
WORK_ALONE = PKG + "Pool_02_WorkAlone.work"
DISTRIBUTION = PKG + "Pool_03_Distribution.runJobs"
DISTRIBUTION_ORDER = ["shared", "roundRobin", "leastLoaded", "random", "weighted", "roundRobin+stealing"]
POOL_ORDER = ["gopatterns", "gopatterns:platform", "ThreadPoolExecutor:array", "ThreadPoolExecutor:linked",
              "ForkJoinPool", "virtualThreadPerTask", "ErrGroup:limit"]
GO_TWINS = [("ChannelPool", "Go: channel-fed pool of N goroutines"),
            ("SemaphoreBounded", "Go: goroutines bounded by a channel semaphore")]
SERIES = OrderedDict([
    ("java", ("Java", "#0072B2")),
    ("go", ("Go goroutines", "#009E73")),
])


def render(results, go_runs, note=""):
    """Markdown lines and {svg file name: svg text} for one result set of the pool suite."""
    table_args = (bl.index_jmh(results), go_runs)
    entries = [e for e in results if e["benchmark"] == BENCH]
    if not entries:
        return distributions(results, table_args), {}
    pools = sorted({e["params"]["pool"] for e in entries},
                   key=lambda p: POOL_ORDER.index(p) if p in POOL_ORDER else len(POOL_ORDER))
    works = [w for w in ("empty", "1us") if any(e["params"]["work"] == w for e in entries)]
    workers = sorted({int(e["params"]["workers"]) for e in entries})
    md = ["### Pool_01_PerJobOverhead — 100,000 jobs from one submitter, per job", "",
          "ns per job, as the submitting thread sees it (submit all, wait for the last); lower is better. "
          "Run: %s." % bl.run_quality(entries), ""]
    alone = bl.Table(["work alone (Pool_02, one job on the benchmark thread)", "time"], ["---", "---:"], *table_args)
    alone.add(["`Blackhole.consumeCPU(%s)`" % "770", bl.jmh_ref(WORK_ALONE)])
    alone.add(["Go `spin(128)`", {"k": "go", "n": "WorkAlone"}])
    md += alone.render()
    t = bl.Table(["work", "workers", "pool", "time per job"], ["---", "---:", "---", "---:"], *table_args)
    chart = OrderedDict()
    for work in works:
        for n in workers:
            section = "work=%s, %d workers" % (work, n)
            rows = chart.setdefault(section, OrderedDict())
            for pool in pools:
                ref = bl.jmh_ref(BENCH, pool=pool, work=work, workers=str(n))
                if t.add([work, str(n), "`%s`" % pool, ref]):
                    rows[pool] = OrderedDict([("java", t.value(ref)[:2])])
            for go_name, label in GO_TWINS:
                ref = {"k": "go", "n": "%s/workers=%d/work=%s" % (go_name, n, work)}
                if t.add([work, str(n), label, ref]):
                    rows[label] = OrderedDict([("go", t.value(ref)[:2])])
    md += t.render()
    md += comparisons(works, workers, table_args)
    subtitle = "ns per job; bars: mean, whiskers: JMH 99.9%% CI (Go: sd)%s" % ((" — " + note) if note else "")
    svg = bl.svg_chart("Worker pools: time per job, 1 submitter", subtitle, chart, series=SERIES,
                       section_label=lambda s: s, keep_order=True, axis_label="ns per job (log scale)")
    svgs = {}
    if svg:
        svgs["pool-perjob.svg"] = svg
        md += ["![Worker pools: time per job](pool-perjob.svg)", ""]
    return md + distributions(results, table_args), svgs


def distributions(results, table_args):
    """Pool_03: the shared queue against per-worker queues, per job, and each divided by shared."""
    entries = [e for e in results if e["benchmark"] == DISTRIBUTION]
    if not entries:
        return []
    names = sorted({e["params"]["distribution"] for e in entries},
                   key=lambda d: DISTRIBUTION_ORDER.index(d) if d in DISTRIBUTION_ORDER else len(DISTRIBUTION_ORDER))
    md = ["### Pool_03_Distribution — 20,000 jobs, 4 workers, shared queue or a queue per worker, per job", "",
          "ns per job, as the submitting thread sees it; `uniform`: every job about 1 us of CPU; `skewed`: one in "
          "20 (fixed random positions) 50 times longer. Lower is better. Run: %s." % bl.run_quality(entries), ""]
    t = bl.Table(["work", "distribution", "time per job", "÷ shared"], ["---", "---", "---:", "---:"], *table_args)
    for work in ("uniform", "skewed"):
        shared = bl.jmh_ref(DISTRIBUTION, distribution="shared", work=work)
        for name in names:
            ref = bl.jmh_ref(DISTRIBUTION, distribution=name, work=work)
            ratio = {"k": "ratio", "a": ref, "b": shared} if name != "shared" else "baseline"
            t.add([work, "`%s`" % name, ref, ratio])
        go_shared = {"k": "go", "n": "Distribution/dist=shared/work=%s" % work}
        for dist, label in (("shared", "Go: one shared channel"),
                            ("roundRobin", "Go: a channel per worker, round-robin")):
            ref = {"k": "go", "n": "Distribution/dist=%s/work=%s" % (dist, work)}
            t.add([work, label, ref, {"k": "ratio", "a": ref, "b": go_shared} if dist != "shared" else "baseline"])
    return md + t.render()


def comparisons(works, workers, table_args):
    ratios = bl.Table(["work", "workers", "gopatterns / other", "ratio (< 1: gopatterns faster)"],
                      ["---", "---:", "---", "---:"], *table_args)
    noise, real, unknown = [], [], []
    for work in works:
        for n in workers:
            a = bl.jmh_ref(BENCH, pool="gopatterns", work=work, workers=str(n))
            others = [("ThreadPoolExecutor:array", bl.jmh_ref(BENCH, pool="ThreadPoolExecutor:array", work=work,
                                                            workers=str(n))),
                      ("Go channel pool", {"k": "go", "n": "ChannelPool/workers=%d/work=%s" % (n, work)})]
            for name, b in others:
                if not ratios.add([work, str(n), "gopatterns / %s" % name, {"k": "ratio", "a": a, "b": b}]):
                    continue
                va, vb = ratios.value(a), ratios.value(b)
                label = "%s, work=%s, %d workers" % (name, work, n)
                o = bl.overlap(va[:2], vb[:2]) if b["k"] == "jmh" else None
                if o is None:
                    unknown.append(label)
                elif o:
                    noise.append(label)
                else:
                    real.append("%s (gopatterns %s)" % (label, "faster" if va[0] < vb[0] else "slower"))
    lines = ratios.render()
    if lines:
        lines += [bl.noise_sentence(noise, real, unknown,
                                    "for a Go row (a standard deviation is not a confidence interval)"), ""]
    return lines
