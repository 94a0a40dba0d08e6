#!/usr/bin/env python3
"""What every benchmark report shares: reading JMH's JSON and `go test -bench` output, formatting `mean ± error`,
judging whether two confidence intervals overlap, the hand-written SVG bar chart, the cell maps the consistency
test (BenchmarkDocsTest.java) re-derives, and the generated regions of docs/benchmarks/*.md.

Python 3 standard library only. plot_results.py (channels), plot_sync.py (sync) and render.py import it.
"""

import html
import json
import math
import os
import re
import statistics
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
RESULTS = os.path.join(REPO, "docs", "benchmarks", "results")

# The order the implementations are listed in, within one capacity.
IMPL_ORDER = ["gopatterns", "jox", "SynchronousQueue", "LinkedTransferQueue", "ArrayBlockingQueue", "Go chan"]

# Series (bar colours), in legend order. Colour-blind-safe Okabe-Ito colours.
SERIES = OrderedDict([
    ("platform", ("Java, platform threads", "#0072B2")),
    ("virtual", ("Java, virtual threads", "#E69F00")),
    ("go", ("Go goroutines", "#009E73")),
])

# A run is "loaded" when the 1-minute load average before or after it exceeds this share of the cores (nproc):
# 0.25 x 2 cores = 0.5 on the 2-core machine the published numbers come from. The run script applies the same rule
# (GOPATTERNS_BENCH_MAX_LOAD_PER_CORE overrides it there, and the value used is recorded in the metadata).
MAX_LOAD_PER_CORE = 0.25

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


# -------------------------------------------------------------------------------------------------------- SVG

def esc(s):
    return html.escape(str(s), quote=True)


def svg_chart(title, subtitle, rows, series=None, section_label=capacity_label, keep_order=False,
              axis_label="time per operation, ns (log scale)", unit="ns", axis_fmt=None):
    """Horizontal grouped bars on a log-10 axis: one row per implementation, one bar per series in it.

    rows is {section: {row label: {series key: (score, error)}}}. The defaults are the channel charts': sections are
    capacities, sorted, and labelled by capacity_label; rows are sorted by IMPL_ORDER; series are SERIES. Other
    reports (plot_sync.py) pass their own series (an OrderedDict key -> (legend text, colour)), a section_label
    function, and keep_order=True to draw sections and rows in the order the dicts hold them. A chart of something
    other than nanoseconds (plot_batching.py's items per second) passes the unit its bars are labelled with and an
    axis_fmt for the grid's labels (the default, fmt_axis, reads the values as nanoseconds).
    """
    axis_fmt = fmt_axis if axis_fmt is None else axis_fmt
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
                    body.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s, %s: %s</title>'
                                '</rect>' % (left, y, max(x1 - left, 1), bar_h, colour, esc(name),
                                             esc(series_def[key][0]), esc(fmt_score(score, error)) + " " + unit))
                    if not math.isnan(error) and error > 0:
                        a, b = max(score - error, lo), score + error
                        body.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" class="err"/>'
                                    % (x_of(a), x_of(b), y + bar_h / 2, y + bar_h / 2))
                    body.append('<text x="%.1f" y="%d" class="value">%s</text>'
                                % (max(x1, x_of(score + (error if not math.isnan(error) else 0))) + 4, y + bar_h - 2,
                                   esc(fmt_ns(score) + " " + unit)))
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
                grid.append('<text x="%.1f" y="%d" class="axis">%s</text>' % (x_of(v), bottom + 16, esc(axis_fmt(v))))
        decade *= 10

    legend, lx = [], left
    present = [k for k in series_def if any(k in s for c in rows.values() for s in c.values())]
    for key in present:
        text, colour = series_def[key]
        legend.append('<rect x="%d" y="48" width="12" height="12" fill="%s"/>' % (lx, colour))
        legend.append('<text x="%d" y="58" class="legend">%s</text>' % (lx + 17, esc(text)))
        lx += 30 + 7 * len(text)

    grid.append('<text x="%.1f" y="%d" class="axistitle">%s</text>' % (left + plot_w / 2, bottom + 34, esc(axis_label)))
    height = bottom + 48
    return "\n".join([
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
        'font-family="Helvetica, Arial, sans-serif">' % (width, height, width, height),
        "<style>",
        ".title{font-size:16px;font-weight:bold;fill:#222}.sub{font-size:12px;fill:#555}",
        ".section{font-size:13px;font-weight:bold;fill:#333}.rule{stroke:#bbb;stroke-width:1}",
        ".label{font-size:12px;fill:#222;text-anchor:end}.value{font-size:11px;fill:#333}",
        ".axis{font-size:11px;fill:#555;text-anchor:middle}.legend{font-size:12px;fill:#222}",
        ".axistitle{font-size:12px;fill:#222;text-anchor:middle}.grid{stroke:#ccc;stroke-width:1}.minor{stroke:#eee;stroke-width:1}.err{stroke:#222;stroke-width:1}",
        "</style>",
        '<rect width="100%" height="100%" fill="white"/>',
        '<text x="8" y="22" class="title">%s</text>' % esc(title),
        '<text x="8" y="40" class="sub">%s</text>' % esc(subtitle),
    ] + legend + grid + body + ["</svg>", ""])


# ------------------------------------------------------------------------------------------------- noise, ratios

def overlap(a, b):
    """True if the two (score, error) intervals overlap; None if either has no error (too few iterations)."""
    if math.isnan(a[1]) or math.isnan(b[1]):
        return None
    return abs(a[0] - b[0]) <= a[1] + b[1]


def fmt_ratio(a, b):
    """a / b as '1.23×', with a note when the difference is within noise. The test re-derives this exactly."""
    text = "{:.2f}×".format(a[0] / b[0]) if b[0] else "n/a"
    o = overlap(a, b)
    if o is None:
        return text + " (no CI)"
    return text + (" (CIs overlap: within noise)" if o else "")


def fmt_cell(score, error, unit):
    """'mean ± error unit'; the error is 'n/a' when JMH had too few iterations to compute one."""
    if math.isnan(error):
        return "%s ± n/a %s" % (fmt_ns(score), unit)
    return "%s ± %s %s" % (fmt_ns(score), fmt_ns(error), unit)


# --------------------------------------------------------------------------------------------------- Go output

GO_ANY = re.compile(r"^Benchmark(?P<name>\S+?)(?:-\d+)?\s+\d+\s+(?P<rest>.*)$")


def read_go_all(path):
    """{'PingPong/cap=0': {'ns/op': [v, ...]}} from `go test -bench` output, every metric of every line."""
    runs = OrderedDict()
    if not path or not os.path.exists(path):
        return runs
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = GO_ANY.match(line.strip())
            if not m:
                continue
            fields = m.group("rest").split()
            metrics = runs.setdefault(m.group("name"), {})
            for value, unit in zip(fields[0::2], fields[1::2]):
                try:
                    metrics.setdefault(unit, []).append(float(value))
                except ValueError:
                    pass
    return runs


def go_stat(values):
    """(mean, sample standard deviation) over -count runs; the deviation is NaN for a single run."""
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else float("nan"))


# ------------------------------------------------------------------------------------------------------ tables

class Table:
    """A Markdown table whose number cells know where they come from.

    Every number cell is added with a reference (`jmh`, `go` or `ratio`); render() writes the table preceded by a
    `<!-- cells: ... -->` comment listing each number cell's row, column and reference, which the JUnit test
    BenchmarkDocsTest re-derives from the committed files and compares with the cell's text.
    """

    def __init__(self, head, align, jmh, go):
        self.head, self.align, self.rows, self.cells = head, align, [], []
        self.jmh, self.go = jmh, go  # {(benchmark, frozen params): entry}, read_go_all()

    def entry(self, ref):
        return self.jmh.get((ref["b"], tuple(sorted(ref["p"].items()))))

    def value(self, ref):
        """(score, error, unit) for a jmh or go reference, or None if the files hold no such result."""
        if ref["k"] == "jmh":
            e = self.entry(ref)
            if not e:
                return None
            m = e["primaryMetric"] if not ref.get("m") else e.get("secondaryMetrics", {}).get(ref["m"])
            return (number(m["score"]), number(m["scoreError"]), m["scoreUnit"]) if m else None
        values = self.go.get(ref["n"], {}).get(ref.get("u", "ns/op"))
        return go_stat(values) + (ref.get("u", "ns/op"),) if values else None

    def text(self, ref):
        if ref["k"] == "ratio":
            a, b = self.value(ref["a"]), self.value(ref["b"])
            return fmt_ratio(a[:2], b[:2]) if a and b else None
        v = self.value(ref)
        return fmt_cell(*v) if v else None

    def add(self, cells):
        """cells: a list of str (labels) or dict (references). Returns False (and adds nothing) if no reference
        resolves, so rows of benchmarks that were not run are left out."""
        row, refs = [], []
        for c, cell in enumerate(cells):
            if isinstance(cell, dict):
                t = self.text(cell)
                if t is None:
                    row.append("—")
                else:
                    row.append(t)
                    refs.append([len(self.rows), c, cell])
            else:
                row.append(cell)
        if not refs:
            return False
        self.cells += refs
        self.rows.append(row)
        return True

    def render(self):
        if not self.rows:
            return []
        out = ["<!-- cells: %s -->" % json.dumps(self.cells, ensure_ascii=False, separators=(",", ":"))]
        out.append("| " + " | ".join(self.head) + " |")
        out.append("| " + " | ".join(self.align) + " |")
        out += ["| " + " | ".join(r) + " |" for r in self.rows]
        return out + [""]


def noise_sentence(noise, real, unknown, unknown_why="for want of a confidence interval (too few iterations)"):
    """The sentence under a ratio table: which comparisons are within noise, which are not, which cannot be told."""
    parts = []
    if noise:
        parts.append("within noise (the 99.9%% confidence intervals overlap): %s." % "; ".join(noise))
    if real:
        parts.append("not within noise (the intervals do not overlap): %s." % "; ".join(real))
    if unknown:
        parts.append("cannot tell, %s: %s." % (unknown_why, "; ".join(unknown)))
    return "Compared with gopatterns, " + " And ".join(parts)


def jmh_ref(benchmark, metric=None, **params):
    ref = {"k": "jmh", "b": benchmark, "p": params}
    if metric:
        ref["m"] = metric
    return ref


def index_jmh(results):
    return {(e["benchmark"], tuple(sorted(e.get("params", {}).items()))): e for e in results}


# ------------------------------------------------------------------------------------------- result sets, docs

def latest_result_set(suite, results_dir=RESULTS):
    """The newest committed result set of a suite: (metadata dict, its path), or (None, None)."""
    if not os.path.isdir(results_dir):
        return None, None
    metas = sorted(f for f in os.listdir(results_dir) if f.startswith(suite + "-") and f.endswith(".meta.json"))
    if not metas:
        return None, None
    path = os.path.join(results_dir, metas[-1])
    with open(path, encoding="utf-8") as f:
        return json.load(f), path


def load_sentence(meta):
    """The quiet-or-loaded line of a report, from the load averages the run script recorded. Never says quiet
    without the numbers."""
    before, after = meta.get("load_before"), meta.get("load_after")
    limit = meta.get("max_load")
    if before is None or after is None or limit is None:
        return "> **Load not recorded**: this run cannot be called quiet."
    b1, a1 = float(before.split()[0]), float(after.split()[0])
    after_note = ("%s after (the after value includes the benchmarks' own threads, which keep up to %s cores busy "
                  "until the end, so it cannot tell a quiet run from a loaded one)" % (a1, meta.get("nproc")))
    if b1 > limit:
        return ("> **Measured on a loaded machine: load average %s before the run**, %s; the threshold is %s = "
                "%s × %s cores. Differences smaller than the errors below, or between rows run minutes apart, may "
                "be the other load." % (b1, after_note, limit, meta.get("max_load_per_core"), meta.get("nproc")))
    return ("Load average %s before the run (1 minute), under the threshold of %s (%s × %s cores): nothing else "
            "was running when it started; %s." % (b1, limit, meta.get("max_load_per_core"), meta.get("nproc"),
                                                   after_note))


BEGIN = re.compile(r"^<!-- (generated from (?P<src>\S+): do not edit|not yet regenerated from committed JSON[^>]*) -->$")
END = "<!-- end generated -->"


def replace_region(doc, begin_line, body):
    """Replaces the first generated (or not-yet-regenerated) region of doc with begin_line + body + END; appends
    one if there is none. Prose outside the region survives."""
    lines = doc.split("\n")
    for i, line in enumerate(lines):
        if BEGIN.match(line):
            for j in range(i + 1, len(lines)):
                if lines[j] == END:
                    return "\n".join(lines[:i] + [begin_line] + body + [END] + lines[j + 1:])
            raise SystemExit("generated region opened at line %d has no %s" % (i + 1, END))
    return doc.rstrip("\n") + "\n\n" + "\n".join([begin_line] + body + [END]) + "\n"
