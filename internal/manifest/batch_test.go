package manifest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// decodedSummary describes what the engine takes from a decoded document:
// its objects (identity, labels, JSON form, the file position of every
// node) and its diagnostics.
func decodedSummary(d Decoded) string {
	var b strings.Builder
	fmt.Fprintf(&b, "empty=%v notKubernetes=%v\n", d.Empty, d.NotKubernetes)
	for _, o := range d.Objects {
		fmt.Fprintf(&b, "object %s %s %s/%s labels=%v json=%s\n", o.APIVersion, o.Kind, o.Namespace, o.Name, o.Labels, o.JSON())
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			fmt.Fprintf(&b, "%d:%d ", n.Line+o.lineOffset, n.Column)
			for _, c := range n.Content {
				walk(c)
			}
		}
		if o.Node != nil {
			walk(o.Node)
		}
		b.WriteString("\n")
	}
	for _, dg := range d.Diagnostics {
		fmt.Fprintf(&b, "diagnostic %s %d:%d %s %s\n", dg.Kind, dg.Pos.Line, dg.Pos.Column, dg.Path, dg.Message)
	}
	return b.String()
}

// compareBatch checks that ParseBatch, as the engine uses it, decodes
// every chunk of data as Decode does alone (yaml.v3 only), in batches of
// every size up to 4 so that runs of chunks left to yaml.v3 start and end
// everywhere.
func compareBatch(t *testing.T, name string, data []byte) {
	t.Helper()
	chunks := chunksOfAll(t, data)
	for size := 1; size <= 4; size++ {
		for i := 0; i < len(chunks); i += size {
			batch := chunks[i:min(i+size, len(chunks))]
			for k, p := range ParseBatch(batch) {
				c := batch[k]
				want := Decode(name, c, Options{})
				var got Decoded
				switch {
				case p.Alone:
					got = Decode(name, c, Options{})
				case p.Doc == nil:
					if !want.Empty && (len(want.Diagnostics) > 0 || len(want.Objects) > 0 || want.NotKubernetes) {
						t.Errorf("%s: chunk at line %d skipped by ParseBatch, Decode finds:\n%s", name, c.StartLine, decodedSummary(want))
					}
					continue
				default:
					got = DecodeNode(name, c, p.Doc, p.Offset, Options{})
				}
				if g, w := decodedSummary(got), decodedSummary(want); g != w {
					t.Errorf("%s: chunk at line %d (batch of %d):\nParseBatch: %s\nDecode:     %s", name, c.StartLine, len(batch), g, w)
				}
			}
		}
	}
}

// chunksOfAll is chunksOf with the chunks without content and the ones
// too large kept.
func chunksOfAll(t testing.TB, data []byte) []Chunk {
	var out []Chunk
	s := NewSplitter(strings.NewReader(string(data)))
	for {
		c, err := s.Next()
		if err != nil {
			return out
		}
		out = append(out, c)
	}
}

func TestParseBatch(t *testing.T) {
	compareBatch(t, "mixed.yaml", []byte(`apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: x}
data:
  k: |
    text
---
# only a comment
---
apiVersion: v1
kind: ConfigMap
metadata: &m
  name: b
data:
  folded: >
    text
    more
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
 data: {}
---
apiVersion: v1
kind: Secret
metadata:
  name: c
  labels: {app: c}
stringData:
  key: "esc\taped"
...
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata: {name: d}
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: e
---
values: only
---
`))
	seeds, _ := filepath.Glob("../checks/*/testdata/*/*.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		compareBatch(t, s, data)
	}
}

// FuzzParseBatch: whatever the input, the engine's way of parsing
// (ParseBatch, then DecodeNode) gives what Decode gives alone.
func FuzzParseBatch(f *testing.F) {
	addFixtureSeeds(f)
	f.Add([]byte("a: b\n---\nc: &d e\n---\n- x\n...\nkind: List\napiVersion: v1\nitems: [{kind: A, apiVersion: v1, metadata: {name: n}}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		compareBatch(t, "fuzz.yaml", data)
	})
}
