package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	armCluster = "../../internal/plan/testdata/cluster-arm.json"
	cliCluster = "../../internal/plan/testdata/cluster-cli.json"
)

func TestPlanExitCodes(t *testing.T) {
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "c.json")
	os.WriteFile(notJSON, []byte("apiVersion: v1\n"), 0o644)
	cases := []struct {
		name string
		args []string
		want int
		text string // in stdout when the exit is 0 or 1, in stderr when 2
	}{
		{"fits", []string{"plan", "ip", "--plugin", "overlay", "--nodes", "3", "--subnet", "10.0.0.0/25"}, 0, "Verdict: fits"},
		{"does not fit", []string{"plan", "ip", "--plugin", "azure", "--nodes", "3", "--subnet", "10.0.0.0/25"}, 1, "Verdict: does not fit"},
		{"nothing to check", []string{"plan", "ip", "--plugin", "azure", "--nodes", "50"}, 0, "a /21 or larger"},
		{"bad service CIDR fails", []string{"plan", "ip", "--plugin", "overlay", "--nodes", "3", "--subnet", "10.0.0.0/24", "--service-cidr", "10.0.0.0/16"}, 1, "overlaps"},
		{"max nodes", []string{"plan", "ip", "--plugin", "azure", "--nodes", "3", "--max-nodes", "10", "--subnet", "10.0.0.0/22"}, 0, "(10 + 1) × (1 + 30)"},
		{"pools share defaults", []string{"plan", "ip", "--plugin", "azure", "--max-pods", "50", "--max-surge", "2", "--pool", "system:3", "--pool", "user:5:20:1"}, 0, "(3 + 2) × (1 + 50) + (5 + 1) × (1 + 20) + 0 = 381"},
		{"static blocks", []string{"plan", "ip", "--plugin", "podsubnet", "--pod-ip-allocation", "static", "--nodes", "3", "--max-pods", "31", "--pod-subnet", "10.1.0.0/25"}, 1, "16 × ceil((31 + 1)/16)"},
		{"from an ARM body", []string{"plan", "ip", "--from", armCluster, "--subnet", "10.240.0.0/22"}, 0, "(3 + 1) × (1 + 30) + (4 + 1) × (1 + 30) + (2 + 1) × (1 + 30) + 0 = 372"},
		{"from az aks show", []string{"plan", "ip", "--from", cliCluster, "--pod-subnet", "10.1.0.0/23"}, 0, "(3 + 1) × 16 × ceil((110 + 1)/16) = 448"},
		{"flags override the file", []string{"plan", "ip", "--from", armCluster, "--plugin", "overlay", "--subnet", "10.240.0.0/27"}, 0, "Azure CNI Overlay"},
		{"egress", []string{"plan", "egress", "--region", "westeurope"}, 0, "## Required FQDN (application) rules"},
		{"plan alone prints help", []string{"plan"}, 0, "Available Commands"},

		{"no plugin", []string{"plan", "ip", "--nodes", "3"}, 2, "give --plugin"},
		{"bad plugin", []string{"plan", "ip", "--plugin", "calico", "--nodes", "3"}, 2, "unknown network plugin"},
		{"no pools", []string{"plan", "ip", "--plugin", "azure"}, 2, "give --nodes, --pool or --from"},
		{"bad pool", []string{"plan", "ip", "--plugin", "azure", "--pool", "user"}, 2, "NAME:NODES"},
		{"bad pool surge", []string{"plan", "ip", "--plugin", "azure", "--pool", "user:3:30:lots"}, 2, "max surge"},
		{"pool and nodes", []string{"plan", "ip", "--plugin", "azure", "--pool", "a:3", "--nodes", "3"}, 2, "not both"},
		{"max below nodes", []string{"plan", "ip", "--plugin", "azure", "--nodes", "5", "--max-nodes", "3"}, 2, "below --nodes"},
		{"bad surge", []string{"plan", "ip", "--plugin", "azure", "--nodes", "3", "--max-surge", "x"}, 2, "--max-surge"},
		{"bad subnet", []string{"plan", "ip", "--plugin", "azure", "--nodes", "3", "--subnet", "10.0.0.0"}, 2, "not a CIDR"},
		{"pod subnet with legacy", []string{"plan", "ip", "--plugin", "azure", "--nodes", "3", "--pod-subnet", "10.1.0.0/24"}, 2, "--plugin podsubnet"},
		{"static without pod subnet", []string{"plan", "ip", "--plugin", "overlay", "--nodes", "3", "--pod-ip-allocation", "static"}, 2, "static block"},
		{"bad allocation", []string{"plan", "ip", "--plugin", "podsubnet", "--nodes", "3", "--pod-ip-allocation", "sometimes"}, 2, "dynamic or static"},
		{"bad DNS IP", []string{"plan", "ip", "--plugin", "azure", "--nodes", "3", "--dns-service-ip", "ten"}, 2, "not an IP"},
		{"ip format", []string{"plan", "ip", "--plugin", "azure", "--nodes", "3", "-o", "yaml"}, 2, "unknown output format"},
		{"missing file", []string{"plan", "ip", "--from", filepath.Join(dir, "nope.json")}, 2, "no such file"},
		{"not a cluster", []string{"plan", "ip", "--from", notJSON}, 2, "not JSON"},
		{"egress format", []string{"plan", "egress", "-o", "xml"}, 2, "unknown output format"},
		{"egress cloud", []string{"plan", "egress", "--cloud", "mars"}, 2, "unknown cloud"},
		{"egress region", []string{"plan", "egress", "--region", "west-europe"}, 2, "not a location name"},
		{"egress acr", []string{"plan", "egress", "--acr", "x.azurecr.io"}, 2, "not an ACR name"},
		{"egress DNS", []string{"plan", "egress", "--custom-dns", "dns1"}, 2, "not an IP"},
		{"arm needs a region", []string{"plan", "egress", "-o", "arm"}, 2, "--region"},
		{"unknown subcommand", []string{"plan", "subnet"}, 2, "unknown command"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errs, code := kubevet(t, "", c.args...)
			if code != c.want {
				t.Errorf("exit %d, want %d; stderr: %s\nstdout: %s", code, c.want, errs, out)
			}
			where := out
			if c.want == 2 {
				where = errs
			}
			if !strings.Contains(where, c.text) {
				t.Errorf("output does not mention %q:\nstdout: %s\nstderr: %s", c.text, out, errs)
			}
		})
	}
}

// TestPlanIPWorkedRows runs rows of the worked /25 table (spec §3.4)
// through the CLI and its JSON output.
func TestPlanIPWorkedRows(t *testing.T) {
	cases := []struct {
		row      string
		args     []string
		maxNodes int
		code     int
	}{
		{"legacy, default 30", []string{"--plugin", "azure", "--nodes", "2", "--subnet", "10.0.0.0/25"}, 2, 0},
		{"legacy, 110", []string{"--plugin", "azure", "--nodes", "1", "--max-pods", "110", "--subnet", "10.0.0.0/25"}, 0, 1},
		{"legacy, 10", []string{"--plugin", "azure", "--nodes", "10", "--max-pods", "10", "--subnet", "10.0.0.0/25"}, 10, 0},
		{"kubenet", []string{"--plugin", "kubenet", "--nodes", "122", "--subnet", "10.0.0.0/25"}, 122, 0},
		{"overlay", []string{"--plugin", "overlay", "--nodes", "122", "--subnet", "10.0.0.0/25"}, 122, 0},
		{"dynamic pod subnet, /25 as node subnet", []string{"--plugin", "podsubnet", "--nodes", "122", "--subnet", "10.0.0.0/25"}, 122, 0},
		{"dynamic pod subnet, /25 as pod subnet (derived)", []string{"--plugin", "podsubnet", "--nodes", "3", "--max-pods", "30", "--pod-subnet", "10.1.0.0/25"}, 1, 1},
		{"static block, /25 as pod subnet", []string{"--plugin", "podsubnet", "--pod-ip-allocation", "static", "--nodes", "2", "--max-pods", "31", "--pod-subnet", "10.1.0.0/25"}, 2, 0},
	}
	for _, c := range cases {
		t.Run(c.row, func(t *testing.T) {
			out, errs, code := kubevet(t, "", append([]string{"plan", "ip", "-o", "json"}, c.args...)...)
			if code != c.code {
				t.Errorf("exit %d, want %d; %s", code, c.code, errs)
			}
			var p struct {
				Pools []struct{ MaxNodes *int }
			}
			if err := json.Unmarshal([]byte(out), &p); err != nil {
				t.Fatal(err)
			}
			if len(p.Pools) != 1 || p.Pools[0].MaxNodes == nil || *p.Pools[0].MaxNodes != c.maxNodes {
				t.Errorf("max nodes: %s", out)
			}
		})
	}
}

func TestPlanEgressCLI(t *testing.T) {
	out, errs, code := kubevet(t, "", "plan", "egress", "--from", armCluster, "--custom-dns", "10.1.0.4,10.1.0.5", "--acr", "contosoacr", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var l struct {
		Region string
		Rules  []struct {
			ID           string
			Condition    string
			Destinations []string
		}
	}
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatal(err)
	}
	conds := map[string]string{}
	for _, r := range l.Rules {
		conds[r.ID] = r.Condition
	}
	if l.Region != "westeurope" {
		t.Errorf("region %q", l.Region)
	}
	for id, want := range map[string]string{
		"azure-monitor":     "addonProfiles.omsagent.enabled in " + armCluster,
		"workload-identity": "securityProfile.workloadIdentity.enabled",
		"gpu":               "Standard_NC6s_v3",
		"windows-http":      "agentPoolProfiles[2].osType Windows",
		"custom-dns":        "--custom-dns",
		"acr-data":          "--acr",
		"api-server":        "enablePrivateCluster not true",
	} {
		if !strings.Contains(conds[id], want) {
			t.Errorf("%s: condition %q, want %q", id, conds[id], want)
		}
	}
	if _, ok := conds["keyvault"]; ok {
		t.Error("key vault rules for a disabled add-on")
	}
	// A private cluster from the file; --private=false overrides it.
	out, _, _ = kubevet(t, "", "plan", "egress", "--from", cliCluster, "-o", "csv")
	if strings.Contains(out, "azmk8s.io") || !strings.Contains(out, "data.policy.core.windows.net") {
		t.Errorf("private cluster csv:\n%s", out)
	}
	out, _, _ = kubevet(t, "", "plan", "egress", "--from", cliCluster, "--private=false", "-o", "csv")
	if !strings.Contains(out, "*.hcp.westeurope.azmk8s.io") {
		t.Errorf("--private=false:\n%s", out)
	}
	// The cloud follows the region unless --cloud says otherwise.
	out, _, _ = kubevet(t, "", "plan", "egress", "--region", "US Gov Virginia")
	if !strings.Contains(out, "Azure US Government") || !strings.Contains(out, "## Not covered") {
		t.Errorf("usgov:\n%s", out)
	}
	out, _, code = kubevet(t, "", "plan", "egress", "--region", "westeurope", "--source", "10.240.0.0/16", "-o", "arm")
	if code != 0 || !json.Valid([]byte(out)) || !strings.Contains(out, "Microsoft.Network/firewallPolicies/ruleCollectionGroups") || !strings.Contains(out, "10.240.0.0/16") {
		t.Errorf("arm (exit %d):\n%s", code, out)
	}
}
