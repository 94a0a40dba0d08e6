// Go twins of Pool_01_PerJobOverhead: jobs through a channel-fed pool of N goroutines, and through goroutines
// bounded by a channel semaphore (make(chan struct{}, N), the standard library's idiom; x/sync's Weighted is the
// same shape but needs a module download this machine cannot make), per job. The work is empty, or about a microsecond
// of CPU (the same loop length as JMH's consumeCPU is not available; a fixed arithmetic loop is calibrated below).
// BenchmarkDistribution is the twin of Pool_03_Distribution (a shared channel against per-worker channels).
//
// How to run: cd modules/jmh/go && go test -run '^$' -bench . ./pool
package pool

import (
	"fmt"
	"math/rand"
	"sync"
	"testing"
)

const jobs = 100_000

var sink uint64

// spin burns about n*8 ns of CPU on the 2-core Xeon this was calibrated on: spin(128) is about 1 us.
func spin(n int) {
	x := uint64(n)
	for i := 0; i < n*8; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sink += x
}

func work(kind string) func() {
	if kind == "empty" {
		return func() {}
	}
	return func() { spin(128) }
}

func BenchmarkChannelPool(b *testing.B) {
	for _, workers := range []int{2, 8} {
		for _, kind := range []string{"empty", "1us"} {
			b.Run(fmt.Sprintf("workers=%d/work=%s", workers, kind), func(b *testing.B) {
				job := work(kind)
				ch := make(chan func(), jobs)
				var wg sync.WaitGroup
				for w := 0; w < workers; w++ {
					go func() {
						for j := range ch {
							j()
							wg.Done()
						}
					}()
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					wg.Add(1)
					ch <- job
				}
				wg.Wait()
				b.StopTimer()
				close(ch)
			})
		}
	}
}

func BenchmarkSemaphoreBounded(b *testing.B) {
	for _, workers := range []int{2, 8} {
		for _, kind := range []string{"empty", "1us"} {
			b.Run(fmt.Sprintf("workers=%d/work=%s", workers, kind), func(b *testing.B) {
				job := work(kind)
				sem := make(chan struct{}, workers)
				var wg sync.WaitGroup
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					sem <- struct{}{}
					wg.Add(1)
					go func() {
						defer wg.Done()
						defer func() { <-sem }()
						job()
					}()
				}
				wg.Wait()
			})
		}
	}
}

// BenchmarkDistribution is the twin of Pool_03_Distribution: 4 goroutines fed by one shared channel, or each by its
// own channel with the jobs dealt round-robin (chans[i%4] <- job), for uniform jobs (spin(128), about 1 us) and
// skewed ones (one in 20 is 50 times longer, at seeded random positions: the same share as the Java benchmark, not
// the same positions).
func BenchmarkDistribution(b *testing.B) {
	const workers = 4
	for _, dist := range []string{"shared", "roundRobin"} {
		for _, kind := range []string{"uniform", "skewed"} {
			b.Run(fmt.Sprintf("dist=%s/work=%s", dist, kind), func(b *testing.B) {
				long := make([]bool, jobs)
				if kind == "skewed" {
					for _, p := range rand.New(rand.NewSource(2026)).Perm(jobs)[:jobs/20] {
						long[p] = true
					}
				}
				chans := make([]chan bool, workers)
				var wg sync.WaitGroup
				for w := range chans {
					if dist == "shared" && w > 0 {
						chans[w] = chans[0]
					} else {
						chans[w] = make(chan bool, jobs)
					}
				}
				for w := 0; w < workers; w++ {
					go func(in chan bool) {
						for l := range in {
							if l {
								spin(128 * 50)
							} else {
								spin(128)
							}
							wg.Done()
						}
					}(chans[w])
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					wg.Add(1)
					chans[i%workers] <- long[i%jobs]
				}
				wg.Wait()
				b.StopTimer()
				if dist == "shared" {
					close(chans[0])
				} else {
					for _, c := range chans {
						close(c)
					}
				}
			})
		}
	}
}

func BenchmarkWorkAlone(b *testing.B) {
	for i := 0; i < b.N; i++ {
		spin(128)
	}
}
