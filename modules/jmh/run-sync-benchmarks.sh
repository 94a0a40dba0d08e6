#!/usr/bin/env bash
# Runs the sync benchmark suite and writes docs/benchmarks/sync.md; see run-benchmarks.sh for the options.
GOPATTERNS_BENCH_INVOCATION="modules/jmh/run-sync-benchmarks.sh" exec "$(dirname "${BASH_SOURCE[0]}")/run-benchmarks.sh" sync "$@"
