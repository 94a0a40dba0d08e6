#!/usr/bin/env bash
# Runs one benchmark suite, its Go twin and its plot script, and writes docs/benchmarks/SUITE.md: machine, command,
# tables and charts, committed together (STYLE.md: results and the command that made them).
#
# Usage (from anywhere in the repository; run-channel-benchmarks.sh and run-sync-benchmarks.sh call this):
#   modules/jmh/run-benchmarks.sh channels|sync                 full quality: annotations' forks/warm-up/measurement
#   modules/jmh/run-benchmarks.sh SUITE --smoke                 seconds per benchmark; numbers are NOT meaningful
#   modules/jmh/run-benchmarks.sh sync --jmh-args "-f 1 Sync_06 -p fanOut=ErrGroup,WaitGroup.go"
#   modules/jmh/run-benchmarks.sh SUITE --no-also-make          build only modules/jmh (gopatterns-core from ~/.m2)
#
# Suites: channels (Channels_01..03, about 20 min at full quality), sync (Sync_01..07: contexts, semaphores,
# fan-out, rate limiter; about 18 min). Run on a quiet machine: nothing else running, not on battery, and the same
# machine for every row you compare. The load average before and after is recorded in the report; if it is well
# above 0 the numbers are suspect, the contended rows most of all.
set -euo pipefail

SUITE=${1:-}
case "$SUITE" in
  channels)
    PREFIX=Channels_; SMOKE_TIME=100ms; GO_PKG=.; PLOT=plot_results.py
    TITLE="Channel benchmarks"
    EXTRA_NOTE="" ;;
  sync)
    PREFIX=Sync_; SMOKE_TIME=200ms; GO_PKG=./sync; PLOT=plot_sync.py
    TITLE="Sync benchmarks: contexts, semaphores, fan-out, rate limiter"
    EXTRA_NOTE="The contended-semaphore rows also give the share of acquires that were hand-offs between the two threads: read a row's time together with it (see \`Sync_04\`'s javadoc)." ;;
  *) echo "usage: modules/jmh/run-benchmarks.sh channels|sync [--smoke] [--jmh-args ARGS] [--no-also-make]" >&2; exit 2 ;;
esac
shift
INVOCATION="${GOPATTERNS_BENCH_INVOCATION:-modules/jmh/run-benchmarks.sh $SUITE}${*:+ $*}"
SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
ROOT=$(cd "$(dirname "$SELF")/../.." && pwd)
cd "$ROOT"

FULL_JMH_ARGS="dev.gopatterns.jmh.$PREFIX"
SMOKE_JMH_ARGS="-f 1 -wi 1 -i 1 -w $SMOKE_TIME -r $SMOKE_TIME dev.gopatterns.jmh.$PREFIX"
JMH_ARGS=$FULL_JMH_ARGS
GO_BENCH="-benchtime 1s -count 5"
ALSO_MAKE=(-am)
SMOKE=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) SMOKE=1; JMH_ARGS=$SMOKE_JMH_ARGS; GO_BENCH="-benchtime 100x -count 1"; shift ;;
    --jmh-args) JMH_ARGS=$2; shift 2 ;;
    --no-also-make) ALSO_MAKE=(); shift ;;
    -h|--help) sed -n '2,14p' "$SELF"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

OUT=docs/benchmarks
TARGET=modules/jmh/target
mkdir -p "$OUT" "$TARGET"

load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE=$(load)
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# --- Java: build and run through Maven, so the JDK 25 toolchain runs the jar and a failing benchmark fails here.
# The bench profile always writes target/jmh-result.json; the result is moved to target/SUITE-result.json at once,
# so the two suites' results are never mixed up.
RESULT=$TARGET/$SUITE-result.json
rm -f "$TARGET/jmh-result.json" "$RESULT"
MVN=(./mvnw -B -pl modules/jmh "${ALSO_MAKE[@]}" -Pbench -DskipTests verify "-Djmh.args=$JMH_ARGS")
echo ">>> ${MVN[*]}"
"${MVN[@]}"
mv "$TARGET/jmh-result.json" "$RESULT"

# --- Go twin (standard library only), if there is a Go toolchain.
GO_OUT=$TARGET/go-$SUITE-bench.txt
rm -f "$GO_OUT"
GO_CMD="(go is not installed: apt-get install -y golang-go)"
if command -v go >/dev/null 2>&1; then
  GO_CMD="cd modules/jmh/go && go test -run '^\$' -bench . $GO_BENCH $GO_PKG"
  echo ">>> $GO_CMD"
  # $GO_BENCH is unquoted on purpose: it holds several words.
  (cd modules/jmh/go && go version && go test -run '^$' -bench . $GO_BENCH $GO_PKG) | tee "$GO_OUT"
fi
LOAD_AFTER=$(load)

# --- Tables and charts.
NOTE=""
[[ $SMOKE == 1 ]] && NOTE="SMOKE RUN: numbers not meaningful"
python3 "modules/jmh/plot/$PLOT" --input "$RESULT" --go "$GO_OUT" --out-dir "$OUT" \
  --markdown "$TARGET/$SUITE-results.md" --note "$NOTE"

# --- The report.
JDK=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))[0]; print(e["vmName"], e["vmVersion"], "at", e["jvm"])' \
  "$RESULT")
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
MEM=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# `git status`, not `git diff`: new, untracked benchmark files are uncommitted changes too.
[[ -z $(git status --porcelain -- modules/core modules/jmh 2>/dev/null) ]] \
  || COMMIT="$COMMIT (with uncommitted changes in modules/core or modules/jmh)"

REPORT=$OUT/$SUITE.md
{
  echo "# $TITLE"
  echo
  if [[ $SMOKE == 1 ]]; then
    echo "> **SMOKE RUN — these numbers are not meaningful.** One fork, one $SMOKE_TIME warm-up and one $SMOKE_TIME"
    echo "> measurement iteration per benchmark, on a machine shared with other builds. It only proves that every"
    echo "> benchmark runs and terminates, and that this report is generated end to end. Regenerate with"
    echo "> \`modules/jmh/run-benchmarks.sh $SUITE\` on a quiet machine before drawing any conclusion."
    echo
  fi
  echo "Generated by \`$INVOCATION\`; what each benchmark measures is in [modules/jmh/README.md](../../modules/jmh/README.md)"
  echo "and in each benchmark's javadoc."
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "| --- | --- |"
  echo "| date (UTC) | $STARTED |"
  echo "| cores (nproc) | $(nproc) |"
  echo "| CPU | ${CPU:-unknown} |"
  echo "| memory | $MEM |"
  echo "| OS | $(uname -sr) |"
  echo "| JDK | $JDK |"
  echo "| Go | $( [[ -s $GO_OUT ]] && head -1 "$GO_OUT" || echo 'not run' ) |"
  echo "| load average before / after (1, 5, 15 min) | $LOAD_BEFORE / $LOAD_AFTER |"
  echo "| commit | $COMMIT |"
  echo
  echo "## Commands"
  echo
  echo '```sh'
  echo "${MVN[*]:0:${#MVN[@]}-1} \"-Djmh.args=$JMH_ARGS\""
  echo "$GO_CMD"
  echo '```'
  echo
  echo "## Results"
  echo
  echo "Every number is an average time in nanoseconds; lower is better. \`±\` is JMH's 99.9% confidence"
  echo "half-interval (it needs several iterations; \`n/a\` or a missing \`±\` means too few), and for Go the"
  echo "standard deviation over \`-count\` runs.${EXTRA_NOTE:+ $EXTRA_NOTE}"
  echo
  sed '1,/^JMH /{/^<!--/d}' "$TARGET/$SUITE-results.md"
  echo
  echo "## Go twin, raw output"
  echo
  if [[ -s $GO_OUT ]]; then
    echo '```'
    cat "$GO_OUT"
    echo '```'
  else
    echo "Not run: no \`go\` on this machine."
  fi
} > "$REPORT"
echo ">>> wrote $REPORT"
