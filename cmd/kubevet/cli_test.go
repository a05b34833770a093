package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/config"
)

var update = flag.Bool("update", false, "rewrite golden files")

func kubevet(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	version = "test"
	var out, errb bytes.Buffer
	code = run(append([]string{"kubevet"}, args...), strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./cmd/kubevet -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestGoldenText(t *testing.T) {
	out, errs, code := kubevet(t, "", "check", "testdata/input")
	if code != 1 {
		t.Errorf("exit %d, want 1; stderr: %s", code, errs)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes in output that is not a terminal")
	}
	golden(t, "out.txt", out)
}

func TestGoldenJSON(t *testing.T) {
	out, _, code := kubevet(t, "", "check", "-o", "json", "testdata/input")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var doc struct {
		SchemaVersion string `json:"schemaVersion"`
		Findings      []struct {
			Check    string   `json:"check"`
			Refs     []string `json:"refs"`
			Severity string   `json:"severity"`
			Object   struct {
				APIVersion, Kind, Namespace, Name string
			} `json:"object"`
			File    string `json:"file"`
			Line    int    `json:"line"`
			Column  int    `json:"column"`
			Path    string `json:"path"`
			Message string `json:"message"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != "kubevet.io/report/v1" || len(doc.Findings) == 0 {
		t.Fatalf("unexpected report: %s", out)
	}
	for _, f := range doc.Findings {
		if f.Check == "" || f.Severity == "" || f.Object.Kind == "" || f.File == "" || f.Line == 0 || f.Column == 0 || f.Message == "" || f.Refs == nil {
			t.Errorf("incomplete finding: %+v", f)
		}
	}
	golden(t, "out.json", out)
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.yaml")
	os.WriteFile(broken, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [\n"), 0o644)
	badCfg := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badCfg, []byte("checks:\n  image-tag:\n    severty: error\n"), 0o644)
	cases := []struct {
		name string
		args []string
		want int
		err  string
	}{
		{"good app", []string{"check", "../../examples/good-app"}, 0, ""},
		{"good app fails on warnings", []string{"check", "--fail-on", "warning", "../../examples/good-app"}, 0, ""},
		{"bad app", []string{"check", "../../examples/bad-app"}, 1, ""},
		{"fail on none", []string{"check", "--fail-on", "none", "../../examples/bad-app"}, 0, ""},
		{"broken document is a finding", []string{"check", broken}, 1, ""},
		{"unknown fail-on", []string{"check", "--fail-on", "fatal", "."}, 2, "--fail-on"},
		{"missing path", []string{"check", filepath.Join(dir, "nope")}, 2, "no such file"},
		{"bad config", []string{"check", "--config", badCfg, "../../examples/good-app"}, 2, "bad.yaml:3:5: unknown key \"severty\""},
		{"unknown format", []string{"check", "-o", "xml", "."}, 2, "unknown output format"},
		{"two formats on stdout", []string{"check", "-o", "text", "-o", "json", "."}, 2, "only one output format"},
		{"bad version", []string{"check", "--kubernetes-version", "latest", "."}, 2, "kubernetes-version"},
		{"unknown flag", []string{"check", "--frobnicate"}, 2, "unknown flag"},
		{"unknown check", []string{"explain", "nope"}, 2, "no check"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs, code := kubevet(t, "", c.args...)
			if code != c.want {
				t.Errorf("exit %d, want %d; stderr: %s", code, c.want, errs)
			}
			if c.err != "" && !strings.Contains(errs, c.err) {
				t.Errorf("stderr %q does not mention %q", errs, c.err)
			}
		})
	}
}

func TestStdinAndReportFile(t *testing.T) {
	dir := t.TempDir()
	pod, _ := os.ReadFile("testdata/input/app.yaml")
	report := filepath.Join(dir, "r.json")
	out, _, code := kubevet(t, string(pod), "check", "-o", "text", "-o", "json="+report, "-")
	if code != 1 || !strings.Contains(out, "-:37:11") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	data, err := os.ReadFile(report)
	if err != nil || !json.Valid(data) {
		t.Errorf("report file: %v", err)
	}
}

func TestChecksAndExplain(t *testing.T) {
	out, _, code := kubevet(t, "", "checks", "-o", "json")
	var infos []checkInfo
	if code != 0 || json.Unmarshal([]byte(out), &infos) != nil || len(infos) != len(catalog.All()) {
		t.Fatalf("checks -o json: exit %d, %d entries", code, len(infos))
	}
	out, _, _ = kubevet(t, "", "checks")
	for _, c := range catalog.All() {
		if !strings.Contains(out, c.ID) {
			t.Errorf("checks does not list %s", c.ID)
		}
	}
	out, _, code = kubevet(t, "", "explain", "run-as-non-root")
	for _, want := range []string{"Why it matters", "How to fix", "SEC-11", "seeds:", "exempt.kubevet.io/run-as-non-root"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	out, _, code = kubevet(t, "", "version")
	if code != 0 || out != "kubevet test\n" {
		t.Errorf("version: %q", out)
	}
}

// TestConfigInit: the written default configuration parses and changes
// nothing compared with no configuration at all.
func TestConfigInit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".kubevet.yaml")
	if _, errs, code := kubevet(t, "", "config", "init", "--file", path); code != 0 {
		t.Fatalf("config init: %d %s", code, errs)
	}
	if _, err := config.Load(path, catalog.All()); err != nil {
		t.Fatalf("default configuration does not parse: %v", err)
	}
	if _, errs, code := kubevet(t, "", "config", "init", "--file", path); code != 2 || !strings.Contains(errs, "exists") {
		t.Errorf("overwrite without --force: %d %s", code, errs)
	}
	with, _, _ := kubevet(t, "", "check", "--config", path, "-o", "json", "../../examples/bad-app")
	without, _, _ := kubevet(t, "", "check", "-o", "json", "../../examples/bad-app")
	if with != without {
		t.Error("the default configuration changes the result")
	}
}

// TestKubectlPlugin: installed as kubectl-vet, the help names the command
// the way kubectl runs it.
func TestKubectlPlugin(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"/usr/local/bin/kubectl-vet", "--help"}, strings.NewReader(""), &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "kubectl vet [command]") {
		t.Errorf("exit %d, help:\n%s", code, out.String())
	}
}
