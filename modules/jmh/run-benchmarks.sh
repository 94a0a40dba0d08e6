#!/usr/bin/env bash
# Runs one benchmark suite and its Go twin, commits-ready: the raw JMH JSON, the raw `go test -bench` output and a
# metadata file (command, JDK, Go, CPU, load before/after, times, commit, forks/warm-up/measurement as used) go to
# docs/benchmarks/results/ as one result set; then the report is rendered from that set (plot/render.py).
#
# Usage (from anywhere in the repository; the run-SUITE-benchmarks.sh scripts call this):
#   modules/jmh/run-benchmarks.sh SUITE                    full quality: the classes' own forks (2), warm-up, measurement;
#                                                          SUITE is channels, sync, pool, pipeline, resilience,
#                                                          batching or caching
#   modules/jmh/run-benchmarks.sh SUITE --smoke            -f 1, one short iteration; numbers NOT meaningful; written
#                                                          under modules/jmh/target/bench-smoke/ only, never to docs/
#   modules/jmh/run-benchmarks.sh SUITE --jmh-args "ARGS"  any JMH arguments; written under --out (default
#                                                          modules/jmh/target/bench-custom/), never to docs/
#   modules/jmh/run-benchmarks.sh SUITE --out DIR          where the result set and the rendered report go
#   modules/jmh/run-benchmarks.sh SUITE --no-also-make     build only modules/jmh (gopatterns-core from ~/.m2)
#   modules/jmh/run-benchmarks.sh --render                 no run: re-render every report from committed JSON
#   modules/jmh/run-benchmarks.sh --check                  no run: fail if a report differs from its JSON's render
#
# Quiet machine: the 1-minute load average is read before and after the run. If the one before exceeds
# GOPATTERNS_BENCH_MAX_LOAD_PER_CORE (default 0.25) x nproc (0.5 on 2 cores), the script warns and the report says
# "measured on a loaded machine". The one after is recorded but cannot decide: the benchmarks' own threads keep up
# to nproc cores busy to the last second, so it is about nproc after any busy run, quiet or not. The run is never
# called quiet without the check.
set -euo pipefail

SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
ROOT=$(cd "$(dirname "$SELF")/../.." && pwd)
cd "$ROOT"

case "${1:-}" in
  --render) shift; exec python3 modules/jmh/plot/render.py "$@" ;;
  --check) shift; exec python3 modules/jmh/plot/render.py --check "$@" ;;
  -h|--help) sed -n '2,23p' "$SELF"; exit 0 ;;
esac

SUITE=${1:-}
case "$SUITE" in
  channels) PREFIX=Channels_; SMOKE_TIME=100ms; GO_PKG=. ;;
  sync) PREFIX=Sync_; SMOKE_TIME=200ms; GO_PKG=./sync ;;
  pool) PREFIX=Pool_; SMOKE_TIME=100ms; GO_PKG=./pool ;;
  pipeline) PREFIX=Pipeline_; SMOKE_TIME=100ms; GO_PKG=./pipeline ;;
  # No Go twin: Go's peers (sony/gobreaker, failsafe-go) are not in the standard library and cannot be fetched here.
  resilience) PREFIX=Resilience_; SMOKE_TIME=100ms; GO_PKG="" ;;
  # No Go twin either: the Go form of a batcher is a hand-written goroutine (docs/batching.md), not a library.
  batching) PREFIX=Batch_; SMOKE_TIME=100ms; GO_PKG="" ;;
  # Cache_, Resource_ and Scheduler_ against Caffeine, commons-pool2, ScheduledThreadPoolExecutor: no Go twin either.
  caching) PREFIX="(Cache|Resource|Scheduler)_"; SMOKE_TIME=100ms; GO_PKG="" ;;
  *) echo "usage: modules/jmh/run-benchmarks.sh channels|sync|pool|pipeline|resilience|batching|caching [--smoke] [--jmh-args ARGS] [--out DIR] [--no-also-make]" \
       "| --render | --check" >&2; exit 2 ;;
esac
shift
INVOCATION="${GOPATTERNS_BENCH_INVOCATION:-modules/jmh/run-benchmarks.sh $SUITE}${*:+ $*}"

# Full quality passes no -f, -wi, -i, -w or -r: the annotations on each class decide (2 forks x 5 + 5 x 1 s).
JMH_ARGS="dev.gopatterns.jmh.$PREFIX"
GO_BENCH="-benchtime 1s -count 5"
ALSO_MAKE=(-am)
MODE=full
OUT_DIR=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) MODE=smoke; JMH_ARGS="-f 1 -wi 0 -i 1 -r $SMOKE_TIME dev.gopatterns.jmh.$PREFIX"
             GO_BENCH="-benchtime 100x -count 1"; shift ;;
    --jmh-args) MODE=custom; JMH_ARGS=$2; shift 2 ;;
    --out) OUT_DIR=$2; shift 2 ;;
    --no-also-make) ALSO_MAKE=(); shift ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$MODE" in
  full) RESULTS=${OUT_DIR:+$OUT_DIR/results}; RESULTS=${RESULTS:-docs/benchmarks/results}
        DOCS=${OUT_DIR:-docs/benchmarks} ;;
  *) BASE=${OUT_DIR:-modules/jmh/target/bench-$MODE}; RESULTS=$BASE/results; DOCS=$BASE ;;
esac
mkdir -p "$RESULTS" "$DOCS" modules/jmh/target

NPROC=$(nproc)
PER_CORE=${GOPATTERNS_BENCH_MAX_LOAD_PER_CORE:-0.25}
MAX_LOAD=$(python3 -c "print(round($PER_CORE * $NPROC, 2))")
load() { cut -d' ' -f1-3 /proc/loadavg; }
loaded() { python3 -c "import sys; sys.exit(0 if float('$1'.split()[0]) > $MAX_LOAD else 1)"; }
LOAD_BEFORE=$(load)
if loaded "$LOAD_BEFORE"; then
  echo "WARNING: load average before the run is $LOAD_BEFORE, above $MAX_LOAD ($PER_CORE x $NPROC cores):" \
       "the machine is not quiet, and the report will say so." >&2
fi
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
STEM=$RESULTS/$SUITE-$(date -u +%Y%m%dT%H%M%SZ)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# `git status`, not `git diff`: new, untracked benchmark files are uncommitted changes too.
[[ -z $(git status --porcelain -- modules/core modules/resilience modules/batch modules/pool modules/pipeline \
        modules/cache modules/resource modules/jmh 2>/dev/null) ]] \
  || COMMIT="$COMMIT (with uncommitted changes in modules/core, resilience, batch, pool, pipeline, cache, resource or jmh)"

# --- Java: build and run through Maven, so the JDK 25 toolchain runs the jar and a failing benchmark fails here.
rm -f modules/jmh/target/jmh-result.json
MVN=(./mvnw -B -pl modules/jmh "${ALSO_MAKE[@]}" -Pbench -DskipTests verify "-Djmh.args=$JMH_ARGS")
echo ">>> ${MVN[*]}"
"${MVN[@]}"
mv modules/jmh/target/jmh-result.json "$STEM.json"

# --- Go twin, if the suite has one and there is a Go toolchain.
GO_CMD=""
GO_VERSION=""
if [[ -z $GO_PKG ]]; then
  echo "(the $SUITE suite has no Go twin)"
elif command -v go >/dev/null 2>&1; then
  GO_VERSION=$(go version)
  GO_CMD="cd modules/jmh/go && go test -run '^\$' -bench . $GO_BENCH $GO_PKG"
  echo ">>> $GO_CMD"
  # $GO_BENCH is unquoted on purpose: it holds several words.
  (cd modules/jmh/go && go test -run '^$' -bench . $GO_BENCH $GO_PKG) | tee "$STEM.go.txt"
else
  echo "(no go on this machine: the Go twin is not run)"
fi
LOAD_AFTER=$(load)
ENDED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
echo "load average after the run: $LOAD_AFTER (includes the benchmarks' own threads, up to $NPROC)"

# --- Metadata, beside the raw results.
CMD="$INVOCATION  # ran: ${MVN[*]:0:${#MVN[@]}-1} \"-Djmh.args=$JMH_ARGS\""
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)
CPU_COUNT=$(grep -c '^processor' /proc/cpuinfo || echo 0)
SUITE="$SUITE" MODE="$MODE" CMD="$CMD" GO_CMD="$GO_CMD" GO_VERSION="$GO_VERSION" CPU_MODEL="$CPU_MODEL" \
CPU_COUNT="$CPU_COUNT" NPROC="$NPROC" LOAD_BEFORE="$LOAD_BEFORE" LOAD_AFTER="$LOAD_AFTER" PER_CORE="$PER_CORE" \
MAX_LOAD="$MAX_LOAD" STARTED="$STARTED" ENDED="$ENDED" COMMIT="$COMMIT" python3 - "$STEM" <<'PY'
import json, os, sys
v = os.environ
stem = sys.argv[1]
e = json.load(open(stem + ".json"))
first = e[0] if e else {}
def q(x):
    return "%d fork(s) x (%d x %s warm-up + %d x %s measurement)" % (
        x["forks"], x["warmupIterations"], x["warmupTime"], x["measurementIterations"], x["measurementTime"])
meta = {
    "suite": v["SUITE"], "mode": v["MODE"], "smoke": v["MODE"] == "smoke",
    "command": v["CMD"], "go_command": v["GO_CMD"] or None,
    "jdk_version": first.get("jdkVersion"), "vm_version": "%s %s" % (first.get("vmName"), first.get("vmVersion")),
    "jmh_version": first.get("jmhVersion"), "go_version": v["GO_VERSION"] or None,
    "cpu_model": v["CPU_MODEL"], "cpu_count": int(v["CPU_COUNT"]), "nproc": int(v["NPROC"]),
    "load_before": v["LOAD_BEFORE"], "load_after": v["LOAD_AFTER"],
    "max_load_per_core": float(v["PER_CORE"]), "max_load": float(v["MAX_LOAD"]),
    "started": v["STARTED"], "ended": v["ENDED"], "commit": v["COMMIT"],
    "forks": sorted({x["forks"] for x in e}), "quality": "; ".join(sorted({q(x) for x in e})),
}
with open(stem + ".meta.json", "w") as f:
    json.dump(meta, f, indent=2)
    f.write("\n")
print(">>> wrote", stem + ".meta.json")
PY

# --- The report, from the result set just written (the same code that re-renders committed sets).
if [[ $DOCS != docs/benchmarks && -f docs/benchmarks/$SUITE.md && ! -f $DOCS/$SUITE.md ]]; then
  cp "docs/benchmarks/$SUITE.md" "$DOCS/$SUITE.md"   # the prose around the generated region
fi
python3 modules/jmh/plot/render.py --results "$RESULTS" --docs "$DOCS" "$SUITE"
if [[ $SUITE == sync ]]; then
  python3 modules/jmh/plot/plot_sync.py --input "$STEM.json" --go "$STEM.go.txt" --out-dir "$DOCS" \
    --markdown "$DOCS/sync-results.md" --note "$( [[ $MODE == smoke ]] && echo 'SMOKE RUN: numbers not meaningful')"
  echo ">>> sync tables in $DOCS/sync-results.md (docs/benchmarks/sync.md is not rewritten automatically yet)"
fi
[[ $MODE == full && -z $OUT_DIR ]] && echo ">>> commit $STEM.* and docs/benchmarks together"
exit 0
