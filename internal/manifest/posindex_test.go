package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/corpus"
	"github.com/kubevet/kubevet/internal/spill"
)

// TestPosIndexAgrees: the position index of a detached object answers
// Locate exactly as the node tree does, for every key and item of the
// benchmark corpus and of every YAML file in the repository's testdata,
// and for paths missing below each of them.
func TestPosIndexAgrees(t *testing.T) {
	var docs []string
	for i := range 400 {
		docs = append(docs, corpus.Object(i))
	}
	files, _ := filepath.Glob("../../internal/*/testdata/*/*.yaml")
	more, _ := filepath.Glob("../../internal/*/*/testdata/*/*.yaml")
	files = append(files, more...)
	deeper, _ := filepath.Glob("../../internal/*/*/testdata/*/*/*.yaml")
	files = append(files, deeper...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err == nil {
			docs = append(docs, strings.Split(string(data), "\n---")...)
		}
	}
	docs = append(docs,
		"a: &x {b: 1, c: [1, 2]}\nd: *x\ne:\n  <<: *x\n  f: 2\n",
		"a: 1\na: 2\n",
		"- x\n- y: [1, {z: 2}]\n",
		"? [complex]\n: 1\nk: {}\nl: []\nm: ~\n",
	)
	var paths, answered, indexed int
	for _, doc := range docs {
		var n yaml.Node
		if yaml.Unmarshal([]byte(doc), &n) != nil {
			continue
		}
		root := deref(&n)
		if root == nil {
			continue
		}
		for _, offset := range []int{0, 41} {
			ix := buildPosIndex(&n, offset)
			if ix.ents != nil {
				indexed++
			}
			for _, p := range allPaths(root, Path{}, 0) {
				paths++
				pos, exact, ok := ix.locate(p)
				if !ok {
					continue
				}
				answered++
				want, wantExact := Locate(&n, p)
				want.Line += offset
				if pos != want || exact != wantExact {
					t.Errorf("%q: %s: index says %v %v, node tree %v %v", doc[:min(len(doc), 60)], p, pos, exact, want, wantExact)
				}
			}
		}
	}
	if indexed == 0 || answered < paths/2 {
		t.Errorf("index answered %d of %d paths (%d documents indexed)", answered, paths, indexed)
	}
	t.Logf("%d documents, %d paths, %d answered by the index", len(docs), paths, answered)
}

// allPaths lists the paths of every key and item below n, and for each a
// missing key and a missing index below it.
func allPaths(n *yaml.Node, p Path, depth int) []Path {
	out := []Path{p, p.Child("no-such-key"), p.Index(99), p.Child("no-such-key", "deeper")}
	if depth > 12 {
		return out
	}
	switch n = deref(n); {
	case n == nil:
	case n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode {
				out = append(out, allPaths(n.Content[i+1], p.Child(k.Value), depth+1)...)
			}
		}
	case n.Kind == yaml.SequenceNode:
		for i, c := range n.Content {
			out = append(out, allPaths(c, p.Index(i), depth+1)...)
		}
	}
	return out
}

// TestDetachUsesIndex: a detached object places its fields without
// reading its document again.
func TestDetachUsesIndex(t *testing.T) {
	src := serviceDoc
	file := filepath.Join(t.TempDir(), "m.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	objs, _, err := ReadAll(file, strings.NewReader(src), Options{})
	if err != nil || len(objs) != 1 {
		t.Fatalf("%v, %d objects", err, len(objs))
	}
	o := objs[0]
	o.Detach()
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	checkServicePositions(t, o, "detached")
	if o.Node != nil {
		t.Error("the document was read again")
	}
}

// checkServicePositions checks where o, read from serviceDoc, places its
// fields.
func checkServicePositions(t *testing.T, o *Object, state string) {
	t.Helper()
	for _, c := range []struct {
		path  Path
		line  int
		exact bool
	}{
		{NewPath("spec", "type"), 6, true},
		{NewPath("spec", "ports").Index(0).Child("port"), 8, true},
		{NewPath("spec", "selector"), 5, false},
	} {
		if pos, exact := o.Locate(c.path); pos.Line != c.line || exact != c.exact {
			t.Errorf("%s %s: line %d exact %v, want %d %v", state, c.path, pos.Line, exact, c.line, c.exact)
		}
	}
}

const serviceDoc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n"

// TestSpilledPositions: positions moved to a spill store answer as they
// did in memory, without reading the document again; dropped ones are
// read from the document.
func TestSpilledPositions(t *testing.T) {
	src := serviceDoc
	file := filepath.Join(t.TempDir(), "m.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	store := spill.New(t.TempDir(), 0)
	defer store.Close()
	objs, _, err := ReadAll(file, strings.NewReader(src), Options{})
	if err != nil || len(objs) != 1 {
		t.Fatalf("%v, %d objects", err, len(objs))
	}
	o := objs[0]
	o.Detach()
	o.SpillPositions(store)
	if o.pos != nil || o.posStore == nil {
		t.Fatal("the positions were not spilled")
	}
	checkServicePositions(t, o, "spilled")
	if o.Node != nil {
		t.Error("the document was read again")
	}
	o.DropPositions()
	checkServicePositions(t, o, "dropped")
}
