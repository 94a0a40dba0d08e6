#!/usr/bin/env bash
# Runs the channels benchmark suite and writes docs/benchmarks/channels.md; see run-benchmarks.sh for the options.
GOPATTERNS_BENCH_INVOCATION="modules/jmh/run-channel-benchmarks.sh" exec "$(dirname "${BASH_SOURCE[0]}")/run-benchmarks.sh" channels "$@"
