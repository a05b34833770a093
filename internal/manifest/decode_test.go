package manifest

import (
	"io"
	"strings"
	"testing"
)

func decodeAll(t *testing.T, src string) []Decoded {
	t.Helper()
	s := NewSplitter(strings.NewReader(src))
	var out []Decoded
	for {
		c, err := s.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Decode("f.yaml", c, Options{}))
	}
}

func TestDecodeDiagnosticsLog(t *testing.T) {
	src := `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "two"
  template:
    spec:
      containers:
      - name: a
        image: nginx
      - name: b
        image: nginx
        imagePullPolcy: Always
        ports:
        - containerPort: "80"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
  name: y
---
foo: [
---
just: values
`
	got := decodeAll(t, src)
	if len(got) != 4 {
		t.Fatalf("got %d docs", len(got))
	}
	for i, d := range got {
		for _, dg := range d.Diagnostics {
			t.Logf("doc %d: %s %d:%d %s %s", i, dg.Kind, dg.Pos.Line, dg.Pos.Column, dg.Path, dg.Message)
		}
		for _, o := range d.Objects {
			t.Logf("doc %d: obj %s/%s %s/%s pod=%v", i, o.APIVersion, o.Kind, o.Namespace, o.Name, o.PodTemplate() != nil)
		}
	}
}

func TestChunkOffsets(t *testing.T) {
	src := "# head\na: 1\n---\nb: 2\n...\n# between\n---\nc: 3\n"
	s := NewSplitter(strings.NewReader(src))
	for {
		c, err := s.Next()
		if err == io.EOF {
			break
		}
		if got := src[c.Offset : c.Offset+int64(len(c.Data))]; got != string(c.Data) {
			t.Errorf("chunk %d: offset %d gives %q, data %q", c.Index, c.Offset, got, c.Data)
		}
		if line := strings.Count(src[:c.Offset], "\n") + 1; line != c.StartLine {
			t.Errorf("chunk %d: start line %d, offset says %d", c.Index, c.StartLine, line)
		}
	}
}
