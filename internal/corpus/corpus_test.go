package corpus

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/kubevet/kubevet/internal/manifest"
)

// TestCorpusIsValid decodes a corpus and requires every document to be a
// valid, distinct object: benchmarks on broken input would measure the
// error path.
func TestCorpusIsValid(t *testing.T) {
	var buf bytes.Buffer
	const n = 400
	if err := Write(&buf, n); err != nil {
		t.Fatal(err)
	}
	s := manifest.NewSplitter(&buf)
	seen := map[string]bool{}
	count := 0
	for {
		c, err := s.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		d := manifest.Decode("corpus.yaml", c, manifest.Options{})
		for _, dg := range d.Diagnostics {
			t.Errorf("line %d: %s: %s", dg.Pos.Line, dg.Kind, dg.Message)
		}
		for _, o := range d.Objects {
			key := o.Kind + "/" + o.Namespace + "/" + o.Name
			if seen[key] {
				t.Errorf("duplicate object %s", key)
			}
			seen[key] = true
			count++
		}
	}
	if count != n {
		t.Fatalf("got %d objects, want %d", count, n)
	}
}
