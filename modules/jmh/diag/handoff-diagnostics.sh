#!/usr/bin/env bash
# Diagnostic counts for the unbuffered hand-off on virtual threads (docs/benchmarks/handoff.md): per transfer, how
# often a waiter really parks, how often lock() finds the channel's lock taken at its first try, and how often it
# then has to queue (every try failed), for lockSpins x virtualSpins.
# It builds a scratch copy of modules/core with two counters patched in, in a temp dir: the counters are never
# part of the library. Run it on a quiet machine; it prints to stdout.
#
#   bash modules/jmh/diag/handoff-diagnostics.sh > docs/benchmarks/results/handoff-diagnostics.txt
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
J=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin
[ -x "$J/java" ] || { echo "no JDK 25 at $J: set JDK25" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r "$ROOT/modules/core/src/main/java" "$WORK/src"
cp "$ROOT/modules/jmh/diag/HandOff.java" "$WORK/"
python3 - "$WORK/src/dev/gopatterns/chan" <<'PY'
import sys
d = sys.argv[1]
p = d + '/WaitSource.java'; s = open(p).read()
s = s.replace('abstract class WaitSource {', 'public abstract class WaitSource {\n'
              '    public static final java.util.concurrent.atomic.LongAdder PARKS = new java.util.concurrent.atomic.LongAdder();\n'
              '    public static final java.util.concurrent.atomic.LongAdder CONTENDED = new java.util.concurrent.atomic.LongAdder();\n'
              '    public static final java.util.concurrent.atomic.LongAdder QUEUED = new java.util.concurrent.atomic.LongAdder();', 1)
old = '''        public void lock() {
            for (int i = LOCK_SPINS; i > 0; i--) {'''
assert old in s, 'SpinThenParkLock.lock changed: update the patch'
s = s.replace(old, '''        public void lock() {
            if (tryLock()) {
                return;
            }
            CONTENDED.increment();
            for (int i = LOCK_SPINS; i > 0; i--) {
                if (tryLock()) {
                    return;
                }
                Thread.onSpinWait();
            }
            QUEUED.increment();
            for (int i = 0; i > 0; i--) {''')
open(p, 'w').write(s)
p = d + '/Waiter.java'; s = open(p).read()
old = '''            if (state == WAITING || state == CLAIMED) {
                if (timed) {'''
assert old in s, 'Waiter.park changed: update the patch'
s = s.replace(old, '''            if (state == WAITING || state == CLAIMED) {
                WaitSource.PARKS.increment();
                if (timed) {''')
open(p, 'w').write(s)
PY
mkdir -p "$WORK/classes"
"$J/javac" -nowarn -d "$WORK/classes" $(find "$WORK/src" -name '*.java')
"$J/javac" -cp "$WORK/classes" -d "$WORK" "$WORK/HandOff.java"
echo "# $(date -u +%FT%TZ) |$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) | nproc $(nproc) | load before $(cut -d' ' -f1-3 /proc/loadavg) | commit $(git -C "$ROOT" rev-parse --short HEAD) | $("$J/java" -version 2>&1 | head -1)"
for ls in 0 64; do
  for vs in 0 128 1024; do
    echo "## -Dgopatterns.lockSpins=$ls -Dgopatterns.virtualSpins=$vs"
    "$J/java" "-Dgopatterns.lockSpins=$ls" "-Dgopatterns.virtualSpins=$vs" -cp "$WORK/classes:$WORK" HandOff 1000000
  done
done
echo "# load after $(cut -d' ' -f1-3 /proc/loadavg)"
