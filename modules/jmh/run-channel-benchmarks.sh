#!/usr/bin/env bash
# Runs the channels benchmark suite: a result set in docs/benchmarks/results/ and docs/benchmarks/channels.md rendered from it; see run-benchmarks.sh.
GOPATTERNS_BENCH_INVOCATION="modules/jmh/run-channel-benchmarks.sh" exec "$(dirname "${BASH_SOURCE[0]}")/run-benchmarks.sh" channels "$@"
