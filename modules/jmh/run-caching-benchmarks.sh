#!/usr/bin/env bash
# Runs the caching benchmark suite (Cache_01, Cache_02, Resource_01, Scheduler_01: the TTL cache against Caffeine, the
# resource pool against commons-pool2, the scheduler against ScheduledThreadPoolExecutor; no Go twin): a result set
# in docs/benchmarks/results/ and docs/benchmarks/caching.md rendered from it; see run-benchmarks.sh. About 8
# minutes, 1 to 2 of them building.
GOPATTERNS_BENCH_INVOCATION="modules/jmh/run-caching-benchmarks.sh" exec "$(dirname "${BASH_SOURCE[0]}")/run-benchmarks.sh" caching "$@"
