// Package syncbench is the Go twin of the JMH benchmarks Sync_01 to Sync_06 in ../../src/main/java/dev/gopatterns/jmh:
// the same workloads with Go's standard library, so the Java numbers have a scale to be read against.
//
//	Sync_01_ContextCancel            <->  BenchmarkContextCancel          ns per create-and-cancel
//	Sync_02_ContextCancelTree        <->  BenchmarkContextCancelTree      ns/child (one op is a tree of 100 children)
//	Sync_03_SemaphoreUncontended     <->  BenchmarkSemaphoreUncontended   ns per acquire/release pair
//	Sync_05_SemaphoreContendedBatch  <->  BenchmarkSemaphoreContended     ns per pair per goroutine, and handoffs/acquire
//	Sync_06_FanOut                   <->  BenchmarkFanOut                 ns/task (one op is a batch of 10,000 tasks)
//
// Sub-benchmarks are named after the Java benchmark methods or parameters they mirror.
//
// Standard library only, so that it runs anywhere `go` does: the semaphore is a buffered channel of capacity 1 (Go's
// idiom; golang.org/x/sync/semaphore.Weighted, the model of the Java weighted semaphore, is a mutex and a list like
// the Java one), and the limited fan-out uses a buffered channel of 8 tokens, which is exactly how
// golang.org/x/sync/errgroup implements SetLimit. There is no twin of Sync_07 (rate.Limiter is golang.org/x/time).
//
// How to run (from modules/jmh/go):
//
//	go test -run '^$' -bench . -benchtime 1s -count 5 ./sync     # as the report does
//	go test -run '^$' -bench . -benchtime 100x ./sync            # smoke: 100 iterations each
package syncbench

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	children = 100    // Sync_02_ContextCancelTree.CHILDREN
	tasks    = 10_000 // Sync_06_FanOut.TASKS
)

// reportPer replaces nothing: it adds a metric "ns/<unit>" for benchmarks whose op is a batch of n units.
func reportPer(b *testing.B, start time.Time, n int, unit string) {
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*n), "ns/"+unit)
}

var sinkCtx context.Context // keeps results alive, as JMH's blackhole does
var sinkBool bool

// BenchmarkContextCancel creates a context and cancels it; one op is one create-and-cancel.
func BenchmarkContextCancel(b *testing.B) {
	b.Run("withCancelOfBackground", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			sinkCtx = ctx
		}
	})
	b.Run("withCancelOfCancellable", func(b *testing.B) {
		parent, cancelParent := context.WithCancel(context.Background())
		defer cancelParent()
		for i := 0; i < b.N; i++ {
			ctx, cancel := context.WithCancel(parent)
			cancel()
			sinkCtx = ctx
		}
	})
	b.Run("withTimeoutOfBackground", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
			cancel()
			sinkCtx = ctx
		}
	})
	b.Run("isDoneOfLive", func(b *testing.B) {
		parent, cancelParent := context.WithCancel(context.Background())
		defer cancelParent()
		live, cancel := context.WithCancel(parent)
		defer cancel()
		for i := 0; i < b.N; i++ {
			sinkBool = live.Err() != nil
		}
		if sinkBool {
			b.Fatal("a live context reported done")
		}
	})
}

// BenchmarkContextCancelTree builds a parent with 100 children and ends it; one op is one tree, and the metric
// ns/child is what the Java benchmark reports.
func BenchmarkContextCancelTree(b *testing.B) {
	kids := make([]context.Context, children)
	cancels := make([]context.CancelFunc, children)
	build := func() (context.Context, context.CancelFunc) {
		parent, cancel := context.WithCancel(context.Background())
		for i := range kids {
			kids[i], cancels[i] = context.WithCancel(parent)
		}
		return parent, cancel
	}
	requireDone := func(b *testing.B) {
		if kids[0].Err() == nil || kids[children-1].Err() == nil {
			b.Fatal("a child is still live after its tree was cancelled")
		}
	}
	b.Run("build", func(b *testing.B) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			sinkCtx, _ = build() // dropped uncancelled, as in Java: nothing holds a timer or a goroutine
		}
		reportPer(b, start, children, "child")
	})
	b.Run("buildAndCancelParent", func(b *testing.B) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			parent, cancel := build()
			cancel()
			requireDone(b)
			sinkCtx = parent
		}
		reportPer(b, start, children, "child")
	})
	b.Run("buildAndCancelEachChild", func(b *testing.B) {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			parent, cancel := build()
			for _, c := range cancels {
				c()
			}
			cancel()
			requireDone(b)
			sinkCtx = parent
		}
		reportPer(b, start, children, "child")
	})
}

// BenchmarkSemaphoreUncontended takes a token from a channel of capacity 1 and gives it back, on one goroutine.
func BenchmarkSemaphoreUncontended(b *testing.B) {
	sem := make(chan struct{}, 1)
	b.Run("tryAcquireRelease", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			select {
			case sem <- struct{}{}:
			default:
				b.Fatal("tryAcquire failed on an uncontended semaphore")
			}
			<-sem
		}
	})
	b.Run("acquireRelease", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sem <- struct{}{}
			<-sem
		}
	})
}

// BenchmarkSemaphoreContended runs b.N acquire/release pairs on each of two goroutines sharing a semaphore of one
// token, so ns/op is per pair per goroutine, as in the Java batch benchmark. handoffs/acquire is the fraction of
// acquires that took the token over from the other goroutine (the Java report's "hand-offs" column).
func BenchmarkSemaphoreContended(b *testing.B) {
	sem := make(chan struct{}, 1)
	var owner int32 = -1 // guarded by the semaphore
	var handoffs [2]int64
	var wg sync.WaitGroup
	var ready sync.WaitGroup
	ready.Add(2)
	b.ResetTimer()
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int32) {
			defer wg.Done()
			ready.Done()
			ready.Wait() // both contend from the first pair on, as the Java workers' barrier does
			var h int64
			for i := 0; i < b.N; i++ {
				sem <- struct{}{}
				if owner != w {
					owner = w
					h++
				}
				<-sem
			}
			atomic.StoreInt64(&handoffs[w], h)
		}(int32(w))
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(handoffs[0]+handoffs[1])/float64(2*b.N), "handoffs/acquire")
}

// BenchmarkFanOut starts 10,000 tiny goroutines and waits for them; one op is one batch, and the metric ns/task is
// what the Java benchmark reports.
func BenchmarkFanOut(b *testing.B) {
	var ran int64
	task := func() { atomic.AddInt64(&ran, 1) }
	check := func(b *testing.B) {
		if n := atomic.SwapInt64(&ran, 0); n != tasks {
			b.Fatalf("%d tasks ran in a batch of %d", n, tasks)
		}
	}
	b.Run("WaitGroup.go", func(b *testing.B) { // Java: WaitGroup.go; Go's errgroup without a limit is the same loop
		start := time.Now()
		for i := 0; i < b.N; i++ {
			var wg sync.WaitGroup
			for t := 0; t < tasks; t++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					task()
				}()
			}
			wg.Wait()
			check(b)
		}
		reportPer(b, start, tasks, "task")
	})
	b.Run("limit=8", func(b *testing.B) { // Java: ErrGroup:limit=8; errgroup's SetLimit is this token channel
		start := time.Now()
		for i := 0; i < b.N; i++ {
			var wg sync.WaitGroup
			sem := make(chan struct{}, 8)
			for t := 0; t < tasks; t++ {
				sem <- struct{}{}
				wg.Add(1)
				go func() {
					defer func() { <-sem; wg.Done() }()
					task()
				}()
			}
			wg.Wait()
			check(b)
		}
		reportPer(b, start, tasks, "task")
	})
}
