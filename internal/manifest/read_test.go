package manifest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadAll(t *testing.T) {
	src := `apiVersion: v1
kind: ConfigMap
metadata:
  name: first
---
apiVersion: v1
kind: ConfigMap
metadata: name: broken
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: svc, namespace: shop}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    replicaz: 2
`
	objs, diags, err := ReadAll("in.yaml", strings.NewReader(src), Options{DefaultNamespace: "dev"})
	if err != nil {
		t.Fatal(err)
	}

	type obj struct {
		kind, namespace, name string
		doc, line             int
	}
	want := []obj{
		{"ConfigMap", "dev", "first", 0, 1},
		{"Service", "shop", "svc", 2, 13},
		{"Deployment", "dev", "web", 2, 16},
	}
	if len(objs) != len(want) {
		t.Fatalf("got %d objects, want %d", len(objs), len(want))
	}
	for i, o := range objs {
		got := obj{o.Kind, o.Namespace, o.Name, o.Doc, o.Start().Line}
		if got != want[i] || o.File != "in.yaml" {
			t.Errorf("object %d: got %+v in %q, want %+v in in.yaml", i, got, o.File, want[i])
		}
	}

	type diag struct {
		kind string
		line int
	}
	wantDiags := []diag{
		{DiagSyntax, 8},        // the broken second document
		{DiagUnknownField, 20}, // replicaz, in the List's second item
	}
	if len(diags) != len(wantDiags) {
		t.Fatalf("got %d diagnostics, want %d: %+v", len(diags), len(wantDiags), diags)
	}
	for i, dg := range diags {
		if got := (diag{dg.Kind, dg.Pos.Line}); got != wantDiags[i] || dg.File != "in.yaml" {
			t.Errorf("diagnostic %d: got %+v in %q (%s), want %+v in in.yaml", i, got, dg.File, dg.Message, wantDiags[i])
		}
	}
	if dg := diags[1]; dg.Object != objs[2] {
		t.Errorf("unknown-field diagnostic is on %v, want the Deployment", dg.Object)
	}
}

// TestReadAllReadError: a read error is returned with the documents
// decoded before it.
func TestReadAllReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\n"), iotest.ErrReader(boom))
	objs, diags, err := ReadAll("in.yaml", r, Options{})
	if !errors.Is(err, boom) {
		t.Fatalf("got error %v, want %v", err, boom)
	}
	if len(objs) != 1 || objs[0].Name != "a" || len(diags) != 0 {
		t.Errorf("got %d objects, %d diagnostics; want the first ConfigMap only", len(objs), len(diags))
	}
}

func TestReadAllEmpty(t *testing.T) {
	objs, diags, err := ReadAll("in.yaml", strings.NewReader("# nothing\n---\n"), Options{})
	if err != nil || len(objs) != 0 || len(diags) != 0 {
		t.Errorf("got %v, %v, %v; want nothing", objs, diags, err)
	}
}

// TestDetachReload: an object whose node tree was dropped finds its
// positions again by reading its document, from a file or from memory.
func TestDetachReload(t *testing.T) {
	src := "# lead\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: s\n  spec:\n    type: LoadBalancer\n"
	file := filepath.Join(t.TempDir(), "m.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{file, "-"} {
		objs, _, err := ReadAll(name, strings.NewReader(src), Options{})
		if err != nil || len(objs) != 2 {
			t.Fatalf("%s: %v, %d objects", name, err, len(objs))
		}
		svc := objs[1]
		want, _ := svc.Locate(NewPath("spec", "type"))
		svc.Detach()
		if svc.Node != nil {
			t.Errorf("%s: detached object still has its node tree", name)
		}
		// Locate reads the document again.
		if got, _ := svc.Locate(NewPath("spec", "type")); got != want || got.Line != 14 {
			t.Errorf("%s: reloaded position %v, want %v (line 14)", name, got, want)
		}
	}
}

// TestReloadListItems: reloading every item of a List parses the List once,
// not once per item, and each item finds its own position.
func TestReloadListItems(t *testing.T) {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: List\nitems:\n")
	const n = 50
	for i := range n {
		fmt.Fprintf(&b, "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c%d\n  data: {k: v}\n", i)
	}
	src := b.String()
	file := filepath.Join(t.TempDir(), "list.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{file, "-"} {
		objs, _, err := ReadAll(name, strings.NewReader(src), Options{})
		if err != nil || len(objs) != n {
			t.Fatalf("%s: %v, %d objects", name, err, len(objs))
		}
		for _, o := range objs {
			o.Detach()
		}
		before := listParses.Load()
		for i, o := range objs {
			if got, _ := o.Locate(NewPath("data", "k")); got.Line != 4+5*i+4 {
				t.Errorf("%s: item %d: data.k at line %d, want %d", name, i, got.Line, 4+5*i+4)
			}
		}
		if parses := listParses.Load() - before; parses > 1 {
			t.Errorf("%s: reloading %d items parsed the List %d times", name, n, parses)
		}
	}
}
