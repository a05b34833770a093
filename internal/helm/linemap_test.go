package helm

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLocateGolden renders the shop chart with both profiles and checks,
// for every line of every rendered template, the template line Locate
// gives. testdata/golden/<profile>/<file>.txt lists
//
//	rendered-line template-line | rendered text
//
// and was reviewed line by line against the templates (0: file only).
// Regenerate with -update, then review the diff.
func TestLocateGolden(t *testing.T) {
	total, mapped := 0, 0
	for _, profile := range []string{"prod", "dev"} {
		out := Render(t.Context(), shop, Options{ValueFiles: []string{shop + "/values-" + profile + ".yaml"}})
		if len(out.Problems) > 0 {
			t.Fatal(out.Problems)
		}
		for _, f := range out.Files {
			var b strings.Builder
			fmt.Fprintf(&b, "# %s rendered with values-%s.yaml: rendered line, template line | rendered text\n", filepath.ToSlash(strings.TrimPrefix(f.Name, shop+"/")), profile)
			lines := strings.Split(strings.TrimSuffix(string(f.Data), "\n"), "\n")
			for i, l := range lines {
				file, tl, _ := f.Locate(0, "", i+1, 1)
				if file != f.Name {
					t.Errorf("%s:%d: Locate gives file %s", f.Name, i+1, file)
				}
				fmt.Fprintf(&b, "%3d %3d | %s\n", i+1, tl, l)
				total++
				if tl > 0 {
					mapped++
				}
			}
			rel := strings.TrimPrefix(filepath.ToSlash(f.Name), shop+"/")
			golden := filepath.Join("testdata", "golden", profile, strings.NewReplacer("/", "_").Replace(rel)+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Errorf("%v (run with -update and review)", err)
				continue
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s: line mapping differs from %s:\n%s", f.Name, golden, lineDiff(string(want), got))
			}
		}
	}
	t.Logf("Locate mapped %d of %d rendered lines of the shop chart to a template line", mapped, total)
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "- %s\n+ %s\n", wl, gl)
		}
	}
	return b.String()
}

// TestLocateColumn: the column is the key's in the template line.
func TestLocateColumn(t *testing.T) {
	out := Render(t.Context(), shop, Options{ValueFiles: []string{shop + "/values-prod.yaml"}})
	var deploy []byte
	var locate func(int, string, int, int) (string, int, int)
	for _, f := range out.Files {
		if strings.HasSuffix(f.Name, "templates/deployment.yaml") && !strings.Contains(f.Name, "charts") {
			deploy, locate = f.Data, f.Locate
		}
	}
	if locate == nil {
		t.Fatal("no deployment.yaml")
	}
	lineOf := func(text string) int {
		for i, l := range strings.Split(string(deploy), "\n") {
			if l == text {
				return i + 1
			}
		}
		t.Fatalf("no rendered line %q", text)
		return 0
	}
	tests := []struct {
		path, rendered string
		line, col      int
	}{
		{"spec.template.spec.containers[0].image", `          image: "ghcr.io/example/shop:2.4.1"`, 27, 11},
		{"spec.replicas", "  replicas: 3", 10, 3},
		{"spec.template.spec.containers[0].ports[1].containerPort", "              containerPort: 9090", 39, 15},
		{"spec.template.spec.containers[0].ports[1]", "            - name: metrics", 38, 15},
		{"spec.template.spec.containers[0].resources.limits.memory", "              memory: 512Mi", 44, 1},
		{`metadata.labels["app.kubernetes.io/name"]`, "    app.kubernetes.io/name: shop", 7, 1},
		{"", "apiVersion: apps/v1", 1, 1},
	}
	for _, tt := range tests {
		// The engine gives the rendered position of the field: its key,
		// or an item's first key.
		col := strings.IndexFunc(tt.rendered, func(r rune) bool { return r != ' ' && r != '-' }) + 1
		file, l, c := locate(0, tt.path, lineOf(tt.rendered), col)
		if file != shop+"/templates/deployment.yaml" || l != tt.line || c != tt.col {
			t.Errorf("Locate(%s at %q) = %s:%d:%d, want deployment.yaml:%d:%d", tt.path, tt.rendered, file, l, c, tt.line, tt.col)
		}
	}
	for _, line := range []int{-1, 0, 10000} {
		if file, l, c := locate(0, "spec", line, 1); file != shop+"/templates/deployment.yaml" || l != 0 || c != 0 {
			t.Errorf("Locate(line %d) = %s:%d:%d, want the file only", line, file, l, c)
		}
	}
}

func TestKeyColumn(t *testing.T) {
	tests := []struct {
		line, path string
		want       int
	}{
		{"  replicas: {{ .Values.replicaCount }}", "spec.replicas", 3},
		{"  minReplicas: 2", "spec.replicas", 1}, // not a key of its own
		{`  "name": x`, "metadata.name", 3},
		{"    - name: {{ .name }}", "spec.containers[0].name", 7},
		{"    - name: {{ .name }}", "spec.containers[0]", 1},
		{`    kubevet.io/kube-version: x`, `metadata.annotations["kubevet.io/kube-version"]`, 5},
		{"", "", 1},
		{"a:", "a[", 1},
		{"a:", "[[]]", 1},
		{"a:", `["]`, 1},
		{"a:", `a["]`, 1},
	}
	for _, tt := range tests {
		if got := keyColumn(tt.line, tt.path); got != tt.want {
			t.Errorf("keyColumn(%q, %q) = %d, want %d", tt.line, tt.path, got, tt.want)
		}
	}
}

// TestAlignHostile: templates the scanner cannot follow still give a
// mapping of the right length with lines in range.
func TestAlignHostile(t *testing.T) {
	tests := []struct{ source, rendered string }{
		{"", ""},
		{"", "a\nb\n"},
		{"a: 1\n", ""},
		{"{{", "x"},
		{"{{ \"}}\" }}\n", "}}\n"},
		{"{{/* unclosed comment", "a"},
		{"{{- `raw", "a"},
		{"{{ end }}{{ end }}\nb: 1\n", "b: 1\n"},
		{"{{ range .x }}\n{{ if }}\n", "\n\n\n"},
		{"{{- define \"x\" }}\na: 1\n{{- end }}\na: 2\n", "\na: 2\n"},
		{"a\n\n\nb", "a\nb"},
		{"{{-}}\n{{- -}}\n", "\n"},
		{"x: {{ .a }}\r\ny: 2\r\n", "x: 1\r\ny: 2\r\n"},
		{strings.Repeat("{{ range . }}", 50) + "a\n" + strings.Repeat("{{ end }}", 50), strings.Repeat("a\n", 100)},
	}
	for _, tt := range tests {
		checkAlign(t, []byte(tt.source), []byte(tt.rendered))
	}
}

func checkAlign(t *testing.T, source, rendered []byte) {
	t.Helper()
	got := alignLines(source, rendered)
	n := len(strings.Split(strings.TrimSuffix(string(rendered), "\n"), "\n"))
	if len(rendered) == 0 {
		n = 0
	}
	if len(got) != n {
		t.Fatalf("alignLines(%q, %q) gives %d lines, want %d", source, rendered, len(got), n)
	}
	m := bytes.Count(source, []byte("\n")) + 1
	for i, l := range got {
		if l < 0 || l > m {
			t.Fatalf("alignLines(%q, %q): rendered line %d → %d, out of 0..%d", source, rendered, i+1, l, m)
		}
	}
	lm := newLineMap("f", source, rendered)
	for _, line := range []int{-5, 0, 1, n, n + 1} {
		if f, l, c := lm.Locate(0, "a.b[0].c", line, 1); f != "f" || l < 0 || l > m || c < 0 {
			t.Fatalf("Locate(%d) = %s:%d:%d", line, f, l, c)
		}
	}
}

// TestAlignLarge: beyond maxCells the file is only named, quickly.
func TestAlignLarge(t *testing.T) {
	src := strings.Repeat("a: {{ .x }}\n", 3000)
	got := alignLines([]byte(src), []byte(strings.Repeat("a: 1\n", 3000)))
	for i, l := range got {
		if l != 0 {
			t.Fatalf("line %d → %d beyond the bound, want 0", i+1, l)
		}
	}
}

func FuzzAlignLines(f *testing.F) {
	for _, name := range []string{"deployment.yaml", "configmap.yaml", "_helpers.tpl", "ingress.yaml"} {
		src, err := os.ReadFile(filepath.Join(shop, "templates", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, src)
	}
	f.Add([]byte("{{- range .x }}\n- {{ . }}\n{{- end }}\n"), []byte("\n- a\n- b\n"))
	f.Add([]byte("{{ \"}}\" -}} \n\t{{/* */}}"), []byte("}}"))
	f.Fuzz(func(t *testing.T, source, rendered []byte) {
		if len(source)*len(rendered) > 1<<20 {
			return
		}
		checkAlign(t, source, rendered)
	})
}

// TestAlignCases: small templates with the shapes charts use, each with
// the template line every rendered line must map to.
func TestAlignCases(t *testing.T) {
	tests := []struct {
		name     string
		source   string
		rendered string
		want     []int
	}{
		{"inline if", "kind: Pod\nimage: {{ .repo }}{{ if .tag }}:{{ .tag }}{{ end }}\npolicy: Always\n",
			"kind: Pod\nimage: nginx\npolicy: Always\n", []int{1, 2, 3}},
		{"action over two lines", "env:\n  {{- include \"x\" (dict\n      \"a\" 1) | nindent 2 }}\nname: x\n",
			"env:\n  a: 1\n  b: 2\nname: x\n", []int{1, 2, 2, 4}},
		{"toYaml after a key, no trim", "metadata:\n  labels: {{ toYaml .l | nindent 4 }}\nspec: {}\n",
			"metadata:\n  labels: \n    a: b\n    c: d\nspec: {}\n", []int{1, 2, 2, 2, 5 - 2}},
		{"range with else", "items:\n{{- range .xs }}\n  - name: {{ . }}\n{{- else }}\n  - none: true\n{{- end }}\n",
			"items:\n  - name: a\n  - name: b\n", []int{1, 3, 3}},
		{"range else taken", "items:\n{{- range .xs }}\n  - name: {{ . }}\n{{- else }}\n  - none: true\n{{- end }}\n",
			"items:\n  - none: true\n", []int{1, 5}},
		{"nested range", "{{- range .groups }}\n- group: {{ .name }}\n  users:\n  {{- range .users }}\n    - {{ . }}\n  {{- end }}\n{{- end }}\n",
			"\n- group: a\n  users:\n    - x\n    - y\n- group: b\n  users:\n    - z\n", []int{1, 2, 3, 5, 5, 2, 3, 5}},
		{"comments and declarations", "{{- /* the service */ -}}\n{{- $port := .port }}\nkind: Service\nport: {{ $port }}\n",
			"kind: Service\nport: 80\n", []int{3, 4}},
		{"with and toYaml block", "spec:\n  {{- with .affinity }}\n  affinity:\n    {{- toYaml . | nindent 4 }}\n  {{- end }}\n  replicas: 1\n",
			"spec:\n  affinity:\n    nodeAffinity:\n      required: {}\n  replicas: 1\n", []int{1, 3, 4, 4, 6}},
		{"range over a map of keys", "data:\n  {{- range $k, $v := .data }}\n  {{ $k }}: {{ $v | quote }}\n  {{- end }}\n  fixed: x\n",
			"data:\n  a: \"1\"\n  b: \"2\"\n  fixed: x\n", []int{1, 3, 3, 5}},
		{"no literal text explains a line", "{{ .Values.raw }}\n", "a: 1\nb: 2\n", []int{1, 1}},
		{"text the template does not have", "kind: Pod\nname: x\n", "kind: Pod\nother: y\nname: x\n", []int{1, 0, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := alignLines([]byte(tt.source), []byte(tt.rendered))
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("alignLines:\n got %v\nwant %v\nrendered:\n%s", got, tt.want, tt.rendered)
			}
		})
	}
}

// TestAlignAmbiguous documents the approximation of identical lines in
// two branches: the rendered line maps to one of them, not always the
// branch taken.
func TestAlignAmbiguous(t *testing.T) {
	src := "{{- if .a }}\n  name: x\n{{- else }}\n  name: x\n{{- end }}\n"
	got := alignLines([]byte(src), []byte("\n  name: x\n"))
	if len(got) != 2 || (got[1] != 2 && got[1] != 4) {
		t.Errorf("alignLines = %v, want line 2 or 4 for the second line", got)
	}
}

func FuzzKeyColumn(f *testing.F) {
	f.Add("  image: x", "spec.containers[0].image")
	f.Add(`    a.b/c: x`, `metadata.labels["a.b/c"]`)
	f.Add("", `["]`)
	f.Fuzz(func(t *testing.T, line, path string) {
		if c := keyColumn(line, path); c < 1 || c > len(line)+1 {
			t.Fatalf("keyColumn(%q, %q) = %d, out of 1..%d", line, path, c, len(line)+1)
		}
	})
}

// BenchmarkAlignLarge aligns a generated template near the memory bound:
// 1000 template lines in a range body, 4000 rendered lines.
func BenchmarkAlignLarge(b *testing.B) {
	var src, out strings.Builder
	src.WriteString("items:\n{{- range .items }}\n")
	for i := range 998 {
		fmt.Fprintf(&src, "  key%d: {{ .v%d }}\n", i, i)
	}
	src.WriteString("{{- end }}\n")
	out.WriteString("items:\n")
	for i := range 3999 {
		fmt.Fprintf(&out, "  key%d: %d\n", i%998, i)
	}
	b.ReportMetric(float64(4000*1001), "cells")
	for b.Loop() {
		got := alignLines([]byte(src.String()), []byte(out.String()))
		if got[len(got)-1] == 0 {
			b.Fatal("the last line is not mapped")
		}
	}
}
