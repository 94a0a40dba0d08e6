#!/usr/bin/env bash
# Runs the worker-pool benchmark suite (Pool_01 to Pool_03 and the Go twins in go/pool): a result set in
# docs/benchmarks/results/ and docs/benchmarks/pool.md rendered from it; see run-benchmarks.sh. About 16 minutes
# (Pool_03_Distribution is about 3.5 of them; leave it out with --jmh-args "Pool_0[12]", never to docs/).
GOPATTERNS_BENCH_INVOCATION="modules/jmh/run-pool-benchmarks.sh" exec "$(dirname "${BASH_SOURCE[0]}")/run-benchmarks.sh" pool "$@"
