#!/usr/bin/env python3
"""The batching report: Markdown tables and two SVG charts from JMH's JSON of Batch_01_BatchingVsNone (a Batcher
in front of a backend with a fixed cost per call, against one backend call per item). Rendered by render.py from
the committed result sets, like the resilience report; Python 3 standard library only, on benchlib.py.

There is no Go twin (the Go form is a hand-written goroutine, see docs/batching.md), so go_runs is ignored.

Tables: throughput at 16 and 64 callers, per kind of caller thread, every batching variant in rows, with the
backend calls it took, items per backend call (the mean batch size an item rode in) and the ratio to `none`; then
the time per call with one caller, with the ratio to `none`; then the control, a timed park alone. The charts: items
per second (throughput) and microseconds per call (one caller), one bar per kind of caller thread.
"""

import os
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import benchlib as bl  # noqa: E402

BENCH = "dev.gopatterns.jmh.Batch_01_BatchingVsNone."
BATCHING = ["none", "batcher:1", "batcher:16:100us", "batcher:16:1ms", "batcher:64:100us", "batcher:64:1ms"]
THREADS = ["platform", "virtual"]
CALLERS = [("callers16", "16"), ("callers64", "64")]
SERIES = OrderedDict([
    ("platform", ("platform callers", "#0072B2")),
    ("virtual", ("virtual callers", "#E69F00")),
])


def label(batching):
    if batching == "none":
        return "none: a backend call per item"
    parts = batching.split(":")
    if len(parts) == 2:
        return "`Batcher`, maxSize %s (sent at once)" % parts[1]
    return "`Batcher`, maxSize %s, maxWait %s" % (parts[1], parts[2].replace("us", " µs").replace("ms", " ms"))


def chart_label(batching):
    """The short form for the chart's label column (190 px): "size 16, wait 100 µs"."""
    if batching == "none":
        return "none (a call per item)"
    parts = batching.split(":")
    if len(parts) == 2:
        return "size %s (sent at once)" % parts[1]
    return "size %s, wait %s" % (parts[1], parts[2].replace("us", " µs").replace("ms", " ms"))


def variants(entries):
    seen = {e["params"]["batching"] for e in entries if "batching" in e.get("params", {})}
    return [b for b in BATCHING if b in seen] + sorted(seen - set(BATCHING))


def params(entries, batching):
    """The backend's cost parameters as the run used them (one value each, the class's defaults unless -p)."""
    for e in entries:
        p = e.get("params", {})
        if p.get("batching") == batching:
            return p
    return {}


def render(results, go_runs, note=""):
    """Markdown lines and {svg file name: svg text} for one result set of the batching suite."""
    entries = [e for e in results if e["benchmark"].startswith(BENCH)]
    if not entries:
        return [], {}
    table_args = (bl.index_jmh(results), {})
    names = variants(entries)
    costs = {(p.get("perCall"), p.get("perItem")) for p in (e.get("params", {}) for e in entries) if "perCall" in p}
    if len(costs) != 1:
        raise SystemExit("batching: one perCall/perItem pair per result set, found %s" % sorted(costs))
    per_call, per_item = costs.pop()

    def ref(method, batching, threads):
        return bl.jmh_ref(BENCH + method, batching=batching, perCall=per_call, perItem=per_item, threads=threads)

    md, svgs = [], {}
    quality = bl.run_quality(entries)
    subtitle_note = (" — " + note) if note else ""

    # Throughput.
    md += ["### Batch_01_BatchingVsNone — throughput with 16 and 64 callers", "",
           "Items per second (higher is better), each caller calling in a loop; the backend costs %s + %s × items "
           "tokens of `Blackhole.consumeCPU` per call. \"items per backend call\" is the mean size of the batch an "
           "item rode in; \"× none\" is the row's items per second divided by `none`'s with the same callers. "
           "Run: %s." % (per_call, per_item, quality), ""]
    t = bl.Table(["callers", "threads", "batching", "items per second", "backend calls per second",
                  "items per backend call", "× none"], ["---:", "---", "---", "---:", "---:", "---:", "---:"],
                 *table_args)
    chart = OrderedDict()
    for method, n in CALLERS:
        section = chart.setdefault("%s callers: items per second" % n, OrderedDict())
        for threads in THREADS:
            base = ref(method, "none", threads)
            for b in names:
                r = ref(method, b, threads)
                calls = dict(r, m="backendCalls")
                # One item per call by construction (no batcher, or maxSize 1): a ratio would only print noise.
                per_call_cell = "1" if b in ("none", "batcher:1") else {"k": "ratio", "a": r, "b": calls}
                vs_none = {"k": "ratio", "a": r, "b": base} if b != "none" else "baseline"
                if t.add([n, threads, label(b), r, calls, per_call_cell, vs_none]):
                    section.setdefault(chart_label(b), OrderedDict())[threads] = t.value(r)[:2]
    md += t.render()
    svg = bl.svg_chart("Batcher against a call per item: throughput",
                       "items per second, higher is better; bars: mean, whiskers: JMH 99.9%% CI%s" % subtitle_note,
                       chart, series=SERIES, section_label=lambda s: s, keep_order=True,
                       axis_label="items per second (log scale)", unit="/s", axis_fmt=fmt_rate)
    if svg:
        svgs["batching-throughput.svg"] = svg
        md += ["![Batcher against a call per item: throughput](batching-throughput.svg)", ""]

    # Latency with one caller.
    md += ["### Batch_01_BatchingVsNone — time per call with one caller", "",
           "Microseconds per call (lower is better): one caller, so a batch never holds more than its one item and, "
           "unless maxSize is 1, is sent when its maxWait is up. Run: %s." % quality, ""]
    t = bl.Table(["threads", "batching", "time per call", "× none"], ["---", "---", "---:", "---:"], *table_args)
    chart = OrderedDict()
    section = chart.setdefault("1 caller: time per call", OrderedDict())
    for threads in THREADS:
        base = ref("oneCaller", "none", threads)
        for b in names:
            r = ref("oneCaller", b, threads)
            if t.add([threads, label(b), r, {"k": "ratio", "a": r, "b": base} if b != "none" else "baseline"]):
                section.setdefault(chart_label(b), OrderedDict())[threads] = t.value(r)[:2]
    md += t.render()
    control = bl.Table(["the control: `LockSupport.parkNanos` alone, on JMH's (platform) thread", "time"],
                       ["---", "---:"], *table_args)
    for wait in ("100us", "1ms"):
        control.add(["`parkNanos(%s)`" % wait.replace("us", " µs").replace("ms", " ms"),
                     bl.jmh_ref(BENCH + "parkNanos", wait=wait)])
    md += control.render()
    svg = bl.svg_chart("Batcher against a call per item: latency, 1 caller",
                       "µs per call, lower is better; bars: mean, whiskers: JMH 99.9%% CI%s" % subtitle_note,
                       chart, series=SERIES, section_label=lambda s: s, keep_order=True,
                       axis_label="µs per call (log scale)", unit="µs", axis_fmt=fmt_us)
    if svg:
        svgs["batching-latency.svg"] = svg
        md += ["![Batcher against a call per item: latency with one caller](batching-latency.svg)", ""]
    return md, svgs


def fmt_rate(v):
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if v >= scale:
            return "%g%s/s" % (v / scale, unit)
    return "%g/s" % v


def fmt_us(v):
    if v >= 1000:
        return "%g ms" % (v / 1000)
    return "%g µs" % v
