#!/usr/bin/env bash
# Runs the resilience benchmark suite (Resilience_01 and Resilience_02: circuit breaker and retry overhead per call,
# against resilience4j; no Go twin): a result set in docs/benchmarks/results/ and docs/benchmarks/resilience.md
# rendered from it; see run-benchmarks.sh. About 7 minutes, 1 to 2 of them building.
GOPATTERNS_BENCH_INVOCATION="modules/jmh/run-resilience-benchmarks.sh" exec "$(dirname "${BASH_SOURCE[0]}")/run-benchmarks.sh" resilience "$@"
