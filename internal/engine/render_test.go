package engine_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/render"
)

// tableRenderer renders the folders of its table: each variant's files
// come back with lines shifted by 100 in "src/<name>", so that tests see
// where positions were mapped.
type tableRenderer struct {
	table    map[string][]engine.Variant
	includes map[string][]string
}

func (tableRenderer) Name() string { return "test bundle" }

func (tr tableRenderer) Claims(path string, isDir bool) bool {
	_, ok := tr.table[filepath.Base(path)]
	return ok && isDir
}

func (tr tableRenderer) Render(_ context.Context, path string) []engine.Variant {
	return tr.table[filepath.Base(path)]
}

func (tr tableRenderer) Includes(path string) []string {
	var out []string
	for _, p := range tr.includes[filepath.Base(path)] {
		out = append(out, filepath.Join(filepath.Dir(path), p))
	}
	return out
}

func shifted(name, data string) render.File {
	return render.File{Name: name, Data: []byte(data), Locate: func(doc int, path string, line, col int) (string, int, int) {
		return "src/" + name, line + 100, col
	}}
}

const renderedDeployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: %d
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: %s
`

const renderedPDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: web}}
`

func renderRun(t *testing.T, tr tableRenderer, force bool, paths ...string) *engine.Result {
	t.Helper()
	res, err := engine.Check(t.Context(), paths, engine.Options{Checks: catalog.All(), Now: now, Renderers: []engine.Renderer{tr}, ForceRender: force})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func findingsOf(res *engine.Result, id string) []string {
	var out []string
	for _, f := range res.Findings {
		if f.Check == id {
			out = append(out, fmt.Sprintf("%s:%d:%d %s %v", f.File, f.Line, f.Column, f.Object.Name, f.Profiles))
		}
	}
	return out
}

// TestRenderedPositions: findings on rendered objects point where the
// renderer's Locate says, and a document after the first is located too.
func TestRenderedPositions(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "chart/x", "")
	data := "# rendered\n" + fmt.Sprintf(renderedDeployment, 2, "nginx:latest") + "---\n" + fmt.Sprintf(strings.Replace(renderedDeployment, "web", "api", -1), 2, "nginx")
	tr := tableRenderer{table: map[string][]engine.Variant{"chart": {{Output: render.Output{Files: []render.File{shifted("deploy.yaml", data)}}}}}}
	res := renderRun(t, tr, false, dir)
	got := findingsOf(res, "image-tag")
	slices.Sort(got)
	// The two documents' images are at rendered lines 13 and 26.
	if want := []string{"src/deploy.yaml:113:9 web []", "src/deploy.yaml:126:9 api []"}; !slices.Equal(got, want) {
		t.Errorf("image-tag findings: got %q, want %q", got, want)
	}
	for _, f := range res.Findings {
		if strings.HasPrefix(f.File, "\x00") {
			t.Errorf("finding kept the engine's internal file name: %+v", f)
		}
	}
}

// TestRenderedProfiles: a finding every profile shares is one finding that
// lists them; each rendering is its own world for the checks across
// objects (prod's PDB does not cover dev's Deployment).
func TestRenderedProfiles(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "chart/x", "")
	prod := fmt.Sprintf(renderedDeployment, 3, "nginx:latest") + "---\n" + renderedPDB
	dev := fmt.Sprintf(renderedDeployment, 2, "nginx:latest")
	tr := tableRenderer{table: map[string][]engine.Variant{"chart": {
		{Profile: "prod", Output: render.Output{Files: []render.File{shifted("deploy.yaml", prod)}}},
		{Profile: "dev", Output: render.Output{Files: []render.File{shifted("deploy.yaml", dev)}}},
	}}}
	res := renderRun(t, tr, false, dir)
	if got, want := findingsOf(res, "image-tag"), []string{"src/deploy.yaml:112:9 web [prod dev]"}; !slices.Equal(got, want) {
		t.Errorf("image-tag: got %q, want %q", got, want)
	}
	if got := findingsOf(res, "pdb-missing"); len(got) != 1 || !strings.HasSuffix(got[0], "web [dev]") {
		t.Errorf("pdb-missing: got %q, want one finding, in dev only", got)
	}
}

// TestRenderProblems: what does not render is a render-error finding at
// its location; the other renderings are still checked.
func TestRenderProblems(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "chart/x", "")
	tr := tableRenderer{table: map[string][]engine.Variant{"chart": {
		{Profile: "prod", Output: render.Output{Problems: []render.Problem{{File: "chart/templates/deploy.yaml", Line: 7, Column: 12, Message: "execution error: image.tag is required"}}}},
		{Profile: "old", Output: render.Output{Warnings: []render.Problem{{File: "chart/Chart.yaml", Line: 3, Message: "deprecated"}}}},
		{Profile: "dev", Output: render.Output{Files: []render.File{shifted("deploy.yaml", fmt.Sprintf(renderedDeployment, 2, "nginx:latest"))}}},
	}}}
	res := renderRun(t, tr, false, dir)
	if got, want := findingsOf(res, "render-error"), []string{"chart/templates/deploy.yaml:7:12  [prod]"}; !slices.Equal(got, want) {
		t.Errorf("render-error: got %q, want %q", got, want)
	}
	if got := findingsOf(res, "image-tag"); len(got) != 1 || !strings.HasSuffix(got[0], "[dev]") {
		t.Errorf("image-tag: got %q, want one in dev", got)
	}
	if len(res.Notes) != 1 || res.Notes[0].File != "chart/Chart.yaml" || res.Notes[0].Line != 3 || res.Notes[0].Level != engine.NoteWarning {
		t.Errorf("warnings as notes: got %+v", res.Notes)
	}
}

// TestRenderDetection: a folder a renderer claims is rendered, not walked;
// a claimed folder another one includes is checked through it; a forced
// mode refuses paths no renderer claims.
func TestRenderDetection(t *testing.T) {
	dir := t.TempDir()
	// A template that would be a note if the walk went into the folder.
	write(t, dir, "overlay/templates/t.yaml", "replicas: {{ .Values.n }}\n")
	write(t, dir, "base/x.yaml", "")
	write(t, dir, "plain/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: \"nginx:latest\"}]\n")
	tr := tableRenderer{
		table: map[string][]engine.Variant{
			"overlay": {{Output: render.Output{Files: []render.File{shifted("o.yaml", fmt.Sprintf(renderedDeployment, 2, "nginx:latest"))}}}},
			"base":    {{Output: render.Output{Files: []render.File{shifted("b.yaml", fmt.Sprintf(renderedDeployment, 2, "nginx:latest"))}}}},
		},
		includes: map[string][]string{"overlay": {"base"}},
	}
	res := renderRun(t, tr, false, dir)
	var files []string
	for _, f := range res.Findings {
		if f.Check == "image-tag" {
			files = append(files, filepath.Base(f.File))
		}
	}
	slices.Sort(files)
	if want := []string{"o.yaml", "pod.yaml"}; !slices.Equal(files, want) {
		t.Errorf("image-tag in %q, want %q (base only through the overlay)", files, want)
	}
	if res.Files != 2 {
		t.Errorf("Files = %d, want 2: the overlay counts as the one file it rendered from, plus pod.yaml", res.Files)
	}
	for _, n := range res.Notes {
		if strings.Contains(n.Message, "template") {
			t.Errorf("the claimed folder was walked: %+v", n)
		}
	}
	// Named on the command line, the base is checked on its own.
	res = renderRun(t, tr, false, filepath.Join(dir, "base"), filepath.Join(dir, "overlay"))
	if got := findingsOf(res, "image-tag"); len(got) != 2 {
		t.Errorf("base named explicitly: got %q, want findings of base and overlay", got)
	}
	res = renderRun(t, tr, true, filepath.Join(dir, "plain"))
	if len(res.Notes) != 1 || res.Notes[0].Level != engine.NoteError || !strings.Contains(res.Notes[0].Message, "not a test bundle") {
		t.Errorf("forced mode on a plain folder: notes %+v", res.Notes)
	}
}
