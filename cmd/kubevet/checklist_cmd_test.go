package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const attestFixture = "../../internal/checklist/testdata/kubevet-attestations.yaml"

func TestChecklistCommand(t *testing.T) {
	out, errs, code := kubevet(t, "", "checklist", "--date", "2026-11-23", "--attestations", attestFixture, "../../examples/bad-app")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Identity & access", "Windows node pools", "DR-05   attested", "UPG-04  open", "EXPIRED on 2025-11-01", "coverage: 106 items:"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
	dir := t.TempDir()
	md, html := filepath.Join(dir, "c.md"), filepath.Join(dir, "c.html")
	out, errs, code = kubevet(t, "", "checklist", "--date", "2026-11-23", "--attestations", attestFixture, "-o", "json", "-o", "markdown="+md, "-o", "html="+html, "../../examples/bad-app")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		SchemaVersion string
		Coverage      struct{ Items, Automated, Passing, Failing, Attested, NotApplicable, Open int }
		Sections      []struct{ Items []struct{ ID, Status string } }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range doc.Sections {
		n += len(s.Items)
	}
	c := doc.Coverage
	if doc.SchemaVersion != "kubevet.io/checklist/v1" || n != 106 || c.Items != 106 || c.Automated+c.Attested+c.NotApplicable+c.Open != 106 || c.Failing == 0 {
		t.Errorf("checklist JSON: %s %d items, coverage %+v", doc.SchemaVersion, n, c)
	}
	for _, f := range []string{md, html} {
		if b, err := os.ReadFile(f); err != nil || len(b) == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestChecklistFindsAttestations: the attestation file is found beside the
// checked folder, or above it.
func TestChecklistFindsAttestations(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app")
	os.MkdirAll(app, 0o755)
	os.WriteFile(filepath.Join(app, "pod.yaml"), []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers: [{name: c, image: x:1}]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "kubevet-attestations.yaml"), []byte("attestations:\n  - item: WL-04\n    who: Ana\n    date: 2026-01-01\n    evidence: https://x.example.com/1\n"), 0o644)
	out, errs, code := kubevet(t, "", "checklist", "--date", "2026-11-23", "-o", "json", app)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"attestationsFile": "`) || !strings.Contains(out, `"status": "attested"`) {
		t.Errorf("attestation not found or not used:\n%.2000s", out)
	}
}

func TestChecklistErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("attestations:\n  - item: DR-05\n    who: Ana\n    date: 2026-13-01\n    evidence: https://x.example.com/1\n    signed: yes\n"), 0o644)
	unknown := filepath.Join(dir, "unknown.yaml")
	os.WriteFile(unknown, []byte("attestations:\n  - item: XX-01\n    who: Ana\n    date: 2026-01-01\n    evidence: https://x.example.com/1\n"), 0o644)
	cases := []struct {
		name string
		args []string
		errs []string
	}{
		{"bad date and unknown key", []string{"--attestations", bad}, []string{"bad.yaml:4:11: date \"2026-13-01\" is not a date", "bad.yaml:6:5: unknown key \"signed\""}},
		{"unknown item", []string{"--attestations", unknown}, []string{"unknown.yaml:2:11: unknown item \"XX-01\""}},
		{"missing attestation file", []string{"--attestations", filepath.Join(dir, "nope.yaml")}, []string{"reading attestations"}},
		{"unknown format", []string{"-o", "pdf"}, []string{"unknown output format \"pdf\""}},
		{"two formats on stdout", []string{"-o", "text", "-o", "json"}, []string{"only one output format"}},
		{"bad date flag", []string{"--date", "tomorrow"}, []string{"--date"}},
		{"bad profile", []string{"--profile", "lax"}, []string{"--profile"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"checklist"}, tc.args...)
			_, errs, code := kubevet(t, "", append(args, "../../examples/good-app")...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			for _, w := range tc.errs {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q lacks %q", errs, w)
				}
			}
		})
	}
	if _, _, code := kubevet(t, "", "checklist", filepath.Join(dir, "missing")); code != 2 {
		t.Errorf("missing path: exit %d, want 2", code)
	}
}

// TestChecklistAKSConfiguration: given AKS configuration, the items of the
// aks- checks are automated instead of not applicable.
func TestChecklistAKSConfiguration(t *testing.T) {
	status := func(args ...string) (map[string]string, bool) {
		t.Helper()
		out, errs, code := kubevet(t, "", append([]string{"checklist", "--date", "2026-11-23", "-o", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var doc struct {
			Inputs   struct{ AKSConfiguration bool }
			Sections []struct{ Items []struct{ ID, State string } }
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, s := range doc.Sections {
			for _, it := range s.Items {
				m[it.ID] = it.State
			}
		}
		return m, doc.Inputs.AKSConfiguration
	}
	without, aks := status("../../examples/good-app")
	if aks || without["IAM-03"] != "not-applicable" {
		t.Errorf("manifests only: AKS configuration %v, IAM-03 %s", aks, without["IAM-03"])
	}
	with, aks := status("../../examples/good-app", "../../internal/aks/testdata/cli-good.json")
	if !aks || (with["IAM-03"] != "passing" && with["IAM-03"] != "failing") {
		t.Errorf("with az aks show JSON: AKS configuration %v, IAM-03 %s", aks, with["IAM-03"])
	}
}
