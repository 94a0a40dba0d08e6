package dev.gopatterns.pool;

import dev.gopatterns.rate.Limiter;

/** The pool kinds the contract tests run over: each is a builder of a pool with up to {@code n} workers. */
enum PoolKind {
    /** {@code workers(n)}. */
    FIXED {
        @Override
        WorkerPool.Builder builder(int n) {
            return WorkerPool.builder().workers(n);
        }
    },
    /** {@code workers(0, n)}: starts with no worker, grows on demand. */
    DYNAMIC {
        @Override
        WorkerPool.Builder builder(int n) {
            return WorkerPool.builder().workers(0, n);
        }
    },
    /** Three priority levels; the contract's jobs all use level 0. */
    PRIORITY {
        @Override
        WorkerPool.Builder builder(int n) {
            return WorkerPool.builder().workers(n).priorities(3);
        }
    },
    /** One capability group and no general workers; jobs that require nothing run on it. */
    CAPABILITY {
        @Override
        WorkerPool.Builder builder(int n) {
            return WorkerPool.builder().workerGroup(n, "io");
        }
    },
    /** An unlimited rate limiter: the token path on every job. */
    RATE_LIMITED {
        @Override
        WorkerPool.Builder builder(int n) {
            return WorkerPool.builder().workers(n).rateLimit(new Limiter(Limiter.INF, 1));
        }
    },
    /** A queue per worker, job k to worker k mod n. */
    ROUND_ROBIN {
        @Override
        WorkerPool.Builder builder(int n) {
            return WorkerPool.builder().workers(n).distribution(Distribution.roundRobin());
        }
    },
    /** A queue per worker, each job to the worker with the fewest jobs queued and running. */
    LEAST_LOADED {
        @Override
        WorkerPool.Builder builder(int n) {
            return WorkerPool.builder().workers(n).distribution(Distribution.leastLoaded());
        }
    },
    /**
     * A queue per worker, each job to a random one. Two jobs may land on one worker while another idles, so a test
     * that needs n jobs running at once on n workers cannot run over this kind (see immediateShutdown).
     */
    RANDOM {
        @Override
        WorkerPool.Builder builder(int n) {
            return WorkerPool.builder().workers(n).distribution(Distribution.random());
        }
    },
    /**
     * A queue per worker, weights 1, 2, ..., n: unequal, and (for the n of these tests, up to 3) the first n jobs go
     * to n different workers, as a test that needs n jobs running at once on n workers requires.
     */
    WEIGHTED {
        @Override
        WorkerPool.Builder builder(int n) {
            int[] weights = new int[n];
            for (int i = 0; i < n; i++) {
                weights[i] = i + 1;
            }
            return WorkerPool.builder().workers(n).distribution(Distribution.weighted(weights));
        }
    },
    /** Random with stealing: no worker idles while a job waits, whatever the draw. */
    RANDOM_STEALING {
        @Override
        WorkerPool.Builder builder(int n) {
            return WorkerPool.builder().workers(n).distribution(Distribution.random().withStealing());
        }
    };

    abstract WorkerPool.Builder builder(int n);
}
