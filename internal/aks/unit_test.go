package aks_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kubevet/kubevet/internal/aks"
	"github.com/kubevet/kubevet/internal/check"
	aksChecks "github.com/kubevet/kubevet/internal/checks/aks"
	"github.com/kubevet/kubevet/internal/engine"
)

// The examples of spec §3.3 and §3.4.
func TestIPFormulas(t *testing.T) {
	cases := []struct {
		mode       aks.NetworkMode
		pools      []aks.PoolIPs
		need, pref int
	}{
		{aks.AzureCNI, []aks.PoolIPs{{Nodes: 50, Surge: 1, MaxPods: 30}}, 1581, 21},
		{aks.AzureCNI, []aks.PoolIPs{{Nodes: 60, Surge: 1, MaxPods: 30}}, 1891, 21},
		{aks.AzureCNI, []aks.PoolIPs{{Nodes: 2, Surge: 1, MaxPods: 30}}, 93, 25},
		{aks.AzureCNI, []aks.PoolIPs{{Nodes: 3, Surge: 1, MaxPods: 30}}, 124, 24},
		{aks.Overlay, []aks.PoolIPs{{Nodes: 122, Surge: 1, MaxPods: 250}}, 123, 25},
		{aks.Kubenet, []aks.PoolIPs{{Nodes: 10, Surge: 1}, {Nodes: 5, Surge: 2}}, 18, 27},
	}
	for _, c := range cases {
		if got := aks.NodeSubnetIPs(c.mode, c.pools, 0); got != c.need {
			t.Errorf("%v %v: need %d, want %d", c.mode, c.pools, got, c.need)
		}
		if got := aks.MinPrefix(c.need); got != c.pref {
			t.Errorf("MinPrefix(%d) = %d, want %d", c.need, got, c.pref)
		}
	}
	if aks.UsableIPs(25) != 123 || aks.UsableIPs(24) != 251 {
		t.Error("usable addresses must leave five reserved")
	}
	for in, want := range map[string]int{"": 1, "33%": 1, "10%": 1, "50%": 2, "3": 3, "100%": 3} {
		if got := aks.SurgeNodes(in, 3); got != want {
			t.Errorf("SurgeNodes(%q, 3) = %d, want %d", in, got, want)
		}
	}
	if got := aks.SurgeNodes("", 25); got != 3 {
		t.Errorf("unset maxSurge on 25 nodes is 10%% rounded up = 3, got %d", got)
	}
	if aks.DefaultMaxPods(aks.AzureCNI) != 30 || aks.DefaultMaxPods(aks.Overlay) != 250 || aks.DefaultMaxPods(aks.Kubenet) != 110 {
		t.Error("default max pods")
	}
}

func TestVersionTable(t *testing.T) {
	tab, err := aks.Versions()
	if err != nil {
		t.Fatal(err)
	}
	if tab.AsOf == "" || tab.Source == "" {
		t.Fatal("the table must say where it comes from and when")
	}
	at := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	if n, _ := tab.Newest(at("2026-08-05")); n != 36 {
		t.Errorf("newest GA minor on 2026-08-05 = 1.%d, want 1.36", n)
	}
	if n, _ := tab.Newest(at("2026-11-23")); n != 37 {
		t.Errorf("newest GA minor on 2026-11-23 = 1.%d, want 1.37", n)
	}
	s := tab.Status(34, at("2026-11-23"), false)
	if s.Supported || !s.Platform {
		t.Errorf("1.34 in Nov 2026: %+v, want platform support only", s)
	}
	if s := tab.Status(32, at("2026-11-23"), true); !s.LTS {
		t.Errorf("1.32 on LTS in Nov 2026 must be covered until Mar 2027: %+v", s)
	}
	if s := tab.Status(31, at("2026-12-15"), true); s.LTS {
		t.Errorf("1.31 LTS ended in Nov 2026: %+v", s)
	}
	if stale, _ := tab.Stale(at("2026-11-23")); stale {
		t.Error("the table is 110 days old on 2026-11-23, not stale")
	}
	if stale, days := tab.Stale(at("2027-01-15")); !stale || days != 163 {
		t.Errorf("stale on 2027-01-15: %v %d", stale, days)
	}
	for in, want := range map[string]int{"1.33": 33, "1.33.2": 33, "v1.29.0": 29} {
		if got, err := aks.MinorOf(in); err != nil || got != want {
			t.Errorf("MinorOf(%q) = %d, %v", in, got, err)
		}
	}
}

func evalJSON(t *testing.T, doc string, env engine.HandlerEnv) ([]check.Finding, []engine.Note) {
	t.Helper()
	return aks.Handler{}.Check(context.Background(), "c.json", strings.NewReader(doc), env)
}

func ids(fs []check.Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Check]++
	}
	return m
}

// A cluster near the end of its version's support, checked on different
// dates: --as-of makes runs reproducible, and the stale-table note shows.
func TestVersionAsOf(t *testing.T) {
	doc := `{"name": "c", "type": "Microsoft.ContainerService/managedClusters", "properties": {"kubernetesVersion": "1.35.1", "agentPoolProfiles": []}}`
	env := testEnv("production")
	env.Settings.Now = time.Date(2027, 2, 10, 0, 0, 0, 0, time.UTC) // 1.35 EOL end of March 2027
	fs, notes := evalJSON(t, doc, env)
	var got *check.Finding
	for i := range fs {
		if fs[i].Check == aksChecks.KubernetesVersion.ID {
			got = &fs[i]
		}
	}
	if got == nil || got.Severity != check.Warning || !strings.Contains(got.Message, "2027-03-31") {
		t.Errorf("want a warning that support ends on 2027-03-31, got %+v", got)
	}
	stale := false
	for _, n := range notes {
		stale = stale || strings.Contains(n.Message, "version table is")
	}
	if !stale {
		t.Error("a table 189 days old must be reported as stale")
	}
	env.Settings.Now = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	if fs, notes := evalJSON(t, doc, env); ids(fs)[aksChecks.KubernetesVersion.ID] != 0 || len(notes) != 0 {
		t.Errorf("1.35 is supported in September 2026: %v %v", fs, notes)
	}
}

// Profiles turn the conditional rules on and off.
func TestProfiles(t *testing.T) {
	data, err := os.ReadFile("testdata/rest-bad.json")
	if err != nil {
		t.Fatal(err)
	}
	count := func(profile string) map[string]int {
		fs, _ := evalJSON(t, string(data), testEnv(profile))
		return ids(fs)
	}
	reg, prod, dev := count("regulated"), count("production"), count("dev")
	for _, id := range []string{"aks-fips", "aks-private-cluster"} {
		if reg[id] == 0 || prod[id] != 0 || dev[id] != 0 {
			t.Errorf("%s must fire under regulated only: %d %d %d", id, reg[id], prod[id], dev[id])
		}
	}
	for _, id := range []string{"aks-sla-tier", "aks-availability-zones", "aks-cluster-autoscaler", "aks-egress-lockdown", "aks-kms-etcd-encryption"} {
		if prod[id] == 0 || dev[id] != 0 {
			t.Errorf("%s must fire under production and not under dev: %d %d", id, prod[id], dev[id])
		}
	}
	// The required option asks for a private cluster in any profile.
	env := testEnv("production")
	env.Options = func(c *check.Check) check.Options {
		o := c.DefaultOptions()
		if c == aksChecks.PrivateCluster {
			o["required"] = true
		}
		return o
	}
	if fs, _ := evalJSON(t, string(data), env); ids(fs)["aks-private-cluster"] != 1 {
		t.Error("aks-private-cluster with required: true must fire under production")
	}
}

// Findings carry the property path as the source spells it; a missing
// property lands on its nearest existing parent.
func TestPathsAndPlaces(t *testing.T) {
	data, _ := os.ReadFile("testdata/rest-bad.json")
	fs, _ := evalJSON(t, string(data), testEnv("regulated"))
	want := map[string]string{
		"aks-kubernetes-rbac": "properties.enableRBAC",
		"aks-local-accounts":  "properties.disableLocalAccounts",
		"aks-node-public-ip":  "properties.agentPoolProfiles[0].enableNodePublicIP",
		"aks-sla-tier":        "sku.tier",
	}
	for _, f := range fs {
		if p, ok := want[f.Check]; ok && f.Path != p {
			t.Errorf("%s: path %q, want %q", f.Check, f.Path, p)
		}
		if f.Check == "aks-local-accounts" && f.Line != 14 {
			t.Errorf("missing disableLocalAccounts must land on properties (line 14), got %d", f.Line)
		}
		if f.Object.APIVersion != aks.APIVersion || f.Object.Name != "clustername2" {
			t.Errorf("object %+v", f.Object)
		}
	}
	// Terraform: missing attributes are named as Terraform names them.
	tfs, _ := runFixture(t, "testdata/tf-v4-bad", testEnv("regulated"))
	tfWant := map[string]string{
		"aks-local-accounts":  "azurerm_kubernetes_cluster.bad.local_account_disabled",
		"aks-kubernetes-rbac": "azurerm_kubernetes_cluster.bad.role_based_access_control_enabled",
		"aks-sla-tier":        "azurerm_kubernetes_cluster.bad.sku_tier",
		"aks-node-public-ip":  "azurerm_kubernetes_cluster.bad.default_node_pool.node_public_ip_enabled",
	}
	for _, f := range tfs {
		if p, ok := tfWant[f.Check]; ok && f.Path != p {
			t.Errorf("%s: path %q, want %q", f.Check, f.Path, p)
		}
	}
}

// Resource Graph rows, az aks list output and REST list responses hold
// several clusters.
func TestLists(t *testing.T) {
	one := `{"name": "%s", "type": "microsoft.containerservice/managedclusters", "properties": {"kubernetesVersion": "1.36", "agentPoolProfiles": [{"name": "a", "count": 3}]}}`
	a, b := strings.Replace(one, "%s", "a", 1), strings.Replace(one, "%s", "b", 1)
	for name, doc := range map[string]string{
		"array":       "[" + a + "," + b + "]",
		"graph":       `{"count": 2, "data": [` + a + "," + b + `]}`,
		"rest list":   `{"value": [` + a + "," + b + `]}`,
		"cli flatten": `[{"name": "a", "kubernetesVersion": "1.36", "agentPoolProfiles": []}, {"name": "b", "kubernetesVersion": "1.36", "agentPoolProfiles": []}]`,
	} {
		cs, err := aks.Parse("x.json", []byte(doc))
		if err != nil || len(cs) != 2 || cs[0].Name != "a" || cs[1].Name != "b" {
			t.Errorf("%s: %v %v", name, cs, err)
		}
	}
}

// Match must take AKS inputs by content and leave Kubernetes manifests.
func TestMatch(t *testing.T) {
	h := aks.Handler{}
	for _, f := range []string{"rest-good.json", "cli-bad.json", "arm-bad.json", "plan-good.json", "plan-bad.json"} {
		data, _ := os.ReadFile("testdata/" + f)
		if !h.Match(f, data) {
			t.Errorf("%s is AKS configuration", f)
		}
	}
	for _, doc := range []string{
		`{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"t": "Microsoft.ContainerService/managedClusters"}}`,
		`{"apiVersion": "containerservice.azure.com/v1api20240901", "kind": "ManagedCluster", "spec": {"kubernetesVersion": "1.30", "agentPoolProfiles": []}}`,
		`{"apiVersion": "v1", "kind": "List", "items": []}`,
		`{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"type": "azurerm_storage_account"}]}}}`,
		`apiVersion: v1`,
	} {
		if h.Match("x.json", []byte(doc)) {
			t.Errorf("must not take %s", doc)
		}
	}
	if !(aks.Handler{Force: true}).Match("any.json", []byte(`{}`)) || (aks.Handler{Force: true}).Match("main.tf", nil) {
		t.Error("forced mode takes every JSON file and no .tf file")
	}
	// A forced file without a cluster is a note, not a crash.
	if fs, notes := (aks.Handler{Force: true}).Check(context.Background(), "x.json", bytes.NewReader([]byte(`{"a": 1}`)), testEnv("production")); len(fs) != 0 || len(notes) != 1 {
		t.Errorf("want one note: %v %v", fs, notes)
	}
}

// The core model must not pull in HCL: Terraform parsing is a leaf.
func TestCoreHasNoHCL(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/kubevet/kubevet/internal/aks").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	if strings.Contains(string(out), "hashicorp/hcl") {
		t.Error("internal/aks depends on HCL; keep it in internal/aks/terraform")
	}
}

// Top-level agentPools children of a template whose name is an expression
// are named by its literal tail, as concat() and Bicep's format() write it.
func TestTemplatePoolNames(t *testing.T) {
	tmpl := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
	  "parameters": {"cluster": {"type": "string"}},
	  "resources": [
	    {"type": "Microsoft.ContainerService/managedClusters", "name": "[parameters('cluster')]",
	     "properties": {"kubernetesVersion": "1.36", "agentPoolProfiles": [{"name": "sys", "mode": "System", "count": 3}]}},
	    {"type": "Microsoft.ContainerService/managedClusters/agentPools", "name": "[concat(parameters('cluster'), '/old')]", "properties": {"mode": "User"}},
	    {"type": "Microsoft.ContainerService/managedClusters/agentPools", "name": "[format('{0}/{1}', parameters('cluster'), 'apps')]", "properties": {"mode": "User"}}
	  ]}`
	cs, err := aks.Parse("t.json", []byte(tmpl))
	if err != nil || len(cs) != 1 {
		t.Fatalf("%v %v", cs, err)
	}
	var names []string
	for _, p := range cs[0].Pools {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); got != "sys,old,apps" {
		t.Errorf("pool names %s, want sys,old,apps", got)
	}
}

// A languageVersion 2.0 template (symbolic names, as Bicep writes it)
// holds its resources in an object; an existing resource is a reference,
// not a declaration.
func TestSymbolicNameTemplate(t *testing.T) {
	tmpl := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
	  "languageVersion": "2.0",
	  "resources": {
	    "other": {"type": "Microsoft.ContainerService/managedClusters", "existing": true, "name": "shared"},
	    "aks": {"type": "Microsoft.ContainerService/managedClusters", "name": "sym",
	      "properties": {"kubernetesVersion": "1.36", "agentPoolProfiles": [{"name": "sys", "mode": "System", "count": 3}]}},
	    "apps": {"type": "Microsoft.ContainerService/managedClusters/agentPools", "name": "sym/apps", "properties": {"mode": "User"}}
	  }}`
	if !aks.LooksLikeJSONInput([]byte(tmpl)) {
		t.Error("not taken as AKS input")
	}
	cs, err := aks.Parse("t.json", []byte(tmpl))
	if err != nil || len(cs) != 1 || cs[0].Name != "sym" || len(cs[0].Pools) != 2 {
		t.Fatalf("%+v %v", cs, err)
	}
}

// A template longer than the head the engine shows Match, whose cluster
// comes after many other resources, is still taken; a long template
// without a cluster is not.
func TestMatchLongTemplate(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [`)
	for b.Len() < 80<<10 {
		b.WriteString(`{"type": "Microsoft.Network/networkSecurityGroups", "name": "nsg", "properties": {"securityRules": []}},` + "\n")
	}
	other := b.String() + `{"type": "Microsoft.Storage/storageAccounts", "name": "st"}]}`
	withCluster := b.String() + `{"type": "Microsoft.ContainerService/managedClusters", "name": "late", "properties": {"kubernetesVersion": "1.36", "agentPoolProfiles": [{"name": "sys", "count": 3}]}}]}`
	dir := t.TempDir()
	for name, doc := range map[string]string{"with.json": withCluster, "other.json": other} {
		path := dir + "/" + name
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		head := []byte(doc)[:64<<10]
		if got := (aks.Handler{}).Match(path, head); got != (name == "with.json") {
			t.Errorf("%s: Match %v", name, got)
		}
	}
}

// A setting that is absent is said to be not set, not quoted as "".
func TestUnsetSettingMessages(t *testing.T) {
	fs, _ := evalJSON(t, `{"name": "bare", "type": "Microsoft.ContainerService/managedClusters", "properties": {"kubernetesVersion": "1.36", "agentPoolProfiles": [{"name": "sys", "mode": "System", "count": 3}]}}`, testEnv("regulated"))
	seen := 0
	for _, f := range fs {
		switch f.Check {
		case "aks-network-policy", "aks-auto-upgrade-channel", "aks-managed-identity":
			seen++
			if strings.Contains(f.Message, `""`) || !strings.Contains(f.Message, "not set") {
				t.Errorf("%s: %s", f.Check, f.Message)
			}
		}
	}
	if seen != 3 {
		t.Errorf("want the three findings, got %d", seen)
	}
}

// Conditional settings resolve from parameter defaults; a condition on a
// parameter without a default stays unknown.
func TestTemplateConditions(t *testing.T) {
	tmpl := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
	  "parameters": {"env": {"type": "string", "defaultValue": "prod, eu"}, "open": {"type": "bool"}},
	  "resources": [{"type": "Microsoft.ContainerService/managedClusters", "name": "c",
	    "properties": {"kubernetesVersion": "1.36", "agentPoolProfiles": [{"name": "sys", "count": 3}],
	      "networkProfile": {
	        "networkPolicy": "[if(and(equals(parameters('env'), 'prod, eu'), not(false())), 'cilium', 'none')]",
	        "outboundType": "[if(parameters('open'), 'loadBalancer', 'userDefinedRouting')]"}}}]}`
	cs, err := aks.Parse("t.json", []byte(tmpl))
	if err != nil || len(cs) != 1 {
		t.Fatalf("%v %v", cs, err)
	}
	if got := cs[0].Get("networkProfile.networkPolicy").Str(); got != "cilium" {
		t.Errorf("networkPolicy %q, want cilium", got)
	}
	if u := cs[0].Get("networkProfile.outboundType"); !u.IsUnknown() {
		t.Errorf("outboundType must stay unknown, got %+v", u)
	}
}
