package validation_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubevet/kubevet/internal/checktest"
)

// TestCorpusVerdicts runs the agreement corpus without an API server: a
// manifest of the valid folder gets no error, one of the invalid folder at
// least one. TestAgreement checks the folders against a real server.
func TestCorpusVerdicts(t *testing.T) {
	crds := checktest.File(t, corpus+"/crds.yaml")
	for _, f := range corpusFiles(t) {
		if unsupported[filepath.Base(f.path)] != "" {
			continue
		}
		rejects, why := verdict(t, f.path, crds)
		if rejects == f.valid {
			t.Errorf("%s: kubevet rejects=%v %v", f.path, rejects, why)
		}
	}
}

// TestOneFindingPerProblem: across the decoder's diagnostics and the
// checks that say the server rejects an object, no two findings of a
// corpus manifest land on the same field.
func TestOneFindingPerProblem(t *testing.T) {
	crds := checktest.File(t, corpus+"/crds.yaml")
	for _, f := range corpusFiles(t) {
		_, why := verdict(t, f.path, crds)
		seen := map[string]string{}
		for _, w := range why {
			// "file:line: check: path: message"
			parts := strings.SplitN(w, ": ", 3)
			if len(parts) < 3 {
				continue
			}
			key := parts[0] + " " + strings.SplitN(parts[2], ":", 2)[0]
			if prev, ok := seen[key]; ok {
				t.Errorf("%s: two findings on one field:\n  %s\n  %s", f.path, prev, w)
			}
			seen[key] = w
		}
	}
}
