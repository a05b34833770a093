package engine_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/corpus"
	"github.com/kubevet/kubevet/internal/engine"
)

// cpuTime returns the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCheck measures kubevet against the cost of merely decoding the
// same bytes into yaml.v3 nodes on one core. cpu-ns/obj is CPU time (all
// cores summed) per object; the ratio of check to yaml-nodes is the figure
// the speed target is about. Run with -benchtime=1x for the large corpora:
//
//	go test ./internal/engine -run '^$' -bench Check -benchtime=1x
func BenchmarkCheck(b *testing.B) {
	sizes := []int{10000, 100000}
	if testing.Short() {
		sizes = []int{2000}
	}
	for _, n := range sizes {
		dir := b.TempDir()
		stream := filepath.Join(dir, "corpus.yaml")
		f, err := os.Create(stream)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriter(f)
		if err := corpus.Write(w, n); err != nil {
			b.Fatal(err)
		}
		w.Flush()
		f.Close()
		tree := filepath.Join(dir, "tree")
		if err := corpus.WriteFiles(tree, n); err != nil {
			b.Fatal(err)
		}
		// The same documents, each with a comment holding a tab: none is
		// in the plain parser's subset, so yaml.v3 parses them all.
		all, err := os.ReadFile(stream)
		if err != nil {
			b.Fatal(err)
		}
		outside := filepath.Join(dir, "outside.yaml")
		if err := os.WriteFile(outside, bytes.ReplaceAll(all, []byte("---\n"), []byte("---\n#\tparsed by yaml.v3\n")), 0o644); err != nil {
			b.Fatal(err)
		}
		all = nil

		// Each check benchmark reports x-yaml, its CPU time per object
		// over that of the yaml-nodes baseline, measured right before and
		// right after it in the same run: on a shared machine the
		// baseline moves with the load, and the ratio stays put.
		yamlNodes := func() { decodeNodes(b, stream) }
		b.Run(fmt.Sprintf("yaml-nodes/n=%d", n), func(b *testing.B) {
			measure(b, n, 0, yamlNodes)
		})
		b.Run(fmt.Sprintf("check-stream/n=%d", n), func(b *testing.B) {
			measureAgainst(b, n, yamlNodes, func() { runCheck(b, stream, n, 0) })
		})
		b.Run(fmt.Sprintf("check-stream-1core/n=%d", n), func(b *testing.B) {
			measureAgainst(b, n, yamlNodes, func() { runCheck(b, stream, n, 1) })
		})
		b.Run(fmt.Sprintf("check-files/n=%d", n), func(b *testing.B) {
			measureAgainst(b, n, yamlNodes, func() { runCheck(b, tree, n, 0) })
		})
		b.Run(fmt.Sprintf("check-stream-yaml.v3/n=%d", n), func(b *testing.B) {
			measureAgainst(b, n, func() { decodeNodes(b, outside) }, func() { runCheck(b, outside, n, 0) })
		})
		b.Run(fmt.Sprintf("check-stream-single-object/n=%d", n), func(b *testing.B) {
			measureAgainst(b, n, yamlNodes, func() { runChecks(b, stream, n, 0, singleObject()) })
		})
		b.Run(fmt.Sprintf("check-stream-single-object-1core/n=%d", n), func(b *testing.B) {
			measureAgainst(b, n, yamlNodes, func() { runChecks(b, stream, n, 1, singleObject()) })
		})
	}
}

// measure runs f b.N times and reports CPU and wall time per object, and
// the CPU time's ratio to base (x-yaml) when base is set. It returns the
// CPU time per object.
func measure(b *testing.B, n int, base float64, f func()) float64 {
	b.ReportAllocs()
	start, wall := cpuTime(), time.Now()
	for range b.N {
		f()
	}
	cpu, elapsed := cpuTime()-start, time.Since(wall)
	objs := float64(b.N * n)
	perObj := float64(cpu.Nanoseconds()) / objs
	b.ReportMetric(perObj, "cpu-ns/obj")
	b.ReportMetric(float64(elapsed.Nanoseconds())/objs, "wall-ns/obj")
	if base > 0 {
		b.ReportMetric(perObj/base, "x-yaml")
	}
	return perObj
}

// measureAgainst is measure with the baseline run once right before and
// once right after f (outside the timer), x-yaml taken to their mean.
func measureAgainst(b *testing.B, n int, baseline, f func()) {
	b.StopTimer()
	before := cpuOf(baseline)
	b.StartTimer()
	b.ReportAllocs()
	start, wall := cpuTime(), time.Now()
	for range b.N {
		f()
	}
	cpu, elapsed := cpuTime()-start, time.Since(wall)
	b.StopTimer()
	after := cpuOf(baseline)
	b.StartTimer()
	objs := float64(b.N * n)
	b.ReportMetric(float64(cpu.Nanoseconds())/objs, "cpu-ns/obj")
	b.ReportMetric(float64(elapsed.Nanoseconds())/objs, "wall-ns/obj")
	b.ReportMetric(float64(cpu)/float64(b.N)/(float64(before+after)/2), "x-yaml")
}

func cpuOf(f func()) time.Duration {
	start := cpuTime()
	f()
	return cpuTime() - start
}

// decodeNodes is the baseline: yaml.v3 reading every document into nodes,
// on one goroutine.
func decodeNodes(b *testing.B, file string) {
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(bufio.NewReader(f))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); errors.Is(err, io.EOF) {
			return
		} else if err != nil {
			b.Fatal(err)
		}
	}
}

func runCheck(b *testing.B, path string, n, workers int) {
	runChecks(b, path, n, workers, catalog.All())
}

// singleObject is the catalog without the checks across objects: the
// engine then keeps nothing between documents.
func singleObject() []*check.Check {
	var out []*check.Check
	for _, c := range catalog.All() {
		if !c.Cross {
			out = append(out, c)
		}
	}
	return out
}

func runChecks(b *testing.B, path string, n, workers int, checks []*check.Check) {
	res, err := engine.Check(context.Background(), []string{path}, engine.Options{Checks: checks, Workers: workers})
	if err != nil {
		b.Fatal(err)
	}
	if res.Objects != n {
		b.Fatalf("checked %d objects, want %d", res.Objects, n)
	}
}
