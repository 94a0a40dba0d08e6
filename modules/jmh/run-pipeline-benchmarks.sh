#!/usr/bin/env bash
# Runs the pipeline benchmark suite (Pipeline_01 to Pipeline_04 and the Go twins in go/pipeline): a result set in
# docs/benchmarks/results/ and docs/benchmarks/pipeline.md rendered from it; see run-benchmarks.sh (load check,
# --smoke, --jmh-args, --out). About 11 minutes: 25 JMH rows x 2 forks x (5 + 5) x 1 s, plus the Go twin (11
# sub-benchmarks x 5 runs).
GOPATTERNS_BENCH_INVOCATION="modules/jmh/run-pipeline-benchmarks.sh" exec "$(dirname "${BASH_SOURCE[0]}")/run-benchmarks.sh" pipeline "$@"
