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
			t.Logf("doc %d: obj %s/%s %s/%s pod=%v", i, o.APIVersion, o.Kind, o.Namespace, o.Name, o.PodTemplate != nil)
		}
	}
}
