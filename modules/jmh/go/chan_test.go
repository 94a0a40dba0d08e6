// Package chanbench is the Go twin of the JMH channel benchmarks in ../src/main/java/dev/gopatterns/jmh: the same
// workloads on Go's own channels and goroutines, so the Java numbers have a scale to be read against.
//
//	Channels_01_PingPong   <->  BenchmarkPingPong     ns per round trip (two hand-offs)
//	Channels_02_Throughput <->  BenchmarkThroughput   ns per value, one producer and one consumer
//	Channels_04_FanOut     <->  BenchmarkFanOut       ns per value, 1 producer -> 4 workers -> 1 collector
//	Channels_05_Pipeline   <->  BenchmarkPipeline     ns per value through 3 stages (2 channels)
//	Channels_06_SelectMerge <-> BenchmarkSelectMerge  ns per value, 2 producers, 1 consumer selecting over both
//
// Each sub-benchmark is named cap=N after the channel's capacity, like the Java "gopatterns:N" parameter.
// Goroutines are the counterpart of the Java "virtual" rows: user-mode threads multiplexed on GOMAXPROCS OS threads
// (the default is the number of cores, as the virtual-thread scheduler's parallelism is).
//
// Differences from the Java harness: the values are ints, not boxed Integers, and the benchmark goroutine is one of
// the two parties, where JMH's thread only starts and waits for a batch. Neither matters at the scale compared.
//
// How to run (from modules/jmh/go):
//
//	go test -run '^$' -bench . -benchtime 1s -count 5     # as the report does
//	go test -run '^$' -bench . -benchtime 100x            # smoke: 100 iterations each
package chanbench

import (
	"fmt"
	"sync"
	"testing"
)

// BenchmarkPingPong bounces one value between two goroutines over two channels; one op is one round trip.
// Nothing ever queues, so a buffered channel behaves as an unbuffered one: this measures blocking and waking.
func BenchmarkPingPong(b *testing.B) {
	for _, capacity := range []int{0, 1024} {
		b.Run(fmt.Sprintf("cap=%d", capacity), func(b *testing.B) {
			ping := make(chan int, capacity)
			pong := make(chan int, capacity)
			done := make(chan struct{})
			go func() {
				defer close(done)
				for v := range ping {
					pong <- v
				}
			}()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ping <- i
				if v := <-pong; v != i {
					b.Fatalf("ping-pong returned %d, sent %d", v, i)
				}
			}
			b.StopTimer()
			close(ping)
			<-done // nothing outlives the benchmark
		})
	}
}

// BenchmarkThroughput streams b.N values from one producer goroutine to one consumer; one op is one value.
// The consumer checks the order, so a lost, duplicated or reordered value fails the benchmark.
func BenchmarkThroughput(b *testing.B) {
	for _, capacity := range []int{0, 1, 16, 1024} {
		b.Run(fmt.Sprintf("cap=%d", capacity), func(b *testing.B) {
			ch := make(chan int, capacity)
			n := b.N
			b.ResetTimer()
			go func() {
				for i := 0; i < n; i++ {
					ch <- i
				}
				close(ch)
			}()
			expected := 0
			for v := range ch {
				if v != expected {
					b.Fatalf("expected %d, received %d", expected, v)
				}
				expected++
			}
			if expected != n {
				b.Fatalf("received %d values, sent %d", expected, n)
			}
		})
	}
}

// BenchmarkFanOut sends b.N values from one producer to four workers over one channel, and from the workers to one
// collector over another (1 -> 4 -> 1); one op is one value through both channels. The collector checks that every
// value arrives exactly once (the order across workers is not defined).
func BenchmarkFanOut(b *testing.B) {
	const workers = 4
	for _, capacity := range []int{0, 16} {
		b.Run(fmt.Sprintf("cap=%d", capacity), func(b *testing.B) {
			in := make(chan int, capacity)
			out := make(chan int, capacity)
			n := b.N
			seen := make([]bool, n)
			b.ResetTimer()
			go func() {
				for i := 0; i < n; i++ {
					in <- i
				}
				close(in)
			}()
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for v := range in {
						out <- v
					}
				}()
			}
			for i := 0; i < n; i++ {
				v := <-out
				if v < 0 || v >= n || seen[v] {
					b.Fatalf("value %d received twice or never sent", v)
				}
				seen[v] = true
			}
			b.StopTimer()
			wg.Wait() // nothing outlives the benchmark
		})
	}
}

// BenchmarkPipeline passes b.N values through three stages (source, map, sink) connected by two channels; one op
// is one value through all three. The sink checks that value i arrives i-th, mapped.
func BenchmarkPipeline(b *testing.B) {
	for _, capacity := range []int{0, 16} {
		b.Run(fmt.Sprintf("cap=%d", capacity), func(b *testing.B) {
			a := make(chan int, capacity)
			c := make(chan int, capacity)
			n := b.N
			b.ResetTimer()
			go func() {
				for i := 0; i < n; i++ {
					a <- i
				}
				close(a)
			}()
			go func() {
				for v := range a {
					c <- v + 1
				}
				close(c)
			}()
			expected := 0
			for v := range c {
				if v != expected+1 {
					b.Fatalf("expected %d at position %d, received %d", expected+1, expected, v)
				}
				expected++
			}
			if expected != n {
				b.Fatalf("received %d values, sent %d", expected, n)
			}
		})
	}
}

// BenchmarkSelectMerge has two producers, each with its own channel, and one consumer that takes whichever value is
// ready with a two-case select; one op is one value received. The consumer checks each producer's order.
func BenchmarkSelectMerge(b *testing.B) {
	for _, capacity := range []int{0, 16} {
		b.Run(fmt.Sprintf("cap=%d", capacity), func(b *testing.B) {
			ca := make(chan int, capacity)
			cb := make(chan int, capacity)
			half := b.N / 2
			n := 2 * half
			b.ResetTimer()
			go func() {
				for i := 0; i < half; i++ {
					ca <- i
				}
			}()
			go func() {
				for i := half; i < n; i++ {
					cb <- i
				}
			}()
			nextA, nextB := 0, half
			for i := 0; i < n; i++ {
				select {
				case v := <-ca:
					if v != nextA {
						b.Fatalf("from a: expected %d, received %d", nextA, v)
					}
					nextA++
				case v := <-cb:
					if v != nextB {
						b.Fatalf("from b: expected %d, received %d", nextB, v)
					}
					nextB++
				}
			}
		})
	}
}
