#!/usr/bin/env python3
"""Regenerates the benchmark reports from the committed result sets, without running a benchmark.

    python3 modules/jmh/plot/render.py                     # rewrite the generated regions of docs/benchmarks/*.md
    python3 modules/jmh/plot/render.py --check             # exit 1 if a report or chart differs from a re-render
    python3 modules/jmh/plot/render.py --results DIR --docs OUT   # render another result dir into a copy (smoke)

A result set is three files in docs/benchmarks/results/ named SUITE-STAMP.*: the raw JMH JSON (.json), the Go
twin's raw `go test -bench` output (.go.txt, absent if Go was not installed) and the metadata the run script wrote
(.meta.json: command, JDK, Go, CPU, load before/after, times, commit, forks/warm-up/measurement). The newest set of
a suite is rendered into the region of docs/benchmarks/SUITE.md between

    <!-- generated from results/SUITE-STAMP.json: do not edit -->  ...  <!-- end generated -->

(or a `<!-- not yet regenerated from committed JSON ... -->` region, the first time); prose outside it survives.
The charts go beside the report. Python 3 standard library only.

The channels, pool, pipeline, resilience, batching and caching suites are rendered this way (resilience, batching
and caching have no Go twin, so their sets have no .go.txt); the sync report is still written by plot_sync.py from
a run (its tables have no cell maps for the consistency test yet), so sync result sets are committed but not
rendered.
"""

import argparse
import difflib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import benchlib as bl  # noqa: E402
import plot_batching  # noqa: E402
import plot_caching  # noqa: E402
import plot_pipeline  # noqa: E402
import plot_pool  # noqa: E402
import plot_resilience  # noqa: E402
import plot_results  # noqa: E402

SUITES = {"channels": plot_results.render, "pool": plot_pool.render, "pipeline": plot_pipeline.render,
          "resilience": plot_resilience.render, "batching": plot_batching.render,
          "caching": plot_caching.render}
# Suites without a Go twin (see the docstrings of plot_resilience.py, plot_batching.py and plot_caching.py): their
# machine table says so instead of "not run".
NO_GO_TWIN = {"resilience", "batching", "caching"}


def machine(meta, json_name, go_name, suite=None):
    def row(k, v):
        return "| %s | %s |" % (k, v)
    out = ["## Machine and command", "", bl.load_sentence(meta), "", "| | |", "| --- | --- |",
           row("started / ended (UTC)", "%s / %s" % (meta.get("started"), meta.get("ended"))),
           row("CPU", "%s processors: %s (nproc %s)" % (meta.get("cpu_count"), meta.get("cpu_model"), meta.get("nproc"))),
           row("JDK", "%s (%s)" % (meta.get("jdk_version"), meta.get("vm_version"))),
           row("JMH", meta.get("jmh_version")),
           row("Go", meta.get("go_version") or ("no Go twin" if suite in NO_GO_TWIN else "not run")),
           row("load average before / after (1, 5, 15 min)", "%s / %s" % (meta.get("load_before"),
                                                                           meta.get("load_after"))),
           row("forks, warm-up, measurement (as used)", meta.get("quality")),
           row("commit", meta.get("commit")),
           row("raw results", "[%s](results/%s)%s" % (json_name, json_name,
                                                      (", [%s](results/%s)" % (go_name, go_name)) if go_name else "")),
           "", "```sh", meta.get("command", "?")] + ([meta["go_command"]] if meta.get("go_command") else []) + \
          ["```", ""]
    if meta.get("smoke"):
        out[2:2] = ["> **SMOKE RUN — these numbers are not meaningful** (1 fork, 1 short iteration).", ""]
    return out


def render_suite(suite, results_dir, docs_dir, check):
    meta, meta_path = bl.latest_result_set(suite, results_dir)
    if not meta:
        print("%s: no committed result set in %s; %s.md left as it is" % (suite, results_dir, suite))
        return True
    stem = os.path.basename(meta_path)[:-len(".meta.json")]
    json_name, go_name = stem + ".json", stem + ".go.txt"
    if not os.path.exists(os.path.join(results_dir, go_name)):
        go_name = None
    results = bl.read_jmh(os.path.join(results_dir, json_name))
    go_runs = bl.read_go_all(os.path.join(results_dir, go_name)) if go_name else {}
    md, svgs = SUITES[suite](results, go_runs, "SMOKE RUN" if meta.get("smoke") else "")
    body = machine(meta, json_name, go_name, suite) + ["## Results", ""] + md
    doc_path = os.path.join(docs_dir, suite + ".md")
    old = open(doc_path, encoding="utf-8").read() if os.path.exists(doc_path) else "# %s benchmarks\n" % suite
    begin = "<!-- generated from results/%s: do not edit -->" % json_name
    new = bl.replace_region(old, begin, body)
    files = {doc_path: new}
    files.update({os.path.join(docs_dir, k): v for k, v in svgs.items()})
    ok = True
    for path, text in files.items():
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current == text:
            continue
        if check:
            ok = False
            print("%s differs from a render of %s:" % (path, json_name))
            sys.stdout.writelines(list(difflib.unified_diff((current or "").splitlines(True), text.splitlines(True),
                                                            path, "rendered", n=1))[:40])
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print("wrote", os.path.relpath(path, os.getcwd()))
    return ok


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--results", default=bl.RESULTS, help="the result sets (default docs/benchmarks/results)")
    p.add_argument("--docs", default=os.path.join(bl.REPO, "docs", "benchmarks"),
                   help="where the reports and charts are (default docs/benchmarks); a new dir gets fresh reports")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything would change")
    p.add_argument("suites", nargs="*", default=sorted(SUITES))
    args = p.parse_args(argv)
    os.makedirs(args.docs, exist_ok=True)
    ok = all([render_suite(s, args.results, args.docs, args.check) for s in args.suites if s in SUITES])
    for s in args.suites:
        if s not in SUITES:
            print("%s: not rendered from committed JSON yet (see render.py's docstring)" % s)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
