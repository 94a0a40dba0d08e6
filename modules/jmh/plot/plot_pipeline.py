#!/usr/bin/env python3
"""The pipeline report: Markdown tables and an SVG chart from JMH's JSON (and the Go twin's `go test -bench`
output) of the Pipeline_ benchmarks. Rendered by render.py from the committed result sets, like the pool report;
Python 3 standard library only, on benchlib.py.

One table per benchmark: every variant in its @Param order, its time per item, the Go twin it is read against
(go/pipeline/pipeline_test.go), the twin's time per item, and Java divided by Go. The chart has one section per
benchmark, a Java bar per variant and a Go bar per twin.

A new variant (for example the typed Pipeline API's `pipelineApi:0`) shows up as soon as its results exist; give it
a label and a twin in VARIANTS to place it and pair it with Go, or it is listed after the known ones, unpaired.
"""

import os
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import benchlib as bl  # noqa: E402

PKG = "dev.gopatterns.jmh."
SERIES = OrderedDict([
    ("java", ("Java", "#0072B2")),
    ("go", ("Go goroutines", "#009E73")),
])

# benchmark method -> (heading, what one op is, [(variant, label, Go twin sub-benchmark or None)], {twin: label})
BENCHMARKS = OrderedDict([
    (PKG + "Pipeline_01_GenSquareSum.genSquareSum", (
        "Pipeline_01_GenSquareSum — gen → square → sum, 16,384 numbers, per number",
        "ns per number through three stages (two hand-offs, each a select with the cancellation token); the "
        "streams are the floor without channels",
        [("gopatterns:0", "`gopatterns:0` (hand-written stages, core channels)", "GenSquareSum/buf=0"),
         ("gopatterns:64", "`gopatterns:64`", "GenSquareSum/buf=64"),
         ("pipeline:0", "`pipeline:0` (the typed Pipeline API)", "GenSquareSum/buf=0"),
         ("pipeline:64", "`pipeline:64`", "GenSquareSum/buf=64"),
         ("jox:0", "`jox:0` (the same stages on jox channels)", "GenSquareSum/buf=0"),
         ("jox:64", "`jox:64`", "GenSquareSum/buf=64"),
         ("stream", "`LongStream` sequential", None),
         ("parallelStream", "`LongStream` parallel (common pool)", None)],
        OrderedDict([("GenSquareSum/buf=0", "Go: gen → sq → sum, unbuffered"),
                     ("GenSquareSum/buf=64", "Go: gen → sq → sum, buffers of 64")]))),
    (PKG + "Pipeline_02_ParallelMap.parallelMap", (
        "Pipeline_02_ParallelMap — a map of about 1 µs per item at parallelism 4, 8,192 items, per item",
        "ns per item, source to consumer; on 2 cores the ideal is half of `sequential`",
        [("fanOut", "`FanOut.fanOut` (unordered)", "ParallelMap/impl=unordered"),
         ("mergeSequenced", "`FanOut.workers` + `Sequenced` + `FanIn.mergeSequenced` (ordered)",
          "ParallelMap/impl=ordered"),
         ("channelOfChannels", "channel of channels, core channels (ordered)", "ParallelMap/impl=ordered"),
         ("pipeline:unordered", "Pipeline `mapUnordered(4, f)`", "ParallelMap/impl=unordered"),
         ("pipeline:ordered", "Pipeline `mapOrdered(4, f)`", "ParallelMap/impl=ordered"),
         ("parallelStream:unordered", "parallel stream `unordered().map().sum()`, ForkJoinPool(4)",
          "ParallelMap/impl=unordered"),
         ("parallelStream:ordered", "parallel stream `map().forEachOrdered()`, ForkJoinPool(4)",
          "ParallelMap/impl=ordered"),
         ("sequential", "sequential loop (the work alone)", "ParallelMap/impl=sequential")],
        OrderedDict([("ParallelMap/impl=unordered", "Go: 4 workers, one output (unordered)"),
                     ("ParallelMap/impl=ordered", "Go: channel of channels (ordered)"),
                     ("ParallelMap/impl=sequential", "Go: sequential loop")]))),
    (PKG + "Pipeline_03_Merge4.merge4", (
        "Pipeline_03_Merge4 — 4 producers merged into 1 consumer, 16,384 values, per value",
        "ns per value received; N is the capacity of the producers' channels",
        [("merge:0", "`FanIn.merge`, inputs unbuffered", "Merge4/impl=merge/buf=0"),
         ("merge:64", "`FanIn.merge`, inputs of 64", "Merge4/impl=merge/buf=64"),
         ("select:0", "select loop, core channels, unbuffered", "Merge4/impl=select/buf=0"),
         ("select:64", "select loop, core channels of 64", "Merge4/impl=select/buf=64"),
         ("jox:0", "select loop, jox channels, unbuffered", "Merge4/impl=select/buf=0"),
         ("jox:64", "select loop, jox channels of 64", "Merge4/impl=select/buf=64")],
        OrderedDict([("Merge4/impl=merge/buf=0", "Go: merge, unbuffered"),
                     ("Merge4/impl=merge/buf=64", "Go: merge, inputs of 64"),
                     ("Merge4/impl=select/buf=0", "Go: select loop, unbuffered"),
                     ("Merge4/impl=select/buf=64", "Go: select loop, inputs of 64")]))),
    (PKG + "Pipeline_04_FanOutFanIn.fanOutFanIn", (
        "Pipeline_04_FanOutFanIn — 1 → 4 workers → 1, trivial work, 16,384 values, per value",
        "ns per value, source to consumer: the fan-out/fan-in machinery alone",
        [("fanOut", "`FanOut.fanOut` (one stage)", "FanOutFanIn/buf=0"),
         ("workers+merge", "`FanOut.workers` + `FanIn.merge`", "FanOutFanIn/buf=0"),
         ("gopatterns:0", "hand-written, core channels, unbuffered", "FanOutFanIn/buf=0"),
         ("gopatterns:64", "hand-written, core channels of 64", "FanOutFanIn/buf=64"),
         ("jox:0", "hand-written, jox channels, unbuffered", "FanOutFanIn/buf=0"),
         ("jox:64", "hand-written, jox channels of 64", "FanOutFanIn/buf=64"),
         ("parallelStream", "parallel stream `mapToObj().forEach()`, ForkJoinPool(4)", None)],
        OrderedDict([("FanOutFanIn/buf=0", "Go: 1 → 4 → 1, unbuffered"),
                     ("FanOutFanIn/buf=64", "Go: 1 → 4 → 1, buffers of 64")]))),
])


def chart_label(twin):
    """A Go twin's short name for the chart's label column: Merge4/impl=merge/buf=0 -> 'Go: merge, buf=0'."""
    return "Go: " + ", ".join(part.replace("impl=", "") for part in twin.split("/")[1:])


def render(results, go_runs, note=""):
    """Markdown lines and {svg file name: svg text} for one result set of the pipeline suite."""
    table_args = (bl.index_jmh(results), go_runs)
    md, chart = [], OrderedDict()
    for bench, (heading, unit, known, twins) in BENCHMARKS.items():
        entries = [e for e in results if e["benchmark"] == bench]
        if not entries:
            continue
        present = [e["params"]["variant"] for e in entries]
        rows = [r for r in known if r[0] in present] + \
               [(v, "`%s`" % v, None) for v in present if v not in [k[0] for k in known]]
        md += ["### " + heading, "", "%s; lower is better. Run: %s." % (unit, bl.run_quality(entries)), ""]
        t = bl.Table(["variant", "time per item", "Go twin", "Go time per item", "Java ÷ Go"],
                     ["---", "---:", "---", "---:", "---:"], *table_args)
        section = chart.setdefault(heading.split(" — ")[0], OrderedDict())
        for variant, label, twin in rows:
            ref = bl.jmh_ref(bench, variant=variant)
            if twin:
                go = {"k": "go", "n": twin}
                cells = [label, ref, twins[twin], go, {"k": "ratio", "a": ref, "b": go}]
            else:
                cells = [label, ref, "none", "—", "—"]
            if t.add(cells):
                section[variant] = OrderedDict([("java", t.value(ref)[:2])])
        for twin in twins:
            v = t.value({"k": "go", "n": twin})
            if v:
                section[chart_label(twin)] = OrderedDict([("go", v[:2])])
        md += t.render()
    subtitle = "ns per item; bars: mean, whiskers: JMH 99.9%% CI (Go: sd)%s" % ((" — " + note) if note else "")
    svg = bl.svg_chart("Pipelines, fan-out and fan-in: time per item", subtitle, chart, series=SERIES,
                       section_label=lambda s: s, keep_order=True, axis_label="ns per item (log scale)")
    svgs = {}
    if svg:
        svgs["pipeline.svg"] = svg
        md += ["![Pipelines: time per item](pipeline.svg)", ""]
    return md, svgs
