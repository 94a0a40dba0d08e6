// Go twins of the pipeline benchmarks Pipeline_01 to Pipeline_04 (../../src/main/java/dev/gopatterns/jmh), standard
// library only; one op is one item through the whole pipeline, as the Java rows' @OperationsPerInvocation makes it:
//
//	Pipeline_01_GenSquareSum  <->  BenchmarkGenSquareSum/buf=N            gen -> sq -> sum, selects on done
//	Pipeline_02_ParallelMap   <->  BenchmarkParallelMap/impl=unordered      4 workers over one channel, one out
//	                               BenchmarkParallelMap/impl=ordered        channel of channels, order capacity 4
//	                               BenchmarkParallelMap/impl=sequential     the work alone, in a loop
//	Pipeline_03_Merge4        <->  BenchmarkMerge4/impl=merge/buf=N         a forwarding goroutine per input
//	                               BenchmarkMerge4/impl=select/buf=N        one select loop, closed inputs set to nil
//	Pipeline_04_FanOutFanIn   <->  BenchmarkFanOutFanIn/buf=N               1 -> 4 workers -> 1, WaitGroup closer
//
// buf=N is the capacity of the hand-written channels, as in the Java variants "gopatterns:N" and "jox:N".
// Differences from the Java harness: b.N items go through one pipeline (Java: a fixed batch per invocation, the
// pipeline started anew for each), the values are ints, not boxes, and the consumer is the benchmark goroutine.
//
// How to run: cd modules/jmh/go && go test -run '^$' -bench . -benchtime 1s -count 5 ./pipeline
package pipeline

import (
	"fmt"
	"sync"
	"testing"
)

var sink uint64

// spin is the pool twin's (go/pool): about 1 us of CPU on the 2-core Xeon it was calibrated on with spin(128),
// the counterpart of Pool_01_PerJobOverhead.ONE_MICROSECOND_TOKENS that Pipeline_02 uses.
func spin(n int) uint64 {
	x := uint64(n)
	for i := 0; i < n*8; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

// f is Pipeline_02's function: about a microsecond of CPU, then v + 1.
func f(v int) int {
	if spin(128) == 42 { // never true; keeps the loop from being removed
		sink++
	}
	return v + 1
}

func gen(done <-chan struct{}, n, buf int) <-chan int {
	out := make(chan int, buf)
	go func() {
		defer close(out)
		for i := 0; i < n; i++ {
			select {
			case out <- i:
			case <-done:
				return
			}
		}
	}()
	return out
}

func sq(done <-chan struct{}, in <-chan int, buf int) <-chan int {
	out := make(chan int, buf)
	go func() {
		defer close(out)
		for v := range in {
			select {
			case out <- v * v:
			case <-done:
				return
			}
		}
	}()
	return out
}

// BenchmarkGenSquareSum is the pipeline of "Pipelines and cancellation": gen -> sq -> sum over b.N numbers.
func BenchmarkGenSquareSum(b *testing.B) {
	for _, buf := range []int{0, 64} {
		b.Run(fmt.Sprintf("buf=%d", buf), func(b *testing.B) {
			done := make(chan struct{})
			defer close(done)
			n := b.N
			b.ResetTimer()
			var sum uint64
			for v := range sq(done, gen(done, n, buf), buf) {
				sum += uint64(v)
			}
			b.StopTimer()
			var want uint64
			for i := 0; i < n; i++ {
				want += uint64(i) * uint64(i)
			}
			if sum != want {
				b.Fatalf("sum of squares %d, want %d", sum, want)
			}
		})
	}
}

type job struct {
	v  int
	rc chan int
}

// BenchmarkParallelMap maps b.N values through f at parallelism 4, in input order (the channel-of-channels idiom:
// the dispatcher puts each item's 1-buffered result channel into an ordered channel of capacity 4, then hands the
// item to a worker), in any order (4 workers over one input channel, one output), or in a loop (the work alone).
func BenchmarkParallelMap(b *testing.B) {
	const workers = 4
	b.Run("impl=unordered", func(b *testing.B) {
		done := make(chan struct{})
		defer close(done)
		n := b.N
		b.ResetTimer()
		in := gen(done, n, 0)
		out := make(chan int)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for v := range in {
					select {
					case out <- f(v):
					case <-done:
						return
					}
				}
			}()
		}
		go func() { wg.Wait(); close(out) }()
		sum := 0
		for r := range out {
			sum += r
		}
		b.StopTimer()
		if want := n * (n + 1) / 2; sum != want {
			b.Fatalf("sum of results %d, want %d", sum, want)
		}
	})
	b.Run("impl=ordered", func(b *testing.B) {
		done := make(chan struct{})
		defer close(done)
		n := b.N
		b.ResetTimer()
		in := gen(done, n, 0)
		jobs := make(chan job)
		order := make(chan chan int, workers)
		go func() {
			defer close(order)
			defer close(jobs)
			for v := range in {
				rc := make(chan int, 1)
				select {
				case order <- rc:
				case <-done:
					return
				}
				select {
				case jobs <- job{v, rc}:
				case <-done:
					return
				}
			}
		}()
		for w := 0; w < workers; w++ {
			go func() {
				for j := range jobs {
					j.rc <- f(j.v) // never blocks: the channel holds one
				}
			}()
		}
		next := 0
		for rc := range order {
			if r := <-rc; r != next+1 {
				b.Fatalf("expected f(%d) = %d at position %d, received %d", next, next+1, next, r)
			}
			next++
		}
		b.StopTimer()
		if next != n {
			b.Fatalf("received %d results, sent %d", next, n)
		}
	})
	b.Run("impl=sequential", func(b *testing.B) {
		sum := 0
		for i := 0; i < b.N; i++ {
			sum += f(i)
		}
		sink += uint64(sum)
	})
}

func merge(done <-chan struct{}, cs ...<-chan int) <-chan int {
	var wg sync.WaitGroup
	out := make(chan int)
	output := func(c <-chan int) {
		defer wg.Done()
		for v := range c {
			select {
			case out <- v:
			case <-done:
				return
			}
		}
	}
	wg.Add(len(cs))
	for _, c := range cs {
		go output(c)
	}
	go func() { wg.Wait(); close(out) }()
	return out
}

// BenchmarkMerge4 merges 4 producers' channels into one consumer: with merge (a goroutine per input, as in
// "Pipelines and cancellation"), or with the consumer's own select loop, which sets a closed input to nil.
func BenchmarkMerge4(b *testing.B) {
	const producers = 4
	for _, impl := range []string{"merge", "select"} {
		for _, buf := range []int{0, 64} {
			b.Run(fmt.Sprintf("impl=%s/buf=%d", impl, buf), func(b *testing.B) {
				done := make(chan struct{})
				defer close(done)
				each := (b.N + producers - 1) / producers
				n := each * producers
				b.ResetTimer()
				cs := make([]chan int, producers)
				for p := range cs {
					cs[p] = make(chan int, buf)
					go func(c chan int, from int) {
						defer close(c)
						for i := from; i < from+each; i++ {
							c <- i
						}
					}(cs[p], p*each)
				}
				next := make([]int, producers)
				for p := range next {
					next[p] = p * each
				}
				received := 0
				check := func(v int) {
					if p := v / each; p >= producers || v != next[p] {
						b.Fatalf("received %d, expected one of %v", v, next)
					} else {
						next[p]++
					}
					received++
				}
				if impl == "merge" {
					for v := range merge(done, cs[0], cs[1], cs[2], cs[3]) {
						check(v)
					}
				} else {
					c0, c1, c2, c3 := cs[0], cs[1], cs[2], cs[3]
					for open := producers; open > 0; {
						select {
						case v, ok := <-c0:
							if !ok {
								c0, open = nil, open-1
								continue
							}
							check(v)
						case v, ok := <-c1:
							if !ok {
								c1, open = nil, open-1
								continue
							}
							check(v)
						case v, ok := <-c2:
							if !ok {
								c2, open = nil, open-1
								continue
							}
							check(v)
						case v, ok := <-c3:
							if !ok {
								c3, open = nil, open-1
								continue
							}
							check(v)
						}
					}
				}
				b.StopTimer()
				if received != n {
					b.Fatalf("received %d values, sent %d", received, n)
				}
			})
		}
	}
}

// BenchmarkFanOutFanIn is 1 -> 4 -> 1: a source, 4 workers over one channel mapping v to v + 1, a goroutine that
// closes the output after the workers (wg.Wait(); close(out)), and the consumer, which checks every value once.
func BenchmarkFanOutFanIn(b *testing.B) {
	const workers = 4
	for _, buf := range []int{0, 64} {
		b.Run(fmt.Sprintf("buf=%d", buf), func(b *testing.B) {
			done := make(chan struct{})
			defer close(done)
			n := b.N
			seen := make([]bool, n)
			b.ResetTimer()
			in := gen(done, n, buf)
			out := make(chan int, buf)
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for v := range in {
						select {
						case out <- v + 1:
						case <-done:
							return
						}
					}
				}()
			}
			go func() { wg.Wait(); close(out) }()
			received := 0
			for v := range out {
				if v < 1 || v > n || seen[v-1] {
					b.Fatalf("value %d received twice, unmapped or never sent", v)
				}
				seen[v-1] = true
				received++
			}
			b.StopTimer()
			if received != n {
				b.Fatalf("received %d values, sent %d", received, n)
			}
		})
	}
}
