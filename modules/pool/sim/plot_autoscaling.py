#!/usr/bin/env python3
"""Draws docs/operations-autoscaling.svg from the autoscaling simulation's CSVs (AutoscalerSimulationTest).

Usage, from the repository root:
  ./mvnw -B -q verify -pl modules/pool -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=AutoscalerSimulationTest
  python3 modules/pool/sim/plot_autoscaling.py modules/pool/target docs
The CSVs are copied next to the SVG (docs/operations-autoscaling-*.csv) so the plot and its data are committed
together. Python 3 standard library only.
"""

import csv
import shutil
import sys
from pathlib import Path

W, H = 960, 420
LEFT, RIGHT, TOP, BOTTOM = 60, 220, 40, 50
RUNS = [
    ("hysteresis", "workers: hysteresis, 3 s cooldown, 5 s down window", "#0072B2", ""),
    ("no-hysteresis", "workers: no gap, no cooldown, no window", "#E69F00", "6,4"),
]


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main(src, dst):
    src, dst = Path(src), Path(dst)
    runs = {name: read(src / ("autoscaling-%s.csv" % name)) for name, _, _, _ in RUNS}
    t_max = max(int(r["t_s"]) for rows in runs.values() for r in rows)
    y_max = 26
    x = lambda t: LEFT + (W - LEFT - RIGHT) * t / t_max
    y = lambda v: TOP + (H - TOP - BOTTOM) * (1 - v / y_max)

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" '
           'font-size="12">' % (W, H),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="20" font-size="14" font-weight="bold">Autoscaling a WorkerPool on a FakeClock: '
           'a load ramp up and down (Poisson arrivals, 1 s jobs)</text>' % LEFT]
    for v in range(0, y_max + 1, 4):
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#eee"/>' % (LEFT, W - RIGHT, y(v), y(v)))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%d</text>' % (LEFT - 6, y(v) + 4, v))
    for t in range(0, t_max + 1, 20):
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>' % (x(t), H - BOTTOM + 16, t))
    out.append('<text x="%d" y="%d" text-anchor="middle">time on the fake clock (s)</text>'
               % ((LEFT + W - RIGHT) / 2, H - 12))
    out.append('<text x="16" y="%d" transform="rotate(-90 16 %d)" text-anchor="middle">workers; jobs per second'
               '</text>' % ((TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2))

    def polyline(rows, key, colour, dash, width=2, step=True):
        pts = []
        prev = None
        for r in rows:
            t, v = int(r["t_s"]), float(r[key])
            if step and prev is not None:
                pts.append("%.1f,%.1f" % (x(t), y(prev)))
            pts.append("%.1f,%.1f" % (x(t), y(v)))
            prev = v
        return ('<polyline fill="none" stroke="%s" stroke-width="%s"%s points="%s"/>'
                % (colour, width, ' stroke-dasharray="%s"' % dash if dash else "", " ".join(pts)))

    first = runs[RUNS[0][0]]
    out.append(polyline(first, "arrivals_per_s", "#999999", "2,3", 2, step=False))
    legend = [("arrivals per second, (the load)", "#999999", "2,3")]
    for name, label, colour, dash in RUNS:
        out.append(polyline(runs[name], "workers", colour, dash))
        legend.append((label, colour, dash))
    for i, (label, colour, dash) in enumerate(legend):
        ly = TOP + 10 + 56 * i
        out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"%s/>'
                   % (W - RIGHT + 10, W - RIGHT + 34, ly, ly, colour,
                      ' stroke-dasharray="%s"' % dash if dash else ""))
        words = label.split(", ")
        for j, part in enumerate(words):
            out.append('<text x="%d" y="%d">%s</text>' % (W - RIGHT + 40, ly + 4 + 13 * j, part))
    out.append("</svg>")
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "operations-autoscaling.svg").write_text("\n".join(out) + "\n")
    for name, _, _, _ in RUNS:
        shutil.copy(src / ("autoscaling-%s.csv" % name), dst / ("operations-autoscaling-%s.csv" % name))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "modules/pool/target",
         sys.argv[2] if len(sys.argv) > 2 else "docs")
