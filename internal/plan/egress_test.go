package plan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./internal/plan -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// fullFacts turns on every feature, so the goldens hold every rule.
func fullFacts() EgressFacts {
	return EgressFacts{
		Cloud: CloudPublic, Region: "westeurope",
		Monitoring: true, KeyVault: true, AzurePolicy: true, Defender: true, WorkloadIdentity: true,
		CostAnalysis: true, Extensions: true, Windows: true, GPU: true,
		CustomDNS:  []netip.Addr{netip.MustParseAddr("10.1.0.4"), netip.MustParseAddr("10.1.0.5")},
		ACRs:       []string{"contosoacr"},
		AllowFQDNs: []string{"api.contoso.com"},
		Sources:    []netip.Prefix{netip.MustParsePrefix("10.240.0.0/16")},
	}
}

func TestEgressGoldens(t *testing.T) {
	cases := []struct {
		file   string
		facts  EgressFacts
		format string
	}{
		{"egress.md.golden", fullFacts(), "markdown"},
		{"egress.csv.golden", fullFacts(), "csv"},
		{"egress.json.golden", fullFacts(), "json"},
		{"egress.arm.json.golden", fullFacts(), "arm"},
		{"egress-private.md.golden", EgressFacts{Region: "westeurope", Private: true}, "markdown"},
		{"egress-usgov.md.golden", EgressFacts{Cloud: CloudUSGov, Region: "usgovvirginia", Monitoring: true, ACRs: []string{"contosoacr"}}, "markdown"},
		{"egress-china.md.golden", EgressFacts{Cloud: CloudChina, Region: "chinanorth3"}, "markdown"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			l, err := PlanEgress(c.facts)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := EgressFormats[c.format](&b, l); err != nil {
				t.Fatal(err)
			}
			golden(t, c.file, b.Bytes())
		})
	}
}

func ids(l *EgressList) []string {
	var out []string
	for _, r := range l.Rules {
		out = append(out, r.ID)
	}
	return out
}

func TestEgressFilters(t *testing.T) {
	always := []string{"ntp", "mcr", "mcr-data", "azure-management", "entra-login", "microsoft-packages", "aks-binaries", "aks-packages", "ubuntu-security", "ubuntu-snapshot"}
	public := []string{"aks-tunnel-udp", "aks-tunnel-tcp", "api-server", "api-server-fqdn"}
	cases := []struct {
		name    string
		facts   EgressFacts
		want    []string // present
		without []string // absent
	}{
		{"minimal public", EgressFacts{Region: "westeurope"}, append(slices.Clone(always), public...), []string{"custom-dns", "gpu", "windows-http", "azure-monitor", "keyvault", "acr"}},
		{"private drops the API server rules", EgressFacts{Region: "westeurope", Private: true}, always, public},
		{"custom DNS", EgressFacts{CustomDNS: []netip.Addr{netip.MustParseAddr("10.0.0.4")}}, []string{"custom-dns"}, nil},
		{"monitoring", EgressFacts{Monitoring: true}, []string{"azure-monitor-tag", "azure-monitor"}, []string{"defender"}},
		{"key vault", EgressFacts{KeyVault: true}, []string{"keyvault", "keyvault-wildcard"}, nil},
		{"policy", EgressFacts{AzurePolicy: true}, []string{"azure-policy"}, nil},
		{"defender", EgressFacts{Defender: true}, []string{"defender"}, nil},
		{"workload identity", EgressFacts{WorkloadIdentity: true}, []string{"workload-identity"}, nil},
		{"cost analysis", EgressFacts{CostAnalysis: true}, []string{"cost-analysis"}, nil},
		{"extensions", EgressFacts{Extensions: true}, []string{"cluster-extensions"}, nil},
		{"windows", EgressFacts{Windows: true}, []string{"windows-https", "windows-http"}, []string{"gpu"}},
		{"gpu", EgressFacts{GPU: true}, []string{"gpu"}, []string{"windows-http"}},
		{"acr", EgressFacts{ACRs: []string{"myacr"}}, []string{"acr", "acr-data"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := PlanEgress(c.facts)
			if err != nil {
				t.Fatal(err)
			}
			got := ids(l)
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %s in %v", w, got)
				}
			}
			for _, w := range c.without {
				if slices.Contains(got, w) {
					t.Errorf("unexpected %s in %v", w, got)
				}
			}
		})
	}
}

func rule(t *testing.T, l *EgressList, id string) EgressRule {
	t.Helper()
	for _, r := range l.Rules {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no rule %s", id)
	return EgressRule{}
}

func TestEgressPlaceholders(t *testing.T) {
	l, _ := PlanEgress(EgressFacts{Monitoring: true, ACRs: []string{"MyAcr1"}, CustomDNS: []netip.Addr{netip.MustParseAddr("10.0.0.4"), netip.MustParseAddr("10.0.0.5")}})
	if d := rule(t, l, "api-server-fqdn").Destinations; !slices.Equal(d, []string{"*.hcp.<region>.azmk8s.io"}) {
		t.Errorf("no region: %v", d)
	}
	if !l.NeedsRegion() || !strings.Contains(strings.Join(l.Notes, "\n"), "No region given") {
		t.Errorf("no region note: %v", l.Notes)
	}
	if d := rule(t, l, "custom-dns").Destinations; !slices.Equal(d, []string{"10.0.0.4", "10.0.0.5"}) {
		t.Errorf("custom DNS: %v", d)
	}
	if d := rule(t, l, "acr-data").Destinations; !slices.Equal(d, []string{"myacr1.<region>.data.azurecr.io"}) {
		t.Errorf("ACR data endpoint: %v", d)
	}
	if r := rule(t, l, "acr-data"); r.Unverified == "" {
		t.Error("ACR data endpoint not marked unverified")
	}
	var b bytes.Buffer
	if err := WriteEgressARM(&b, l); err == nil || !strings.Contains(err.Error(), "--region") {
		t.Errorf("ARM without region: %v", err)
	}
	l, _ = PlanEgress(EgressFacts{Region: "eastus", Monitoring: true})
	if d := rule(t, l, "azure-monitor").Destinations; !slices.Contains(d, "eastus.handler.control.monitor.azure.com") {
		t.Errorf("monitoring region FQDN: %v", d)
	}
	if d := rule(t, l, "aks-tunnel-udp").Destinations; !slices.Equal(d, []string{"AzureCloud.eastus"}) {
		t.Errorf("tunnel: %v", d)
	}
}

func TestEgressConditionEvidence(t *testing.T) {
	f := EgressFacts{Monitoring: true, Evidence: map[string]string{"monitoring": "addonProfiles.omsagent.enabled in c.json"}}
	l, _ := PlanEgress(f)
	if c := rule(t, l, "azure-monitor").Condition; !strings.Contains(c, "addonProfiles.omsagent.enabled in c.json") {
		t.Errorf("condition %q", c)
	}
	if c := rule(t, l, "mcr").Condition; c != "always" {
		t.Errorf("condition %q", c)
	}
	l, _ = PlanEgress(EgressFacts{Windows: true})
	if c := rule(t, l, "windows-http").Condition; !strings.Contains(c, "--windows") {
		t.Errorf("condition %q", c)
	}
}

func TestEgressOtherClouds(t *testing.T) {
	for _, c := range []Cloud{CloudUSGov, CloudChina} {
		l, err := PlanEgress(EgressFacts{Cloud: c, Region: "r1", KeyVault: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Rules) == 0 || len(l.NotCovered) == 0 {
			t.Errorf("%s: %d rules, %d not covered", c, len(l.Rules), len(l.NotCovered))
		}
		nc := strings.Join(l.NotCovered, "\n")
		if !strings.Contains(nc, "keyvault") || !strings.Contains(nc, "aks-tunnel-udp") {
			t.Errorf("%s not covered: %s", c, nc)
		}
		for _, r := range l.Rules {
			if strings.Contains(strings.Join(r.Destinations, " "), "azure.com") {
				t.Errorf("%s: public-cloud endpoint in %+v", c, r)
			}
		}
	}
	pub, _ := PlanEgress(EgressFacts{Region: "westeurope"})
	if len(pub.NotCovered) != 0 {
		t.Errorf("public cloud not covered: %v", pub.NotCovered)
	}
}

func TestEgressValidate(t *testing.T) {
	cases := []EgressFacts{
		{Region: "West Europe"},
		{ACRs: []string{"myacr.azurecr.io"}},
		{AllowFQDNs: []string{"http://x"}},
	}
	for _, f := range cases {
		if _, err := PlanEgress(f); err == nil {
			t.Errorf("%+v: no error", f)
		}
	}
	if NormalizeRegion("West Europe") != "westeurope" {
		t.Error("NormalizeRegion")
	}
	for region, want := range map[string]Cloud{"westeurope": CloudPublic, "usgovvirginia": CloudUSGov, "usdodeast": CloudUSGov, "chinanorth3": CloudChina, "China East 2": CloudChina} {
		if got := CloudOfRegion(region); got != want {
			t.Errorf("CloudOfRegion(%s) = %s, want %s", region, got, want)
		}
	}
}

func TestEgressRuleData(t *testing.T) {
	rf, err := loadRules()
	if err != nil {
		t.Fatal(err)
	}
	if len(rf.Sources) == 0 || !strings.Contains(rf.Sources[0].Name, "outbound-rules-control-egress.md") || !strings.Contains(rf.Sources[0].Date, "06/18/2026") {
		t.Errorf("sources: %+v", rf.Sources)
	}
	if !rf.Clouds[CloudPublic].Covered || rf.Clouds[CloudUSGov].Covered || rf.Clouds[CloudChina].Covered {
		t.Error("coverage flags")
	}
	// Every condition of the data has a trigger and every trigger is used.
	used := map[string]bool{}
	for _, cd := range rf.Clouds {
		for _, r := range cd.Rules {
			used[r.When] = true
		}
	}
	for _, tr := range triggers {
		if !used[tr.name] {
			t.Errorf("trigger %s has no rule", tr.name)
		}
	}
	bad := []string{
		"clouds: {public: {rules: []}}",
		"sources: []\nclouds:\n  public: {rules: [{id: a, group: x, when: always, protocol: TCP, port: 1, destinations: [a], purpose: p}]}\n  usgov: {}\n  china: {}",
		"sources: []\nclouds:\n  public: {rules: [{id: a, group: fqdn, when: sometimes, protocol: TCP, port: 1, destinations: [a], purpose: p}]}\n  usgov: {}\n  china: {}",
		"sources: []\nclouds:\n  public: {rules: [{id: a, group: fqdn, when: always, protocol: TCP, port: 1, destinations: [a], purpose: p, typo: 1}]}\n  usgov: {}\n  china: {}",
	}
	for _, b := range bad {
		if _, err := parseRules([]byte(b)); err == nil {
			t.Errorf("no error for %q", b)
		}
	}
}

func TestEgressCSV(t *testing.T) {
	l, _ := PlanEgress(fullFacts())
	var b bytes.Buffer
	WriteEgressCSV(&b, l)
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range l.Rules {
		n += len(r.Destinations)
	}
	if len(rows) != n+1 || rows[0][0] != "group" {
		t.Errorf("%d rows for %d destinations", len(rows), n)
	}
}

// TestEgressARMShape checks the ARM template against the resource shape of
// Microsoft.Network/firewallPolicies/ruleCollectionGroups (see the
// comment on WriteEgressARM for the source).
func TestEgressARMShape(t *testing.T) {
	l, _ := PlanEgress(fullFacts())
	var b bytes.Buffer
	if err := WriteEgressARM(&b, l); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b.Bytes()) {
		t.Fatal("not JSON")
	}
	type rule struct {
		RuleType             string `json:"ruleType"`
		Name                 string `json:"name"`
		SourceAddresses      any    `json:"sourceAddresses"`
		IPProtocols          []string
		DestinationAddresses []string
		DestinationFqdns     []string
		DestinationPorts     []string
		Protocols            []struct {
			ProtocolType string
			Port         int
		}
		TargetFqdns []string
	}
	var tpl struct {
		Schema         string `json:"$schema"`
		ContentVersion string
		Parameters     map[string]struct {
			Type string
		}
		Resources []struct {
			Type       string
			APIVersion string
			Name       string
			Properties struct {
				Priority        any
				RuleCollections []struct {
					RuleCollectionType string
					Name               string
					Priority           int
					Action             struct{ Type string }
					Rules              []rule
				}
			}
		}
	}
	dec := json.NewDecoder(&b)
	if err := dec.Decode(&tpl); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tpl.Schema, "deploymentTemplate.json") || tpl.ContentVersion == "" || len(tpl.Resources) != 1 {
		t.Fatalf("template: %+v", tpl)
	}
	for _, p := range []string{"firewallPolicyName", "ruleCollectionGroupName", "priority", "sourceAddresses", "apiServerPublicIP"} {
		if tpl.Parameters[p].Type == "" {
			t.Errorf("parameter %s missing", p)
		}
	}
	res := tpl.Resources[0]
	if res.Type != "Microsoft.Network/firewallPolicies/ruleCollectionGroups" || res.APIVersion != ARMAPIVersion || !strings.Contains(res.Name, "firewallPolicyName") {
		t.Errorf("resource: %s %s %s", res.Type, res.APIVersion, res.Name)
	}
	cols := res.Properties.RuleCollections
	if len(cols) != 2 {
		t.Fatalf("%d rule collections, want network and application", len(cols))
	}
	fqdns := map[string]int{}
	for i, c := range cols {
		if c.RuleCollectionType != "FirewallPolicyFilterRuleCollection" || c.Action.Type != "Allow" || c.Priority < 100 || c.Priority > 65000 || len(c.Rules) == 0 {
			t.Errorf("collection %d: %+v", i, c)
		}
		names := map[string]bool{}
		for _, r := range c.Rules {
			if names[r.Name] {
				t.Errorf("rule name %s repeated", r.Name)
			}
			names[r.Name] = true
			if r.SourceAddresses != "[parameters('sourceAddresses')]" {
				t.Errorf("%s: source %v", r.Name, r.SourceAddresses)
			}
			switch r.RuleType {
			case "NetworkRule":
				if i != 0 || len(r.IPProtocols) != 1 || len(r.DestinationPorts) != 1 || len(r.DestinationAddresses)+len(r.DestinationFqdns) == 0 {
					t.Errorf("network rule %+v", r)
				}
			case "ApplicationRule":
				if i != 1 || len(r.Protocols) != 1 || len(r.TargetFqdns) == 0 {
					t.Errorf("application rule %+v", r)
				}
				for _, p := range r.Protocols {
					if p.ProtocolType != "Http" && p.ProtocolType != "Https" {
						t.Errorf("%s: protocol %s", r.Name, p.ProtocolType)
					}
				}
				for _, f := range r.TargetFqdns {
					fqdns[f+"|"+r.Protocols[0].ProtocolType]++
				}
			default:
				t.Errorf("rule type %q", r.RuleType)
			}
		}
	}
	// login.microsoftonline.com is in six rules and allowed once.
	if fqdns["login.microsoftonline.com|Https"] != 1 {
		t.Errorf("login.microsoftonline.com allowed %d times", fqdns["login.microsoftonline.com|Https"])
	}
}
