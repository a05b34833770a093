package validation_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/kubevet/kubevet/internal/manifest"
)

// TestCorpusVerdicts runs the agreement corpus without an API server: a
// manifest of the valid folder gets no error, one of the invalid folder at
// least one. TestAgreement checks the folders against a real server.
func TestCorpusVerdicts(t *testing.T) {
	data, err := os.ReadFile(corpus + "/crds.yaml")
	if err != nil {
		t.Fatal(err)
	}
	crds, _, err := manifest.ReadAll("crds.yaml", bytes.NewReader(data), manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range corpusFiles(t) {
		rejects, why := verdict(t, f.path, crds)
		if rejects == f.valid {
			t.Errorf("%s: kubevet rejects=%v %v", f.path, rejects, why)
		}
	}
}
