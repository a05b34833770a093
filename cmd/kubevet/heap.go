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
// and a large input keeps most of what it reads live until the end (the
// objects the checks across objects need, every finding): peak memory is
// then twice the live heap. While the check runs, guardHeap holds the
// heap to its live size plus a quarter and headroomFloor, through a soft
// memory limit that follows the live heap as it grows. Small inputs never
// reach the limit (the floor is above twice their live heap); large ones
// pay a few more collections near the end of the run for a quarter less
// memory. Measured on 100,000 objects (whole catalog, 2 cores, 6 runs
// each, the same tree without and with it): peak RSS 609-697 MB ->
// 462-483 MB for 6-10% more CPU (8.2-8.5 s -> 8.9-10.0 s); a 64 MB floor
// gave 441-445 MB for about 10% more, a 32 MB floor 405 MB for 30% more. The limit is lifted
// when the check is done: the report formats have their own, shorter-lived
// peaks. A limit the user set (GOMEMLIMIT) is left alone.
const (
	headroomFloor = 96 << 20
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
