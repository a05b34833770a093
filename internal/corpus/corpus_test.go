package corpus

import (
	"bytes"
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
	objs, diags, err := manifest.ReadAll("corpus.yaml", &buf, manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, dg := range diags {
		t.Errorf("line %d: %s: %s", dg.Pos.Line, dg.Kind, dg.Message)
	}
	seen := map[string]bool{}
	count := 0
	for _, o := range objs {
		key := o.Kind + "/" + o.Namespace + "/" + o.Name
		if seen[key] {
			t.Errorf("duplicate object %s", key)
		}
		seen[key] = true
		count++
	}
	if count != n {
		t.Fatalf("got %d objects, want %d", count, n)
	}
}
