package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	shopChart    = "../../internal/helm/testdata/shop"
	kustomizeApp = "../../internal/kustomize/testdata/app"
)

type jsonFinding struct {
	Check    string   `json:"check"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Path     string   `json:"path"`
	Message  string   `json:"message"`
	Profiles []string `json:"profiles"`
	Object   struct {
		Kind, Namespace, Name string
	} `json:"object"`
}

func findingsJSON(t *testing.T, args ...string) ([]jsonFinding, int) {
	t.Helper()
	out, errOut, code := kubevet(t, "", append([]string{"check", "-o", "json", "--as-of", "2026-11-01"}, args...)...)
	var doc struct {
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("kubevet %v: %v\nstdout: %s\nstderr: %s", args, err, out, errOut)
	}
	return doc.Findings, code
}

func pick(fs []jsonFinding, check, name string) []jsonFinding {
	var out []jsonFinding
	for _, f := range fs {
		if f.Check == check && (name == "" || f.Object.Name == name) {
			out = append(out, f)
		}
	}
	return out
}

// TestHelmChart: a chart folder is rendered, findings point at its
// templates (subcharts too), values and --set change what is rendered, and
// values profiles are named on the findings they produce.
func TestHelmChart(t *testing.T) {
	fs, code := findingsJSON(t, shopChart)
	if code != 0 && code != 1 {
		t.Fatalf("exit %d", code)
	}
	if len(fs) == 0 {
		t.Fatal("no findings on the shop chart")
	}
	for _, f := range fs {
		if !strings.HasPrefix(f.File, shopChart+"/") || strings.Contains(f.File, "\x00") {
			t.Errorf("finding outside the chart's files: %+v", f)
		}
		if len(f.Profiles) != 0 {
			t.Errorf("profiles on a run without profiles: %+v", f)
		}
	}
	sr := pick(fs, "replica-spread", "release-name-shop")
	if len(sr) != 1 || sr[0].File != shopChart+"/templates/deployment.yaml" || sr[0].Line == 0 {
		t.Errorf("replica-spread on the shop Deployment: %+v, want one in templates/deployment.yaml with a line", sr)
	}
	if r := pick(fs, "single-replica", "release-name-redis"); len(r) != 1 || r[0].File != shopChart+"/charts/redis/templates/statefulset.yaml" {
		t.Errorf("single-replica on the redis subchart: %+v", r)
	}

	// --set turns the redis subchart off (its condition) and --release-name
	// renames the release.
	fs, _ = findingsJSON(t, shopChart, "--set", "redis.enabled=false", "--release-name", "web")
	for _, f := range fs {
		if strings.Contains(f.File, "/charts/redis/") {
			t.Errorf("redis disabled by --set, still a finding: %+v", f)
			break
		}
	}
	if len(pick(fs, "replica-spread", "web-shop")) != 1 {
		t.Errorf("--release-name web: no finding on Deployment web-shop")
	}

	// Profiles: prod runs 3 replicas with a PDB, dev a single replica.
	fs, _ = findingsJSON(t, shopChart,
		"--values-profile", "prod="+shopChart+"/values-prod.yaml",
		"--values-profile", "dev="+shopChart+"/values-dev.yaml")
	if got := pick(fs, "single-replica", "release-name-shop"); len(got) != 1 || !slices.Equal(got[0].Profiles, []string{"dev"}) {
		t.Errorf("single-replica of the shop Deployment: %+v, want one in profile dev", got)
	}
	if got := pick(fs, "pdb-missing", "release-name-shop"); len(got) != 0 {
		t.Errorf("pdb-missing: %+v; prod has a PDB and dev one replica", got)
	}
	shared := 0
	for _, f := range fs {
		if len(f.Profiles) == 0 {
			t.Errorf("finding without profiles in a run with profiles: %+v", f)
		}
		if slices.Equal(f.Profiles, []string{"prod", "dev"}) {
			shared++
		}
	}
	if shared == 0 {
		t.Error("no finding shared by both profiles: identical findings were not merged")
	}
}

// TestHelmRenderError: a chart that does not render is a render-error
// finding at the template line, exit status 1, not a crash.
func TestHelmRenderError(t *testing.T) {
	fs, code := findingsJSON(t, "../../internal/helm/testdata/missing-required")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	re := pick(fs, "render-error", "")
	if len(re) == 0 || re[0].Line == 0 || !strings.Contains(re[0].File, "templates/") {
		t.Errorf("render-error findings: %+v, want one at a template line", re)
	}
}

// TestKustomizeOverlays: overlays are built; findings point at the base,
// patch or kustomization line that wrote the field; the base is checked
// through the overlays, not on its own.
func TestKustomizeOverlays(t *testing.T) {
	fs, _ := findingsJSON(t, kustomizeApp)
	namespaces := map[string]bool{}
	for _, f := range fs {
		if !strings.HasPrefix(f.File, kustomizeApp+"/") {
			t.Errorf("finding outside the kustomization's files: %+v", f)
		}
		namespaces[f.Object.Namespace] = true
	}
	if !namespaces["shop-dev"] || !namespaces["shop-prod"] || len(namespaces) != 2 {
		t.Errorf("findings in namespaces %v, want shop-dev and shop-prod only (the base is built through the overlays)", namespaces)
	}
	// The base alone, named on the command line.
	fs, _ = findingsJSON(t, kustomizeApp+"/base")
	if len(fs) == 0 {
		t.Error("no findings on the base named alone")
	}
}

// TestRenderModes: --mode manifests reads a chart's files as manifests
// (templates are a note), --mode helm refuses a folder that is not a chart.
func TestRenderModes(t *testing.T) {
	out, _, _ := kubevet(t, "", "check", "--mode", "manifests", shopChart)
	if !strings.Contains(out, "not YAML until rendered") {
		t.Errorf("--mode manifests: no template note:\n%s", out)
	}
	_, errOut, code := kubevet(t, "", "check", "--mode", "helm", kustomizeApp+"/base")
	if code != 2 || !strings.Contains(errOut, "not a Helm chart") {
		t.Errorf("--mode helm on a kustomization: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = kubevet(t, "", "check", "--mode", "yaml", shopChart)
	if code != 2 || !strings.Contains(errOut, "--mode") {
		t.Errorf("--mode yaml: exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = kubevet(t, "", "check", "--values-profile", "prod", shopChart)
	if code != 2 || !strings.Contains(errOut, "NAME=FILE") {
		t.Errorf("--values-profile without file: exit %d, stderr %q", code, errOut)
	}
}

// TestChecklistRendersCharts: the checklist reads a chart as check does.
func TestChecklistRendersCharts(t *testing.T) {
	out, errOut, _ := kubevet(t, "", "checklist", shopChart)
	if !strings.Contains(out, "templates/deployment.yaml") || strings.Contains(out, "not YAML until rendered") {
		t.Errorf("checklist of a chart does not show rendered findings:\n%s\n%s", out, errOut)
	}
}

// TestSchemaVersionNote: a target version kubevet has no schemas for says
// which schemas stand in.
func TestSchemaVersionNote(t *testing.T) {
	_, errOut, code := kubevet(t, "", "check", "--kubernetes-version", "1.30", "../../examples/good-app")
	if code != 0 || !strings.Contains(errOut, "1.30") || !strings.Contains(errOut, "1.34") {
		t.Errorf("exit %d, stderr %q: want a note that 1.34's schemas stand in for 1.30", code, errOut)
	}
	_, errOut, _ = kubevet(t, "", "check", "--kubernetes-version", "1.35", "../../examples/good-app")
	if errOut != "" {
		t.Errorf("stderr %q for a version with schemas", errOut)
	}
}

// TestRenderConfig: .kubevet.yaml's mode and helm section apply, and the
// flags win over them.
func TestRenderConfig(t *testing.T) {
	chart, err := filepath.Abs(shopChart)
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), ".kubevet.yaml")
	if err := os.WriteFile(cfg, []byte("helm:\n  releaseName: cfg\n  profiles:\n    prod: ["+chart+"/values-prod.yaml]\n    dev: ["+chart+"/values-dev.yaml]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fs, _ := findingsJSON(t, "--config", cfg, shopChart)
	if got := pick(fs, "single-replica", "cfg-shop"); len(got) != 1 || !slices.Equal(got[0].Profiles, []string{"dev"}) {
		t.Errorf("single-replica with the configuration's profiles and release name: %+v", got)
	}
	fs, _ = findingsJSON(t, "--config", cfg, "--release-name", "flag", "--values-profile", "only="+chart+"/values-prod.yaml", shopChart)
	if got := pick(fs, "replica-spread", "flag-shop"); len(got) != 1 || !slices.Equal(got[0].Profiles, []string{"only"}) {
		t.Errorf("flags over the configuration: %+v", got)
	}
	if err := os.WriteFile(cfg, []byte("mode: manifests\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, _ := kubevet(t, "", "check", "--config", cfg, shopChart)
	if !strings.Contains(out, "not YAML until rendered") {
		t.Errorf("mode: manifests in the configuration: no template note:\n%s", out)
	}
	out, _, _ = kubevet(t, "", "check", "--config", cfg, "--mode", "auto", shopChart)
	if strings.Contains(out, "not YAML until rendered") {
		t.Errorf("--mode auto over the configuration's manifests: template note:\n%s", out)
	}
}

// TestHelmCRDs: a chart's custom resources are validated against the CRDs
// of its crds/ folder, at the template line.
func TestHelmCRDs(t *testing.T) {
	fs, code := findingsJSON(t, "../../internal/helm/testdata/with-crds", "--set", "size=9")
	var got []string
	for _, f := range pick(fs, "custom-resource-invalid", "") {
		got = append(got, fmt.Sprintf("%s:%d %s", filepath.Base(f.File), f.Line, f.Path))
	}
	if want := []string{"widget.yaml:6 spec.size", "widget.yaml:7 spec.colour"}; !slices.Equal(got, want) || code != 1 {
		t.Errorf("exit %d, custom-resource-invalid %q, want %q", code, got, want)
	}
}
