#!/usr/bin/env bash
# Runs the batching benchmark suite (Batch_01: a Batcher in front of a backend with a fixed cost per call, against
# one backend call per item; throughput at 16 and 64 callers, latency at one; no Go twin): a result set in
# docs/benchmarks/results/ and docs/benchmarks/batching.md rendered from it; see run-benchmarks.sh. About 14 minutes,
# 1 to 2 of them building.
GOPATTERNS_BENCH_INVOCATION="modules/jmh/run-batching-benchmarks.sh" exec "$(dirname "${BASH_SOURCE[0]}")/run-benchmarks.sh" batching "$@"
