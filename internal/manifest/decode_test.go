package manifest

import (
	"fmt"
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

// TestDecodeDiagnostics: every problem of a document is reported at its own
// line and column, with its path, and the object is still decoded.
func TestDecodeDiagnostics(t *testing.T) {
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
	var diags, objs []string
	for i, d := range got {
		for _, dg := range d.Diagnostics {
			diags = append(diags, fmt.Sprintf("%d %s %d:%d %s", i, dg.Kind, dg.Pos.Line, dg.Pos.Column, dg.Path))
		}
		for _, o := range d.Objects {
			objs = append(objs, fmt.Sprintf("%d %s/%s %s/%s pod=%v", i, o.APIVersion, o.Kind, o.Namespace, o.Name, o.PodTemplate() != nil))
		}
	}
	wantDiags := []string{
		"0 invalid-field-type 7:3 spec.replicas",
		"0 unknown-field 15:9 spec.template.spec.containers[1].imagePullPolcy",
		"0 invalid-field-type 17:11 spec.template.spec.containers[1].ports[0].containerPort",
		"1 duplicate-key 23:3 metadata.name",
		// The last name wins, and an unquoted y is a boolean to kubectl.
		"1 invalid-field-type 23:3 metadata.name",
		"2 yaml-syntax 26:1 ",
	}
	wantObjs := []string{"0 apps/v1/Deployment default/web pod=true", "1 v1/ConfigMap default/ pod=false"}
	if strings.Join(diags, "\n") != strings.Join(wantDiags, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(diags, "\n"), strings.Join(wantDiags, "\n"))
	}
	if strings.Join(objs, "\n") != strings.Join(wantObjs, "\n") {
		t.Errorf("objects:\n%s\nwant:\n%s", strings.Join(objs, "\n"), strings.Join(wantObjs, "\n"))
	}
	if !got[3].NotKubernetes {
		t.Error("a values document is not skipped as not Kubernetes")
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

// TestCommentMarker: "---# comment" separates documents, as kubectl's
// reader and Helm take it (Helm charts render it), and the documents after
// it keep their lines and offsets.
func TestCommentMarker(t *testing.T) {
	src := "kind: A\n---# Permission to approve\napiVersion: v1\nkind: B\n---#\nkind: C\n---x: 1\n"
	s := NewSplitter(strings.NewReader(src))
	var got []string
	for {
		c, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if string(c.Data) != src[c.Offset:c.Offset+int64(len(c.Data))] {
			t.Errorf("chunk %d: offset %d does not give its data %q", c.Index, c.Offset, c.Data)
		}
		got = append(got, fmt.Sprintf("%d:%q", c.StartLine, c.Data))
	}
	want := []string{`1:"kind: A\n"`, `3:"apiVersion: v1\nkind: B\n"`, `6:"kind: C\n---x: 1\n"`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("chunks:\n got %v\nwant %v", got, want)
	}
}
