package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func runAKS(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"kubevet"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// kubevet aks takes every JSON file given, with check's exit codes; kubevet
// check picks AKS configuration out by its content.
func TestAKSCommand(t *testing.T) {
	const good = "../../internal/aks/testdata/rest-good.json"
	const bad = "../../internal/aks/testdata/rest-bad.json"
	if code, out, errs := runAKS(t, "aks", "--as-of", "2026-11-23", "--profile", "regulated", good); code != exitOK {
		t.Errorf("good cluster: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ := runAKS(t, "aks", "--as-of", "2026-11-23", "-o", "json", bad)
	if code != exitFindings {
		t.Errorf("bad cluster: exit %d, want %d", code, exitFindings)
	}
	var rep struct {
		Findings []struct {
			Check string `json:"check"`
			Line  int    `json:"line"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json report: %v\n%s", err, out)
	}
	found := false
	for _, f := range rep.Findings {
		found = found || (f.Check == "aks-kubernetes-rbac" && f.Line == 76)
	}
	if !found {
		t.Errorf("want aks-kubernetes-rbac at line 76 in %s", out)
	}
	// --as-of is common to check, aks and cluster; a malformed date is a
	// usage error.
	if code, _, _ := runAKS(t, "check", "--as-of", "2026-11-23", bad); code != exitFindings {
		t.Errorf("check --as-of: exit %d", code)
	}
	if code, _, _ := runAKS(t, "check", "--as-of", "23/11/2026", bad); code != exitUsage {
		t.Errorf("check --as-of with a bad date: exit %d", code)
	}
	if code, out, _ := runAKS(t, "check", "--fail-on", "none", "../../internal/aks/testdata/tf-v4-bad"); code != exitOK || !strings.Contains(out, "aks-subnet-size") {
		t.Errorf("check must read Terraform folders: exit %d\n%s", code, out)
	}
	if code, _, errs := runAKS(t, "aks", "--as-of", "yesterday", bad); code != exitUsage || !strings.Contains(errs, "--as-of") {
		t.Errorf("bad --as-of: exit %d %s", code, errs)
	}
}
