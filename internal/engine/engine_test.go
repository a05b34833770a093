package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/config"
	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/manifest"
)

var now = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, cfg *config.Config, paths ...string) *engine.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := engine.Check(ctx, paths, engine.Options{Config: cfg, Checks: catalog.All(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// has reports whether res has a finding of check id at line (any line when
// line is 0).
func has(res *engine.Result, id string, line int) bool {
	for _, f := range res.Findings {
		if f.Check == id && (line == 0 || f.Line == line) {
			return true
		}
	}
	return false
}

func dump(res *engine.Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		fmt.Fprintf(&b, "  %s:%d:%d %s %s\n", filepath.Base(f.File), f.Line, f.Column, f.Check, f.Message)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "  note %s:%d %s %s\n", filepath.Base(n.File), n.Line, n.Level, n.Message)
	}
	return b.String()
}

const privileged = `apiVersion: v1
kind: Pod
metadata:
  name: %s
  namespace: shop
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: true
`

// TestBrokenDocumentDoesNotStopOthers: a syntax error is a finding at its
// line, and the documents around it are still checked.
func TestBrokenDocumentDoesNotStopOthers(t *testing.T) {
	dir := t.TempDir()
	f := write(t, dir, "m.yaml", fmt.Sprintf(privileged, "a")+"---\nkind: [broken\n---\n"+fmt.Sprintf(privileged, "b"))
	res := run(t, nil, f)
	if !has(res, "yaml-syntax", 13) {
		t.Errorf("want yaml-syntax at line 13:\n%s", dump(res))
	}
	if !has(res, "privileged-container", 11) || !has(res, "privileged-container", 25) {
		t.Errorf("want privileged-container at lines 11 and 25:\n%s", dump(res))
	}
	if res.Objects != 2 {
		t.Errorf("objects = %d, want 2", res.Objects)
	}
}

// TestHostileInput feeds inputs that have hung or crashed YAML tools; each
// must end quickly with a finding or a note, never a panic.
func TestHostileInput(t *testing.T) {
	bomb := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb, namespace: x}\ndata:\n  a: &a [x,x,x,x,x,x,x,x,x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		bomb = strings.Replace(bomb, "\ndata:", fmt.Sprintf("\nx%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\ndata:", n, n, prev, prev, prev, prev, prev, prev, prev, prev, prev), 1)
		prev = n
	}
	cases := map[string]struct {
		content string
		check   string // a finding of this check is expected; "" means a note
	}{
		"alias-bomb.yaml":    {bomb, "yaml-syntax"},
		"deep.yaml":          {"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", "yaml-syntax"},
		"utf8.yaml":          {"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\xfe\n", "yaml-syntax"},
		"dup.yaml":           {"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n", "duplicate-key"},
		"types.yaml":         {"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: x}\nspec:\n  replicas: three\n  template: []\n", "invalid-field-type"},
		"empty.yaml":         {"---\n---\n# only a comment\n---\n", ""},
		"binary.yaml":        {"\x00\x01\x02binary", ""},
		"scalar.yaml":        {"just a string\n", ""},
		"tabs.yaml":          {"apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n", "yaml-syntax"},
		"no-kind.yaml":       {"apiVersion: v1\nmetadata: {name: x}\n", "invalid-object"},
		"list-not-obj.yaml":  {"apiVersion: v1\nkind: List\nitems: [1, 2]\n", "invalid-object"},
		"huge-number.yaml":   {"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: x}\nspec:\n  replicas: 99999999999999999999\n", "invalid-field-type"},
		"merge-loop.yaml":    {"apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: x\n  <<: *m\n", "yaml-syntax"},
		"key-is-a-map.yaml":  {"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  {a: b}: c\n", "invalid-field-type"},
		"long-line.yaml":     {"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: y}\ndata:\n  k: " + strings.Repeat("v", 1<<20) + "\n", ""},
		"bad-quantity.yaml":  {"apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\nspec:\n  containers:\n  - name: a\n    image: a:1\n    resources:\n      limits: {memory: 512mb}\n", "invalid-field-type"},
		"null-fields.yaml":   {"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: x}\nspec:\n  template:\n    spec:\n      containers: ~\n", ""},
		"number-string.yaml": {"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\ndata:\n  port: 8080\n", "invalid-field-type"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			f := write(t, dir, name, c.content)
			start := time.Now()
			res := run(t, nil, f)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d) // a hang guard, not a benchmark
			}
			if c.check != "" && !has(res, c.check, 0) {
				t.Errorf("want a %s finding:\n%s", c.check, dump(res))
			}
			for _, f := range res.Findings {
				if f.Line == 0 {
					t.Errorf("finding without a line: %+v", f)
				}
			}
		})
	}
}

func TestNotes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "values.yaml", "replicaCount: 2\nimage: {tag: 1.0}\n")
	write(t, dir, "chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 1.0.0\n")
	write(t, dir, "chart/templates/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n")
	write(t, dir, "chart/templates/b.yaml", "# comment {{ not this }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n")
	write(t, dir, "bin.json", "\x00\x00")
	write(t, dir, "README.md", "# not read\n")
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "dangling.yaml")); err != nil {
		t.Fatal(err)
	}
	res := run(t, nil, dir)
	if len(res.Findings) != 0 {
		t.Errorf("want no findings:\n%s", dump(res))
	}
	want := []string{"not a Kubernetes object", "2 template files skipped: Helm chart", "binary file", "symbolic link loop", "broken symbolic link"}
	all := dump(res)
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("want a note containing %q:\n%s", w, all)
		}
	}
	if strings.Count(all, "Helm chart") != 1 {
		t.Errorf("want one note for the chart's templates:\n%s", all)
	}
}

func TestListItemsAndPositions(t *testing.T) {
	dir := t.TempDir()
	f := write(t, dir, "list.yaml", `# a list as kubectl get -o yaml writes it
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: one, namespace: shop}
  spec:
    containers:
    - name: app
      image: nginx:1.27
      securityContext: {privileged: true}
- apiVersion: v1
  kind: Pod
  metadata: {name: two, namespace: shop}
  spec:
    containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
`)
	res := run(t, nil, f)
	var got []string
	for _, fd := range res.Findings {
		if fd.Check == "privileged-container" {
			got = append(got, fmt.Sprintf("%d:%d %s %s", fd.Line, fd.Column, fd.Object.Name, fd.Path))
		}
	}
	want := []string{
		"12:25 one spec.containers[0].securityContext.privileged",
		"21:9 two spec.containers[0].securityContext.privileged",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Objects != 2 {
		t.Errorf("objects = %d", res.Objects)
	}
}

func TestJSONInput(t *testing.T) {
	dir := t.TempDir()
	f := write(t, dir, "pod.json", `{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {"name": "j", "namespace": "shop"},
  "spec": {
    "containers": [
      {"name": "app", "image": "nginx:1.27",
       "securityContext": {"privileged": true}}
    ]
  }
}
`)
	res := run(t, nil, f)
	if !has(res, "privileged-container", 8) {
		t.Errorf("want privileged-container at line 8:\n%s", dump(res))
	}
}

func TestStdin(t *testing.T) {
	res, err := engine.Check(context.Background(), []string{"-"}, engine.Options{Checks: catalog.All(), Stdin: strings.NewReader(fmt.Sprintf(privileged, "s")), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !has(res, "privileged-container", 11) || res.Findings[0].File != "-" {
		t.Errorf("stdin findings:\n%s", dump(res))
	}
}

func exemptPod(annotations string) string {
	return `apiVersion: v1
kind: Pod
metadata:
  name: x
  namespace: shop
  annotations:
` + annotations + `spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: true
`
}

func TestExemptions(t *testing.T) {
	cases := []struct {
		name       string
		annotation string
		want       []string // checks expected among the findings
		notWant    []string
	}{
		{"honoured", `    exempt.kubevet.io/privileged-container: "CNI agent needs it; ticket NET-42"` + "\n", nil, []string{"privileged-container", "exemption-invalid", "exemption-unused"}},
		{"future expiry", `    exempt.kubevet.io/privileged-container: "CNI agent; expires=2027-01-31"` + "\n", nil, []string{"privileged-container", "exemption-expired"}},
		{"expires today still holds", `    exempt.kubevet.io/privileged-container: "CNI agent; expires=2026-11-01"` + "\n", nil, []string{"privileged-container", "exemption-expired"}},
		{"expired", `    exempt.kubevet.io/privileged-container: "CNI agent; expires=2026-10-31"` + "\n", []string{"privileged-container", "exemption-expired"}, nil},
		{"no reason", `    exempt.kubevet.io/privileged-container: ""` + "\n", []string{"privileged-container", "exemption-invalid"}, nil},
		{"only expiry", `    exempt.kubevet.io/privileged-container: "expires=2027-01-01"` + "\n", []string{"privileged-container", "exemption-invalid"}, nil},
		{"bad date", `    exempt.kubevet.io/privileged-container: "reason; expires=31/01/2027"` + "\n", []string{"privileged-container", "exemption-invalid"}, nil},
		{"unknown check", `    exempt.kubevet.io/no-such-check: "reason"` + "\n", []string{"privileged-container", "exemption-invalid"}, nil},
		{"unused", `    exempt.kubevet.io/image-tag: "reason"` + "\n", []string{"privileged-container", "exemption-unused"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := write(t, t.TempDir(), "pod.yaml", exemptPod(c.annotation))
			res := run(t, nil, f)
			for _, w := range c.want {
				if !has(res, w, 0) {
					t.Errorf("want %s:\n%s", w, dump(res))
				}
			}
			for _, w := range c.notWant {
				if has(res, w, 0) {
					t.Errorf("do not want %s:\n%s", w, dump(res))
				}
			}
			for _, f := range res.Findings {
				if strings.HasPrefix(f.Check, "exemption-") && f.Line != 7 {
					t.Errorf("%s at line %d, want the annotation's line 7", f.Check, f.Line)
				}
			}
		})
	}
}

func TestConfiguration(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "app/pod.yaml", fmt.Sprintf(privileged, "p"))
	write(t, dir, "vendor/pod.yaml", fmt.Sprintf(privileged, "v"))
	cfg, err := config.Parse(".kubevet.yaml", []byte(`
exclude: ["vendor/**"]
checks:
  privileged-container:
    severity: warning
`), catalog.All())
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, cfg, dir)
	n := 0
	for _, f := range res.Findings {
		if f.Check == "privileged-container" {
			n++
			if f.Severity != check.Warning {
				t.Errorf("severity %s, want warning", f.Severity)
			}
			if strings.Contains(f.File, "vendor") {
				t.Errorf("excluded file checked: %s", f.File)
			}
		}
	}
	if n != 1 {
		t.Errorf("want 1 privileged finding:\n%s", dump(res))
	}
	off, err := config.Parse("c", []byte("checks:\n  privileged-container: false\n"), catalog.All())
	if err != nil {
		t.Fatal(err)
	}
	if res := run(t, off, dir); has(res, "privileged-container", 0) {
		t.Errorf("disabled check ran:\n%s", dump(res))
	}
}

func TestNamespaceDefaulted(t *testing.T) {
	f := write(t, t.TempDir(), "pod.yaml", strings.Replace(fmt.Sprintf(privileged, "n"), "  namespace: shop\n", "", 1))
	cfg := &config.Config{Namespace: "team-a", Checks: map[string]config.CheckConfig{}}
	res := run(t, cfg, f)
	for _, fd := range res.Findings {
		if fd.Object.Namespace != "team-a" || !fd.NamespaceDefaulted {
			t.Errorf("finding object %+v defaulted=%v, want namespace team-a defaulted", fd.Object, fd.NamespaceDefaulted)
		}
	}
}

// TestCrossPositions: findings of checks across objects are placed on their
// lines although the node trees were dropped after the first phase, for
// files, List items and standard input alike; exemptions apply to them.
func TestCrossPositions(t *testing.T) {
	src := `apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: a, namespace: shop}
  spec:
    replicas: 1
    selector: {matchLabels: {app: a}}
    template:
      metadata: {labels: {app: a}}
      spec:
        containers: [{name: app, image: "nginx:1.27"}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: b
  namespace: shop
  annotations:
    exempt.kubevet.io/single-replica: "batch worker, one at a time by design"
spec:
  replicas: 1
  selector: {matchLabels: {app: b}}
  template:
    metadata: {labels: {app: b}}
    spec:
      containers: [{name: app, image: "nginx:1.27"}]
`
	f := write(t, t.TempDir(), "d.yaml", src)
	for _, path := range []string{f, "-"} {
		res, err := engine.Check(context.Background(), []string{path}, engine.Options{Checks: catalog.All(), Stdin: strings.NewReader(src), Now: now})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, fd := range res.Findings {
			if fd.Check == "single-replica" || strings.HasPrefix(fd.Check, "exemption") {
				got = append(got, fmt.Sprintf("%s %d:%d %s", fd.Check, fd.Line, fd.Column, fd.Object.Name))
			}
		}
		if want := "single-replica 8:5 a"; strings.Join(got, ";") != want {
			t.Errorf("%s: got %q, want %q", path, got, want)
		}
	}
}

// TestCheckObjects: objects from elsewhere than files (a live cluster) get
// the same checks, single and across objects, with paths and no lines.
func TestCheckObjects(t *testing.T) {
	src := fmt.Sprintf(privileged, "live") + `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: "nginx:1.27"}]
`
	objs, _, err := manifest.ReadAll("", strings.NewReader(src), manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var live []*manifest.Object
	for _, o := range objs {
		live = append(live, manifest.FromTyped(o.GVK(), o.Typed()))
	}
	res, err := engine.CheckObjects(context.Background(), live, engine.Options{Checks: catalog.All(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !has(res, "privileged-container", 0) || !has(res, "single-replica", 0) || res.Objects != 2 {
		t.Errorf("findings:\n%s", dump(res))
	}
	for _, f := range res.Findings {
		if f.Line != 0 || f.File != "" || f.Path == "" && f.Check != "exemption-unused" {
			t.Errorf("live finding with a position or without a path: %+v", f)
		}
	}
}

// TestUTF16: files written by Windows PowerShell's > (UTF-16 with a
// byte-order mark) are read like UTF-8, positions included, also for the
// findings of checks across objects.
func TestUTF16(t *testing.T) {
	src := fmt.Sprintf(privileged, "p") + `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: one, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: one}}
  template:
    metadata: {labels: {app: one}}
    spec:
      containers: [{name: app, image: "nginx:1.27"}]
`
	for name, enc := range map[string]func(string) []byte{
		"le.yaml": func(s string) []byte { return utf16Bytes(s, false) },
		"be.yaml": func(s string) []byte { return utf16Bytes(s, true) },
	} {
		f := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(f, enc(src), 0o644); err != nil {
			t.Fatal(err)
		}
		res := run(t, nil, f)
		if !has(res, "privileged-container", 11) || !has(res, "single-replica", 17) || res.Objects != 2 {
			t.Errorf("%s:\n%s", name, dump(res))
		}
	}
}

func utf16Bytes(s string, bigEndian bool) []byte {
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, r := range s {
		if bigEndian {
			out = append(out, byte(r>>8), byte(r))
		} else {
			out = append(out, byte(r), byte(r>>8))
		}
	}
	return out
}
