package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/corpus"
	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/report/sariftest"
)

// corpusResult is the result of the whole catalog on n generated objects,
// one application per file; computed once per n.
var corpusResult = func() func(tb testing.TB, n int) *engine.Result {
	var mu sync.Mutex
	done := map[int]*engine.Result{}
	return func(tb testing.TB, n int) *engine.Result {
		tb.Helper()
		mu.Lock()
		defer mu.Unlock()
		if res := done[n]; res != nil {
			return res
		}
		dir := tb.TempDir()
		if err := corpus.WriteFiles(dir, n); err != nil {
			tb.Fatal(err)
		}
		res, err := engine.Check(context.Background(), []string{dir}, engine.Options{Checks: catalog.All(), Now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			tb.Fatal(err)
		}
		// File names relative to the corpus, as a run in its folder gives.
		for i := range res.Findings {
			if rel, err := filepath.Rel(dir, res.Findings[i].File); err == nil {
				res.Findings[i].File = rel
			}
		}
		done[n] = res
		return res
	}
}()

// corpusReport is a report of the whole catalog on n generated objects.
func corpusReport(tb testing.TB, n int) *Report {
	return &Report{
		Tool: Tool{Name: "kubevet", Version: "test"}, Result: corpusResult(tb, n), Catalog: catalog.All(),
		Time: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC),
	}
}

// shuffled is r with its first 2,000 findings out of the engine's order (files and
// namespaces interleaved), notes on files with and without findings, a
// check outside the catalog, values profiles and a baseline count: what
// the streamed formats must not assume away.
func shuffled(r *Report) *Report {
	res := *r.Result
	res.Findings = res.Findings[:min(len(res.Findings), 2000)]
	fs := make([]check.Finding, 0, len(res.Findings)+1)
	for i := 0; i < len(res.Findings); i += 2 {
		fs = append(fs, res.Findings[i])
	}
	for i := len(res.Findings) - 1 - len(res.Findings)%2; i > 0; i -= 2 {
		fs = append(fs, res.Findings[i])
	}
	fs[len(fs)/3].Check = "outside-the-catalog"
	fs[len(fs)/2].Profiles = []string{"prod", "dev"}
	fs = append(fs, check.Finding{Check: "outside-the-catalog", Severity: check.Warning, File: "-", Line: 2, Column: 1, Message: "broken <document> & more"})
	multi := fs[len(fs)/4]
	multi.Message = "first line\n  second: line, indented\nthird # line\n"
	fs = append(fs, multi)
	res.Findings = fs
	res.Notes = append(append([]engine.Note{}, res.Notes...),
		engine.Note{File: fs[0].File, Line: 3, Level: engine.NoteWarning, Message: "a note on a file with findings"},
		engine.Note{File: "values.yaml", Level: engine.NoteInfo, Message: "not a Kubernetes object, skipped"},
		engine.Note{File: "values.yaml", Line: 9, Level: engine.NoteError, Message: "second note <b>&</b>"},
	)
	out := *r
	out.Result = &res
	out.Baselined = 7
	return &out
}

// streamedFormats pairs each format that streams with its whole-document
// version.
var streamedFormats = []struct {
	name            string
	streamed, whole Format
}{
	{"json", JSON, wholeJSON},
	{"sarif", SARIF, wholeSARIF},
	{"policyreport", PolicyReport, wholePolicyReport},
	{"junit", JUnit, wholeJUnit},
	{"html", HTML, wholeHTML},
}

// TestStreamedEqualsWhole: the formats that stream their findings write the
// same bytes as the whole-document encoding they replace, on the sample
// and on a generated corpus of a few thousand objects.
func TestStreamedEqualsWhole(t *testing.T) {
	empty := sample()
	empty.Result.Findings, empty.Result.Notes = nil, nil
	baselined := sample()
	baselined.Baselined = 3
	baselined.Result.Findings[1].Profiles = []string{"prod", "dev"}
	big := corpusReport(t, 3000)
	reports := []struct {
		name string
		r    *Report
	}{
		{"sample", sample()}, {"empty", empty}, {"baselined", baselined},
		{"corpus", big}, {"corpus-shuffled", shuffled(big)},
	}
	if n := len(big.Result.Findings); n < 5000 {
		t.Fatalf("the corpus gives %d findings, expected thousands", n)
	}
	for _, f := range streamedFormats {
		for _, rep := range reports {
			t.Run(f.name+"/"+rep.name, func(t *testing.T) {
				var got, want bytes.Buffer
				if err := f.streamed(&got, rep.r); err != nil {
					t.Fatal(err)
				}
				if err := f.whole(&want, rep.r); err != nil {
					t.Fatal(err)
				}
				if f.name == "sarif" && rep.name != "corpus-shuffled" { // the same shapes as the corpus
					sariftest.Validate(t, got.Bytes())
				}
				if bytes.Equal(got.Bytes(), want.Bytes()) {
					return // and so the same content
				}
				t.Errorf("%s differs from the whole-document encoding at byte %d:\n%s", f.name, firstDiff(got.Bytes(), want.Bytes()), around(got.Bytes(), want.Bytes()))
				if f.name == "sarif" || f.name == "json" {
					var a, b any
					if err := json.Unmarshal(got.Bytes(), &a); err != nil {
						t.Fatalf("streamed %s is not JSON: %v", f.name, err)
					}
					if err := json.Unmarshal(want.Bytes(), &b); err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(a, b) {
						t.Errorf("the streamed %s differs in content too, not only in layout", f.name)
					}
				}
			})
		}
	}
}

func firstDiff(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

func around(got, want []byte) string {
	i := firstDiff(got, want)
	cut := func(b []byte) []byte { return b[max(0, i-200):min(len(b), i+200)] }
	return fmt.Sprintf("--- got\n%s\n--- want\n%s", cut(got), cut(want))
}

// benchReport is a report of exactly 10,000 findings of the generated
// corpus.
func benchReport(b *testing.B) *Report {
	r := corpusReport(b, 5000)
	if len(r.Result.Findings) < 10000 {
		b.Fatalf("%d findings, want 10,000", len(r.Result.Findings))
	}
	res := *r.Result
	res.Findings = res.Findings[:10000]
	r.Result = &res
	return r
}

// peakHeap samples the heap (live and not yet collected objects) while run
// runs and returns its peak above the heap before it.
func peakHeap(run func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	base := read()
	peak := base
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				peak = max(peak, read())
			}
		}
	}()
	run()
	close(stop)
	<-done
	peak = max(peak, read())
	return peak - base
}

// BenchmarkFormats writes 10,000 findings in every format (B/op), with
// peak-heap-B the most the heap grew above what it held before (the
// report's own peak); the -whole variants are the formats as they were
// before they streamed.
func BenchmarkFormats(b *testing.B) {
	r := benchReport(b)
	formats := []struct {
		name string
		f    Format
	}{}
	for _, name := range Names() {
		formats = append(formats, struct {
			name string
			f    Format
		}{name, Formats[name]})
	}
	for _, s := range streamedFormats {
		formats = append(formats, struct {
			name string
			f    Format
		}{s.name + "-whole", s.whole})
	}
	for _, f := range formats {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			for b.Loop() {
				peak = max(peak, peakHeap(func() {
					if err := f.f(io.Discard, r); err != nil {
						b.Fatal(err)
					}
				}))
			}
			b.ReportMetric(float64(peak), "peak-heap-B")
		})
	}
}
