#!/usr/bin/env bash
# Runs the sync benchmark suite: a result set in docs/benchmarks/results/ and its tables (sync.md is not rendered from it yet); see run-benchmarks.sh.
GOPATTERNS_BENCH_INVOCATION="modules/jmh/run-sync-benchmarks.sh" exec "$(dirname "${BASH_SOURCE[0]}")/run-benchmarks.sh" sync "$@"
