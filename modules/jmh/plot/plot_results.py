#!/usr/bin/env python3
"""Turns JMH's JSON results (and, optionally, `go test -bench` output) into a Markdown table and SVG bar charts.

Dependency-free: Python 3.8+ standard library only; the SVG is written by hand.

    python3 modules/jmh/plot/plot_results.py                       # defaults below
    python3 modules/jmh/plot/plot_results.py --input target/jmh-result.json --go go-bench.txt \
        --out-dir docs/benchmarks

Writes into --out-dir:
    channels-results.md       one table per benchmark, ns/op +- the 99.9% error JMH reports (or to --markdown)
    channels-pingpong.svg     grouped horizontal bars for Channels_01_PingPong (log scale)
    channels-throughput.svg   the same for Channels_02_Throughput

It reads the benchmarks' parameters as they are declared: `channel` is "name:capacity" and `threads` is
"platform" or "virtual"; a @Group benchmark has no `threads` and runs on JMH's own platform threads.
"""

import argparse
import html
import json
import math
import os
import re
import statistics
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))

# The order the implementations are listed in, within one capacity.
IMPL_ORDER = ["gopatterns", "jox", "SynchronousQueue", "LinkedTransferQueue", "ArrayBlockingQueue", "Go chan"]

# Series (bar colours), in legend order. Colour-blind-safe Okabe-Ito colours.
SERIES = OrderedDict([
    ("platform", ("platform threads", "#0072B2")),
    ("virtual", ("virtual threads", "#E69F00")),
    ("go", ("Go goroutines", "#009E73")),
])

# Which benchmark becomes which chart, and what its unit of work is called.
CHARTS = OrderedDict([
    ("Channels_01_PingPong", ("channels-pingpong.svg", "Ping-pong: one round trip (two hand-offs)", "PingPong")),
    ("Channels_02_Throughput", ("channels-throughput.svg", "Throughput: one value, 1 producer → 1 consumer",
                                "Throughput")),
])

GO_LINE = re.compile(r"^Benchmark(?P<name>\w+)/cap=(?P<cap>\d+)(?:-\d+)?\s+\d+\s+(?P<ns>[\d.]+) ns/op")


# ------------------------------------------------------------------------------------------------------ reading

def number(x):
    """JMH writes NaN (a single measurement has no error) as the string "NaN"."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return v


def split_channel(spec):
    name, _, cap = spec.rpartition(":")
    return (name, int(cap)) if name and cap.isdigit() else (spec, -1)


def capacity_label(cap):
    return "unbuffered (capacity 0)" if cap == 0 else "buffered, capacity %d" % cap


def impl_rank(name):
    return IMPL_ORDER.index(name) if name in IMPL_ORDER else len(IMPL_ORDER)


def short_name(benchmark):
    """dev.gopatterns.jmh.Channels_01_PingPong.roundTrip -> (Channels_01_PingPong, roundTrip)."""
    parts = benchmark.split(".")
    return parts[-2], parts[-1]


def read_jmh(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_go(path):
    """Returns {(GoName, capacity): [ns/op, ...]} from `go test -bench` output (several runs with -count)."""
    runs = OrderedDict()
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = GO_LINE.match(line.strip())
            if m:
                runs.setdefault((m.group("name"), int(m.group("cap"))), []).append(float(m.group("ns")))
    return runs


def go_info(path):
    """The goos/goarch/cpu and `go version` lines `go test` and the run script put in the file."""
    info = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(("go version", "goos:", "goarch:", "cpu:")):
                info.append(line.strip())
    return info


# -------------------------------------------------------------------------------------------------- formatting

def fmt_ns(v):
    if math.isnan(v):
        return "n/a"
    if v >= 100:
        return "{:,.0f}".format(v)
    if v >= 10:
        return "{:.1f}".format(v)
    return "{:.2f}".format(v)


def fmt_score(score, error):
    if math.isnan(error):
        return fmt_ns(score)
    return "%s ± %s" % (fmt_ns(score), fmt_ns(error))


def fmt_axis(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            v = ns / scale
            return ("%g %s" % (v, unit))
    return "%g ns" % ns


def run_quality(entries):
    """forks x (warmup) x (measurement), as JMH recorded it, e.g. '2 forks x (5 x 1 s warm-up + 5 x 1 s)'."""
    e = entries[0]
    return "%d fork%s × (%d × %s warm-up + %d × %s measurement)" % (
        e["forks"], "" if e["forks"] == 1 else "s", e["warmupIterations"], e["warmupTime"],
        e["measurementIterations"], e["measurementTime"])


# ------------------------------------------------------------------------------------------------------ tables

def rows_for(entries, go_runs, go_name):
    """{capacity: {impl: {series: (score, error)}}} for one two-thread benchmark, Go folded in."""
    rows = {}
    for e in entries:
        name, cap = split_channel(e["params"]["channel"])
        series = e["params"].get("threads", "platform")
        pm = e["primaryMetric"]
        rows.setdefault(cap, {}).setdefault(name, {})[series] = (number(pm["score"]), number(pm["scoreError"]))
    for (gname, cap), values in go_runs.items():
        if gname == go_name:
            err = statistics.stdev(values) if len(values) > 1 else float("nan")
            rows.setdefault(cap, {}).setdefault("Go chan", {})["go"] = (statistics.mean(values), err)
    return rows


def table_two_threads(title, entries, go_runs, go_name, unit_text):
    rows = rows_for(entries, go_runs, go_name)
    has_go = any("go" in s for c in rows.values() for s in c.values())
    out = ["### %s" % title, ""]
    if entries:
        out += ["%s. Run: %s. Lower is better." % (unit_text, run_quality(entries)), ""]
    head = ["channel", "capacity", "platform threads", "virtual threads"] + (["Go goroutines"] if has_go else [])
    out.append("| " + " | ".join(head) + " |")
    out.append("| --- | ---: | ---: | ---: |" + (" ---: |" if has_go else ""))
    for cap in sorted(rows):
        for name in sorted(rows[cap], key=impl_rank):
            s = rows[cap][name]
            cells = [("`%s`" % name) if name != "Go chan" else "Go `chan`", str(cap)]
            for key in ["platform", "virtual"] + (["go"] if has_go else []):
                cells.append(fmt_score(*s[key]) if key in s else "—")
            out.append("| " + " | ".join(cells) + " |")
    out.append("")
    return "\n".join(out), rows


def table_group(title, entries):
    out = ["### %s" % title, ""]
    out += ["ns per call on JMH's own platform threads, one sender and one receiver. Run: %s. Lower is better."
            % run_quality(entries), ""]
    out.append("| channel | capacity | send | receive | mean of the two |")
    out.append("| --- | ---: | ---: | ---: | ---: |")
    keyed = []
    for e in entries:
        name, cap = split_channel(e["params"]["channel"])
        keyed.append((cap, impl_rank(name), name, e))
    for cap, _, name, e in sorted(keyed, key=lambda k: k[:2]):
        sm = e.get("secondaryMetrics", {})
        cells = ["`%s`" % name, str(cap)]
        for key in ("send", "receive"):
            m = sm.get(key)
            cells.append(fmt_score(number(m["score"]), number(m["scoreError"])) if m else "—")
        pm = e["primaryMetric"]
        cells.append(fmt_score(number(pm["score"]), number(pm["scoreError"])))
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    return "\n".join(out)


# -------------------------------------------------------------------------------------------------------- SVG

def esc(s):
    return html.escape(str(s), quote=True)


def svg_chart(title, subtitle, rows, series=None, section_label=capacity_label, keep_order=False):
    """Horizontal grouped bars on a log-10 axis: one row per implementation, one bar per series in it.

    rows is {section: {row label: {series key: (score, error)}}}. The defaults are the channel charts': sections are
    capacities, sorted, and labelled by capacity_label; rows are sorted by IMPL_ORDER; series are SERIES. Other
    reports (plot_sync.py) pass their own series (an OrderedDict key -> (legend text, colour)), a section_label
    function, and keep_order=True to draw sections and rows in the order the dicts hold them.
    """
    series_def = SERIES if series is None else series

    def sections():
        return list(rows) if keep_order else sorted(rows)

    def row_names(section):
        return list(rows[section]) if keep_order else sorted(rows[section], key=impl_rank)

    values = [v[0] for c in rows.values() for s in c.values() for v in s.values() if v[0] > 0 and not math.isnan(v[0])]
    if not values:
        return None
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    if hi <= lo:
        hi = lo * 10

    label_w, plot_w, value_w = 190, 560, 120
    left, width = label_w + 10, label_w + 10 + plot_w + value_w
    bar_h, bar_gap, row_gap, section_h = 13, 2, 10, 26
    top = 78

    def x_of(v):
        return left + plot_w * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    body, y = [], top
    for cap in sections():
        body.append('<text x="8" y="%d" class="section">%s</text>' % (y + 16, esc(section_label(cap))))
        body.append('<line x1="8" x2="%d" y1="%d" y2="%d" class="rule"/>' % (width - 8, y + 21, y + 21))
        y += section_h
        for name in row_names(cap):
            series = [k for k in series_def if k in rows[cap][name]]
            row_h = len(series) * (bar_h + bar_gap) - bar_gap
            body.append('<text x="%d" y="%d" class="label">%s</text>' % (label_w, y + row_h / 2 + 4, esc(name)))
            for key in series:
                score, error = rows[cap][name][key]
                colour = series_def[key][1]
                if score > 0 and not math.isnan(score):
                    x1 = x_of(score)
                    body.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s, %s: %s ns</title>'
                                '</rect>' % (left, y, max(x1 - left, 1), bar_h, colour, esc(name),
                                             esc(series_def[key][0]), esc(fmt_score(score, error))))
                    if not math.isnan(error) and error > 0:
                        a, b = max(score - error, lo), score + error
                        body.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" class="err"/>'
                                    % (x_of(a), x_of(b), y + bar_h / 2, y + bar_h / 2))
                    body.append('<text x="%.1f" y="%d" class="value">%s</text>'
                                % (max(x1, x_of(score + (error if not math.isnan(error) else 0))) + 4, y + bar_h - 2,
                                   esc(fmt_ns(score) + " ns")))
                y += bar_h + bar_gap
            y += row_gap - bar_gap
    bottom = y + 4

    grid = []
    decade = lo
    while decade <= hi * 1.0001:
        for m in (1, 2, 5):
            v = decade * m
            if v > hi * 1.0001:
                break
            cls = "grid" if m == 1 else "minor"
            grid.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" class="%s"/>' % (x_of(v), x_of(v), top, bottom, cls))
            if m == 1:
                grid.append('<text x="%.1f" y="%d" class="axis">%s</text>' % (x_of(v), bottom + 16, esc(fmt_axis(v))))
        decade *= 10

    legend, lx = [], left
    present = [k for k in series_def if any(k in s for c in rows.values() for s in c.values())]
    for key in present:
        text, colour = series_def[key]
        legend.append('<rect x="%d" y="48" width="12" height="12" fill="%s"/>' % (lx, colour))
        legend.append('<text x="%d" y="58" class="legend">%s</text>' % (lx + 17, esc(text)))
        lx += 30 + 7 * len(text)

    height = bottom + 30
    return "\n".join([
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
        'font-family="Helvetica, Arial, sans-serif">' % (width, height, width, height),
        "<style>",
        ".title{font-size:16px;font-weight:bold;fill:#222}.sub{font-size:12px;fill:#555}",
        ".section{font-size:13px;font-weight:bold;fill:#333}.rule{stroke:#bbb;stroke-width:1}",
        ".label{font-size:12px;fill:#222;text-anchor:end}.value{font-size:11px;fill:#333}",
        ".axis{font-size:11px;fill:#555;text-anchor:middle}.legend{font-size:12px;fill:#222}",
        ".grid{stroke:#ccc;stroke-width:1}.minor{stroke:#eee;stroke-width:1}.err{stroke:#222;stroke-width:1}",
        "</style>",
        '<rect width="100%" height="100%" fill="white"/>',
        '<text x="8" y="22" class="title">%s</text>' % esc(title),
        '<text x="8" y="40" class="sub">%s</text>' % esc(subtitle),
    ] + legend + grid + body + ["</svg>", ""])


# -------------------------------------------------------------------------------------------------------- main

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--input", default=os.path.join(REPO, "modules", "jmh", "target", "jmh-result.json"),
                   help="JMH result file (-rf json)")
    p.add_argument("--go", help="output of `go test -bench` for the Go twin (optional)")
    p.add_argument("--out-dir", default=os.path.join(REPO, "docs", "benchmarks"))
    p.add_argument("--markdown", help="where to write the tables (default: OUT_DIR/channels-results.md); the SVGs "
                   "are linked by file name, so the Markdown belongs in OUT_DIR or is inlined into a file there")
    p.add_argument("--note", default="", help="text added under each chart's title, e.g. 'SMOKE RUN'")
    args = p.parse_args(argv)

    results = read_jmh(args.input)
    if not results:
        sys.exit("no results in %s" % args.input)
    go_runs = read_go(args.go) if args.go and os.path.exists(args.go) else {}

    by_bench = OrderedDict()
    for e in results:
        cls, method = short_name(e["benchmark"])
        by_bench.setdefault((cls, method), []).append(e)

    os.makedirs(args.out_dir, exist_ok=True)
    md, written = [], []
    for cls, (svg_name, title, go_name) in CHARTS.items():
        entries = [e for (c, _), es in by_bench.items() if c == cls for e in es]
        if not entries and not any(g == go_name for g, _ in go_runs):
            continue
        unit = "ns per round trip" if "PingPong" in cls else "ns per value"
        text, rows = table_two_threads("%s — %s" % (cls, title), entries, go_runs, go_name, unit)
        md.append(text)
        subtitle = "%s, log scale, lower is better; whiskers: JMH 99.9%% error, Go standard deviation" % unit
        if args.note:
            subtitle += " — " + args.note
        svg = svg_chart(title, subtitle, rows)
        if svg:
            path = os.path.join(args.out_dir, svg_name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(svg)
            written.append(path)
            md.append("![%s](%s)\n" % (title, svg_name))
    for (cls, method), entries in by_bench.items():
        if cls not in CHARTS:
            if "params" in entries[0] and "threads" not in entries[0]["params"] and "secondaryMetrics" in entries[0]:
                md.append(table_group("%s.%s — @Group send/receive" % (cls, method), entries))
            else:
                md.append("### %s.%s\n\n(no table layout for this benchmark; see the JSON)\n" % (cls, method))

    e = results[0]
    header = ["<!-- generated by modules/jmh/plot/plot_results.py from %s; do not edit by hand -->" %
              os.path.relpath(args.input, REPO),
              "",
              "JMH %s on %s %s (%s)." % (e.get("jmhVersion", "?"), e.get("vmName", "?"), e.get("vmVersion", "?"),
                                         e.get("jdkVersion", "?")),
              ""]
    if go_runs:
        header += ["Go: %s." % "; ".join(go_info(args.go)), ""]
    path = args.markdown or os.path.join(args.out_dir, "channels-results.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(header + md))
    written.append(path)
    for w in written:
        print("wrote", os.path.relpath(w, os.getcwd()))


if __name__ == "__main__":
    main()
