package engine_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/corpus"
	"github.com/kubevet/kubevet/internal/engine"
)

// TestSpillSameFindings: a run whose spill store moves to a file at once
// finds exactly what a run that keeps the store in memory finds, at the
// same positions.
func TestSpillSameFindings(t *testing.T) {
	file := filepath.Join(t.TempDir(), "corpus.yaml")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := corpus.Write(w, 1600); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	f.Close()
	run := func(memory int64) *engine.Result {
		defer engine.SetSpillMemory(memory)()
		res, err := engine.Check(context.Background(), []string{file}, engine.Options{Checks: catalog.All()})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	inMemory, spilled := run(1<<62), run(0)
	if len(inMemory.Findings) < 1600 {
		t.Fatalf("only %d findings: the corpus should give about two per object", len(inMemory.Findings))
	}
	if !reflect.DeepEqual(inMemory.Findings, spilled.Findings) {
		for i := range min(len(inMemory.Findings), len(spilled.Findings)) {
			if !reflect.DeepEqual(inMemory.Findings[i], spilled.Findings[i]) {
				t.Fatalf("finding %d differs:\n in memory %+v\n   spilled %+v", i, inMemory.Findings[i], spilled.Findings[i])
			}
		}
		t.Fatalf("%d findings in memory, %d spilled", len(inMemory.Findings), len(spilled.Findings))
	}
}
