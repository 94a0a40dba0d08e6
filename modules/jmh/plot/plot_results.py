#!/usr/bin/env python3
"""The channel report: Markdown tables and SVG bar charts from JMH's JSON (and, optionally, the Go twin's
`go test -bench` output) of the Channels_ benchmarks.

Python 3 standard library only; the shared reading, formatting and SVG code is in benchlib.py.

    python3 modules/jmh/plot/render.py                  # every report, from the committed results (the usual way)
    python3 modules/jmh/plot/plot_results.py --input modules/jmh/target/bench-smoke/channels.json \
        [--go GO.txt] --out-dir DIR                     # one ad-hoc result file -> DIR/channels-results.md + SVGs

Tables: one per benchmark, every cell `mean ± error unit` (JMH's 99.9% confidence half-interval; for Go the
standard deviation over -count runs), each preceded by the cell map the consistency test checks. Under each table,
gopatterns divided by every other implementation on the same capacity and kind of thread, and one sentence saying
which of those differences are within noise (the two confidence intervals overlap) and which are not.

Charts (--out-dir): channels-pingpong.svg, channels-throughput.svg, channels-fanout.svg, channels-pipeline.svg,
channels-select.svg, channels-group.svg.
"""

import argparse
import json
import math
import os
import sys
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts in the source tree
import benchlib as bl  # noqa: E402

PKG = "dev.gopatterns.jmh."

# benchmark (class.method) -> (svg, title, what one op is, Go twin's name or None)
TWO_THREAD_KINDS = OrderedDict([
    ("Channels_01_PingPong.roundTrip", ("channels-pingpong.svg", "Ping-pong: one round trip (two hand-offs)",
                                        "ns per round trip", "PingPong")),
    ("Channels_02_Throughput.transfer", ("channels-throughput.svg", "Throughput: one value, 1 producer → 1 consumer",
                                         "ns per value", "Throughput")),
    ("Channels_04_FanOut.fanOutFanIn", ("channels-fanout.svg", "Fan-out: one value, 1 producer → 4 workers → 1 collector",
                                        "ns per value (two hand-offs)", "FanOut")),
    ("Channels_05_Pipeline.pipeline", ("channels-pipeline.svg", "Pipeline: one value through 3 stages (2 channels)",
                                       "ns per value (two hand-offs)", "Pipeline")),
    ("Channels_06_SelectMerge.selectMerge", ("channels-select.svg", "Select merge: 2 producers, 1 consumer selecting",
                                             "ns per value received by the select", "SelectMerge")),
])
GROUP = "Channels_03_ProducerConsumerGroup"


def specs_of(results, benchmark):
    """The channel specs a benchmark ran with, ordered by capacity and then IMPL_ORDER."""
    specs = {e["params"]["channel"] for e in results if e["benchmark"] == PKG + benchmark and "params" in e}
    return sorted(specs, key=lambda s: (bl.split_channel(s)[1], bl.impl_rank(bl.split_channel(s)[0])))


def comparisons(results, benchmark, table_args):
    """The ratio table and the noise sentence: gopatterns / X for every X on the same capacity and threads."""
    ratios = bl.Table(["capacity", "threads", "gopatterns / other", "ratio (< 1: gopatterns faster)"],
                      ["---:", "---", "---", "---:"], *table_args)
    noise, real, unknown = [], [], []
    specs = specs_of(results, benchmark)
    for cap in sorted({bl.split_channel(s)[1] for s in specs}):
        mine = "gopatterns:%d" % cap
        if mine not in specs:
            continue
        for threads in ("platform", "virtual"):
            a = bl.jmh_ref(PKG + benchmark, channel=mine, threads=threads)
            for other in specs:
                name, c = bl.split_channel(other)
                if c != cap or name == "gopatterns":
                    continue
                b = bl.jmh_ref(PKG + benchmark, channel=other, threads=threads)
                if not ratios.add([str(cap), threads, "gopatterns / %s" % name, {"k": "ratio", "a": a, "b": b}]):
                    continue
                va, vb = ratios.value(a), ratios.value(b)
                label = "%s on %s threads, capacity %d" % (name, threads, cap)
                o = bl.overlap(va[:2], vb[:2])
                if o is None:
                    unknown.append(label)
                elif o:
                    noise.append(label)
                else:
                    real.append("%s (gopatterns %s)" % (label, "faster" if va[0] < vb[0] else "slower"))
    lines = ratios.render()
    if lines:
        lines += [bl.noise_sentence(noise, real, unknown), ""]
    return lines


def two_thread_section(results, go_runs, benchmark, svg, title, unit, go_name, table_args, note):
    specs = specs_of(results, benchmark)
    if not specs:
        return [], None
    t = bl.Table(["channel", "platform threads", "virtual threads", "Go goroutines (mean ± sd)"],
                 ["---", "---:", "---:", "---:"], *table_args)
    chart = OrderedDict()
    for spec in specs:
        name, cap = bl.split_channel(spec)
        refs = [bl.jmh_ref(PKG + benchmark, channel=spec, threads=k) for k in ("platform", "virtual")]
        t.add(["`%s`" % spec] + refs + ["—"])
        chart.setdefault(cap, OrderedDict())[name] = OrderedDict(
            (k, t.value(r)[:2]) for k, r in zip(("platform", "virtual"), refs) if t.value(r))
    caps = sorted({bl.split_channel(s)[1] for s in specs})
    for cap in caps:
        ref = {"k": "go", "n": "%s/cap=%d" % (go_name, cap)}
        if t.add(["Go `chan`:%d" % cap, "—", "—", ref]):
            chart[cap]["Go chan"] = OrderedDict([("go", t.value(ref)[:2])])
    e = next(x for x in results if x["benchmark"] == PKG + benchmark)
    out = ["### %s — %s" % (benchmark.split(".")[0], title), "",
           "%s; lower is better. Run: %s." % (unit, bl.run_quality([e])), ""]
    out += t.render()
    out += comparisons(results, benchmark, table_args)
    subtitle = "%s; bars: mean, whiskers: JMH 99.9%% CI (Go: sd)%s" % (unit, (" — " + note) if note else "")
    svg_text = bl.svg_chart(title, subtitle, chart, axis_label=unit + " (log scale)")
    if svg_text:
        out += ["![%s](%s)" % (title, svg), ""]
    return out, svg_text


def group_section(results, table_args, note):
    bench = PKG + GROUP
    specs = sorted({e["params"]["channel"] for e in results if e["benchmark"].startswith(bench + ".")},
                   key=lambda s: (bl.split_channel(s)[1], bl.impl_rank(bl.split_channel(s)[0])))
    if not specs:
        return [], None
    t = bl.Table(["channel", "platform: send", "platform: receive", "virtual: send", "virtual: receive",
                  "virtual: JMH group / ThreadPair (Channels_02)"],
                 ["---", "---:", "---:", "---:", "---:", "---:"], *table_args)
    chart = OrderedDict()
    for spec in specs:
        cells = ["`%s`" % spec,
                 bl.jmh_ref(bench + ".handoff", "send", channel=spec),
                 bl.jmh_ref(bench + ".handoff", "receive", channel=spec),
                 bl.jmh_ref(bench + ".handoffVirtual", "sendVirtual", channel=spec),
                 bl.jmh_ref(bench + ".handoffVirtual", "receiveVirtual", channel=spec),
                 {"k": "ratio", "a": bl.jmh_ref(bench + ".handoffVirtual", channel=spec),
                  "b": bl.jmh_ref(PKG + "Channels_02_Throughput.transfer", channel=spec, threads="virtual")}]
        t.add(cells)
        name, cap = bl.split_channel(spec)
        row = OrderedDict()
        for k, method in (("platform", "handoff"), ("virtual", "handoffVirtual")):
            v = t.value(bl.jmh_ref(bench + "." + method, channel=spec))
            if v:
                row[k] = v[:2]
        chart.setdefault(cap, OrderedDict())[name] = row
    e = next(x for x in results if x["benchmark"].startswith(bench + "."))
    out = ["### %s — `@Group` send/receive on JMH's own threads" % GROUP, "",
           "ns per call; one sender and one receiver; `handoff` on JMH's platform threads, `handoffVirtual` in "
           "forks with `-Djmh.executor=VIRTUAL`, where JMH's worker threads are virtual threads. The last column "
           "divides the virtual group's mean by `Channels_02_Throughput`'s virtual row of the same channel "
           "(ThreadPair's harness): near 1 with overlapping intervals, the two harnesses agree. Run: %s." %
           bl.run_quality([e]), ""]
    out += t.render()
    title = "@Group send/receive: JMH platform vs JMH virtual threads"
    svg_text = bl.svg_chart(title, "ns per call (mean of send and receive); whiskers: JMH 99.9%% CI%s" %
                            ((" — " + note) if note else ""), chart,
                            series=OrderedDict([("platform", ("JMH platform threads", "#0072B2")),
                                                ("virtual", ("JMH virtual threads (jmh.executor=VIRTUAL)", "#E69F00"))]),
                            axis_label="ns per call (log scale)")
    if svg_text:
        out += ["![%s](channels-group.svg)" % title, ""]
    return out, svg_text


def render(results, go_runs, note=""):
    """Markdown lines and {svg file name: svg text} for one result set of the channel suite."""
    table_args = (bl.index_jmh(results), go_runs)
    md, svgs = [], {}
    for bench, (svg, title, unit, go_name) in TWO_THREAD_KINDS.items():
        lines, svg_text = two_thread_section(results, go_runs, bench, svg, title, unit, go_name, table_args, note)
        md += lines
        if svg_text:
            svgs[svg] = svg_text
    lines, svg_text = group_section(results, table_args, note)
    md += lines
    if svg_text:
        svgs["channels-group.svg"] = svg_text
    return md, svgs


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--input", required=True, help="JMH result file (-rf json)")
    p.add_argument("--go", help="output of `go test -bench` for the Go twin (optional)")
    p.add_argument("--out-dir", required=True)
    p.add_argument("--note", default="", help="text added under each chart's title, e.g. 'SMOKE RUN'")
    args = p.parse_args(argv)
    results = bl.read_jmh(args.input)
    md, svgs = render(results, bl.read_go_all(args.go), args.note)
    os.makedirs(args.out_dir, exist_ok=True)
    for name, text in svgs.items():
        with open(os.path.join(args.out_dir, name), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(args.out_dir, "channels-results.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md))
    print("wrote %s/channels-results.md and %d charts" % (args.out_dir, len(svgs)))


if __name__ == "__main__":
    main()
