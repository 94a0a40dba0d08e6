// Package chanbench is the Go twin of the JMH channel benchmarks in ../src/main/java/dev/gopatterns/jmh: the same
// workloads on Go's own channels and goroutines, so the Java numbers have a scale to be read against.
//
//	Channels_01_PingPong   <->  BenchmarkPingPong     ns per round trip (two hand-offs)
//	Channels_02_Throughput <->  BenchmarkThroughput   ns per value, one producer and one consumer
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
