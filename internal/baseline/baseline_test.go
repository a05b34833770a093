package baseline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
)

const app = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:latest
        securityContext: {privileged: true}
`

func run(t *testing.T, files map[string]string) []check.Finding {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := engine.Check(context.Background(), []string{dir}, engine.Options{Checks: catalog.All()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Fatal("no findings")
	}
	return res.Findings
}

func roundTrip(t *testing.T, b *Baseline) *Baseline {
	t.Helper()
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Read(&buf)
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	return got
}

// TestLineShift: lines added above a problem, reformatting and a new file
// name do not make old findings new.
func TestLineShift(t *testing.T) {
	before := run(t, map[string]string{"app.yaml": app})
	b := roundTrip(t, New(before))
	shifted := "# a comment\n\n# another\n" + strings.Replace(app, "metadata: {name: web, namespace: shop}", "metadata:\n  namespace: shop\n  name: web", 1)
	after := run(t, map[string]string{"moved.yaml": shifted})
	if after[0].Line == before[0].Line {
		t.Fatal("the edit did not move the findings")
	}
	kept, suppressed := b.Filter(after)
	if len(kept) != 0 || suppressed != len(after) {
		t.Errorf("kept %d (%v), suppressed %d of %d", len(kept), kept, suppressed, len(after))
	}
}

// TestNewFindings: a new problem and one more occurrence of a recorded
// problem than the baseline counted are new.
func TestNewFindings(t *testing.T) {
	b := roundTrip(t, New(run(t, map[string]string{"app.yaml": app})))
	worse := strings.Replace(app, "securityContext: {privileged: true}", "securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN]}}", 1)
	kept, _ := b.Filter(run(t, map[string]string{"app.yaml": worse}))
	if len(kept) != 1 || kept[0].Check != "capabilities-added" {
		t.Errorf("new findings: %+v", kept)
	}
	// The same object twice (in two files): every finding occurs twice,
	// the baseline counted one.
	twice := run(t, map[string]string{"a.yaml": app, "b.yaml": app})
	kept, suppressed := b.Filter(twice)
	if len(kept) != suppressed || len(kept)*2 != len(twice) {
		t.Errorf("kept %d, suppressed %d of %d", len(kept), suppressed, len(twice))
	}
	for _, f := range kept {
		if f.File != twice[len(twice)-1].File {
			t.Errorf("the second occurrence should be new, got %s", f.File)
		}
	}
}

func TestKey(t *testing.T) {
	f := check.Finding{Check: "image-tag", Object: check.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}, File: "a.yaml", Line: 3, Path: "spec", Message: "x"}
	g := f
	g.File, g.Line, g.Message = "b.yaml", 9, "y"
	g.Object.APIVersion = "apps/v1beta2"
	if Fingerprint(f) != Fingerprint(g) {
		t.Error("file, line, message or API version changed the fingerprint")
	}
	for _, h := range []check.Finding{
		func() check.Finding { h := f; h.Path = "spec.x"; return h }(),
		func() check.Finding { h := f; h.Object.Namespace = "other"; return h }(),
		func() check.Finding { h := f; h.Object.APIVersion = "v1"; return h }(),
		func() check.Finding { h := f; h.Check = "image-pull-policy"; return h }(),
	} {
		if Fingerprint(h) == Fingerprint(f) {
			t.Errorf("%+v has the same fingerprint", h)
		}
	}
	// Documents that are not objects are known by their file.
	doc := check.Finding{Check: "yaml-syntax", File: "a.yaml", Line: 1}
	other := doc
	other.File = "b.yaml"
	if Fingerprint(doc) == Fingerprint(other) {
		t.Error("syntax errors in two files share a fingerprint")
	}
	if len(Fingerprint(f)) != 32 {
		t.Errorf("fingerprint %q", Fingerprint(f))
	}
}

func TestReadErrors(t *testing.T) {
	for _, in := range []string{
		`{"version": "kubevet.io/baseline/v0", "findings": []}`,
		`{"version": "kubevet.io/baseline/v1", "findings": [{"check": "image-tag", "count": 0}]}`,
		`{"version": "kubevet.io/baseline/v1", "finding": []}`,
		`not json`,
	} {
		if _, err := Read(strings.NewReader(in)); err == nil {
			t.Errorf("Read(%s) succeeded", in)
		}
	}
}

func TestFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "baseline.json")
	fs := run(t, map[string]string{"app.yaml": app})
	if err := New(fs).WriteFile(path); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if kept, _ := b.Filter(fs); len(kept) != 0 {
		t.Errorf("kept %v", kept)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "nope.json")); err == nil {
		t.Error("missing file read")
	}
}
