package main

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Heap headroom while a check runs. With the default GOGC=100 the
// collector lets the heap grow to twice its live size before it collects,
// and a large input keeps much of what it reads live until the end (the
// objects the checks across objects need, every finding): peak memory is
// then twice the live heap. While the check runs and its reports are
// written, guardHeap holds the heap to its live size plus a quarter and
// headroomFloor, through a soft memory limit that follows the live heap as
// it grows. Small inputs never reach the limit (the floor is above twice
// their live heap); large ones pay a few more collections for a third less
// memory. Measured on 100,000 objects (2 cores, 3 runs each, -o json;
// /usr/bin/time -f %M): whole catalog 292-323 MB with a 96 MB floor and
// the limit lifted before the reports, 269-281 MB with a 64 MB floor kept
// through them, for 3-5% more CPU (8.1-8.3 s -> 8.3-8.7 s); single-object
// checks only 298-312 -> 260-285 MB. A limit the user set (GOMEMLIMIT) is
// left alone.
const (
	headroomFloor = 64 << 20
	guardEvery    = 20 * time.Millisecond
)

// guardHeap starts holding the heap's headroom and returns the function
// that stops it and lifts the limit again.
func guardHeap() (stop func()) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(guardEvery)
		defer t.Stop()
		var limit int64
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			live := int64(sample[0].Value.Uint64())
			if l := live + live/4 + headroomFloor; l > limit {
				limit = l
				debug.SetMemoryLimit(limit)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		debug.SetMemoryLimit(math.MaxInt64)
	}
}
