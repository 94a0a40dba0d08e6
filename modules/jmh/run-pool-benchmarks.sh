#!/usr/bin/env bash
# Runs the worker-pool benchmark suite (Pool_01, Pool_02 and the Go twins in go/pool): a result set in
# docs/benchmarks/results/ and docs/benchmarks/pool.md rendered from it; see run-benchmarks.sh. About 12 minutes.
GOPATTERNS_BENCH_INVOCATION="modules/jmh/run-pool-benchmarks.sh" exec "$(dirname "${BASH_SOURCE[0]}")/run-benchmarks.sh" pool "$@"
