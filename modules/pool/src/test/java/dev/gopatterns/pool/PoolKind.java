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
    };

    abstract WorkerPool.Builder builder(int n);
}
