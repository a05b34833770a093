package plan

import (
	"bytes"
	_ "embed"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Cloud is an Azure cloud; each has its own endpoint names.
type Cloud string

// Clouds.
const (
	CloudPublic Cloud = "public"
	CloudUSGov  Cloud = "usgov"
	CloudChina  Cloud = "china"
)

// Clouds lists the clouds in flag order.
var Clouds = []Cloud{CloudPublic, CloudUSGov, CloudChina}

// ParseCloud reads a --cloud value.
func ParseCloud(s string) (Cloud, error) {
	for _, c := range Clouds {
		if strings.EqualFold(s, string(c)) {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown cloud %q (want public, usgov or china)", s)
}

// CloudOfRegion guesses the cloud from a location name: usgov* and usdod*
// are Azure US Government, china* is 21Vianet, the rest the global cloud.
func CloudOfRegion(region string) Cloud {
	r := NormalizeRegion(region)
	switch {
	case strings.HasPrefix(r, "usgov"), strings.HasPrefix(r, "usdod"):
		return CloudUSGov
	case strings.HasPrefix(r, "china"):
		return CloudChina
	}
	return CloudPublic
}

// NormalizeRegion turns "West Europe" into "westeurope", the location
// name endpoints use.
func NormalizeRegion(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

var (
	regionRE = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	acrRE    = regexp.MustCompile(`^[a-zA-Z0-9]{5,50}$`)
	fqdnRE   = regexp.MustCompile(`^(\*\.)?([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)+[a-zA-Z]{2,}$`)
)

// EgressFacts are the cluster facts that decide which rules apply.
type EgressFacts struct {
	Cloud            Cloud
	Region           string
	Private          bool
	Monitoring       bool
	KeyVault         bool
	AzurePolicy      bool
	Defender         bool
	WorkloadIdentity bool
	CostAnalysis     bool
	Extensions       bool
	Windows          bool
	GPU              bool
	CustomDNS        []netip.Addr
	// ACRs are registry names (myacr for myacr.azurecr.io).
	ACRs []string
	// AllowFQDNs are further HTTPS endpoints the workloads need.
	AllowFQDNs []string
	// Sources are the cluster's subnets, the rules' source addresses
	// (any when empty).
	Sources []netip.Prefix
	// Evidence says where a fact came from, by trigger name: a flag or
	// a field of the configuration file. Facts without one came from
	// their flag.
	Evidence map[string]string
}

// Validate checks facts given by hand.
func (f *EgressFacts) Validate() error {
	if f.Region != "" && !regionRE.MatchString(f.Region) {
		return fmt.Errorf("region %q is not a location name such as westeurope", f.Region)
	}
	for _, a := range f.ACRs {
		if !acrRE.MatchString(a) {
			return fmt.Errorf("registry name %q is not an ACR name (5-50 letters and digits, without .azurecr.io)", a)
		}
	}
	for _, d := range f.AllowFQDNs {
		if !fqdnRE.MatchString(d) {
			return fmt.Errorf("%q is not a host name", d)
		}
	}
	return nil
}

// trigger is a cluster fact that puts rules in the list.
type trigger struct {
	name string
	// title names the feature group; cond says why its rules are there.
	title, cond string
	flag        string
	on          func(*EgressFacts) bool
}

var triggers = []trigger{
	{"always", "", "always", "", func(*EgressFacts) bool { return true }},
	{"public-api", "", "the API server is public", "no --private", func(f *EgressFacts) bool { return !f.Private }},
	{"custom-dns", "", "the VNet uses custom DNS servers", "--custom-dns", func(f *EgressFacts) bool { return len(f.CustomDNS) > 0 }},
	{"windows", "Windows node pools", "the cluster has Windows node pools", "--windows", func(f *EgressFacts) bool { return f.Windows }},
	{"gpu", "GPU node pools", "the cluster has GPU (N-series) node pools", "--gpu", func(f *EgressFacts) bool { return f.GPU }},
	{"workload-identity", "Workload identity", "workload identity is enabled", "--workload-identity", func(f *EgressFacts) bool { return f.WorkloadIdentity }},
	{"defender", "Microsoft Defender for Containers", "the Defender security monitoring profile is enabled", "--defender", func(f *EgressFacts) bool { return f.Defender }},
	{"keyvault", "Key Vault Secrets Store CSI driver", "the Key Vault secrets provider add-on is enabled", "--keyvault", func(f *EgressFacts) bool { return f.KeyVault }},
	{"monitoring", "Azure Monitor", "Azure Monitor (Container Insights or managed Prometheus) is enabled", "--monitoring", func(f *EgressFacts) bool { return f.Monitoring }},
	{"azure-policy", "Azure Policy", "the Azure Policy add-on is enabled", "--azure-policy", func(f *EgressFacts) bool { return f.AzurePolicy }},
	{"cost-analysis", "Cost analysis", "cost analysis is enabled", "--cost-analysis", func(f *EgressFacts) bool { return f.CostAnalysis }},
	{"extensions", "Cluster extensions", "the cluster uses cluster extensions", "--extensions", func(f *EgressFacts) bool { return f.Extensions }},
	{"acr", "Your container registries", "you listed the registry (not in the AKS doc)", "--acr", func(f *EgressFacts) bool { return len(f.ACRs) > 0 }},
	{"allow-fqdn", "Your endpoints", "you listed the endpoint (not in the AKS doc)", "--allow-fqdn", func(f *EgressFacts) bool { return len(f.AllowFQDNs) > 0 }},
}

func triggerNamed(name string) *trigger {
	for i := range triggers {
		if triggers[i].name == name {
			return &triggers[i]
		}
	}
	return nil
}

// Rule groups, in output order.
const (
	GroupNetwork     = "network"
	GroupFQDN        = "fqdn"
	GroupRecommended = "recommended"
	GroupFeature     = "feature"
)

// GroupTitle names a group for people.
func GroupTitle(g string) string {
	switch g {
	case GroupNetwork:
		return "Required network rules"
	case GroupFQDN:
		return "Required FQDN (application) rules"
	case GroupRecommended:
		return "Recommended"
	}
	return "Feature specific"
}

// ruleData is a rule as the data file has it.
type ruleData struct {
	ID           string   `yaml:"id"`
	Group        string   `yaml:"group"`
	When         string   `yaml:"when"`
	Protocol     string   `yaml:"protocol"`
	Port         int      `yaml:"port"`
	Destinations []string `yaml:"destinations"`
	Purpose      string   `yaml:"purpose"`
	Note         string   `yaml:"note"`
	Unverified   string   `yaml:"unverified"`
}

type cloudData struct {
	Title   string     `yaml:"title"`
	Covered bool       `yaml:"covered"`
	Rules   []ruleData `yaml:"rules"`
}

// Source is a document the rule list comes from.
type Source struct {
	Name string `yaml:"name" json:"name"`
	Date string `yaml:"date" json:"date"`
}

type ruleFile struct {
	Sources []Source            `yaml:"sources"`
	Clouds  map[Cloud]cloudData `yaml:"clouds"`
}

//go:embed egress_rules.yaml
var rulesYAML []byte

var loadRules = sync.OnceValues(func() (*ruleFile, error) { return parseRules(rulesYAML) })

func parseRules(data []byte) (*ruleFile, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var rf ruleFile
	if err := dec.Decode(&rf); err != nil {
		return nil, fmt.Errorf("egress rule data: %w", err)
	}
	for _, c := range Clouds {
		cd, ok := rf.Clouds[c]
		if !ok {
			return nil, fmt.Errorf("egress rule data: no rules for cloud %s", c)
		}
		seen := map[string]bool{}
		for _, r := range cd.Rules {
			switch {
			case seen[r.ID] || r.ID == "":
				return nil, fmt.Errorf("egress rule data: %s: rule id %q empty or repeated", c, r.ID)
			case triggerNamed(r.When) == nil:
				return nil, fmt.Errorf("egress rule data: %s/%s: unknown condition %q", c, r.ID, r.When)
			case !slices.Contains([]string{GroupNetwork, GroupFQDN, GroupRecommended, GroupFeature}, r.Group):
				return nil, fmt.Errorf("egress rule data: %s/%s: unknown group %q", c, r.ID, r.Group)
			case !slices.Contains([]string{"TCP", "UDP", "HTTP", "HTTPS"}, r.Protocol):
				return nil, fmt.Errorf("egress rule data: %s/%s: unknown protocol %q", c, r.ID, r.Protocol)
			case r.Port <= 0 || r.Port > 65535 || len(r.Destinations) == 0 || r.Purpose == "":
				return nil, fmt.Errorf("egress rule data: %s/%s: port, destinations and purpose are required", c, r.ID)
			}
			seen[r.ID] = true
		}
	}
	return &rf, nil
}

// EgressRule is one rule of the allow-list.
type EgressRule struct {
	ID    string `json:"id"`
	Group string `json:"group"`
	// Feature names the feature group (Windows node pools, Azure
	// Monitor...) of feature rules.
	Feature string `json:"feature,omitempty"`
	// Type is "network" (IP/port, TCP or UDP) or "application" (FQDN,
	// HTTP or HTTPS).
	Type         string   `json:"type"`
	Protocol     string   `json:"protocol"`
	Port         int      `json:"port"`
	Destinations []string `json:"destinations"`
	Purpose      string   `json:"purpose"`
	// Condition is the cluster fact that put the rule in the list and
	// where the fact came from.
	Condition  string `json:"condition"`
	Note       string `json:"note,omitempty"`
	Unverified string `json:"unverified,omitempty"`
}

// EgressList is the result of PlanEgress.
type EgressList struct {
	SchemaVersion string   `json:"schemaVersion"`
	Cloud         Cloud    `json:"cloud"`
	CloudTitle    string   `json:"cloudTitle"`
	Region        string   `json:"region,omitempty"`
	Private       bool     `json:"private"`
	Features      []string `json:"features"`
	// SourceAddresses are the rules' source addresses; empty means any.
	SourceAddresses []string     `json:"sourceAddresses"`
	Sources         []Source     `json:"sources"`
	Rules           []EgressRule `json:"rules"`
	// NotCovered lists what the rule data does not hold for this cloud.
	NotCovered []string `json:"notCovered"`
	Notes      []string `json:"notes"`
}

// EgressSchema is the JSON schema version of EgressList.
const EgressSchema = "kubevet.io/plan-egress/v1"

// Placeholders left in destinations.
const (
	RegionPlaceholder    = "<region>"
	APIServerPlaceholder = "APIServerPublicIP"
)

// PlanEgress filters the rule list of spec §2 by the cluster's facts.
func PlanEgress(f EgressFacts) (*EgressList, error) {
	if f.Cloud == "" {
		f.Cloud = CloudPublic
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	rf, err := loadRules()
	if err != nil {
		return nil, err
	}
	cd := rf.Clouds[f.Cloud]
	out := &EgressList{SchemaVersion: EgressSchema, Cloud: f.Cloud, CloudTitle: cd.Title, Region: f.Region, Private: f.Private, Sources: rf.Sources, Features: []string{}, NotCovered: []string{}, Notes: []string{}}
	out.SourceAddresses = []string{}
	for _, p := range f.Sources {
		out.SourceAddresses = append(out.SourceAddresses, p.Masked().String())
	}
	for _, t := range triggers {
		if t.title != "" && t.on(&f) {
			out.Features = append(out.Features, t.title)
		}
	}
	rules, placeholders := selectRules(&f, cd.Rules)
	out.Rules = rules
	if !cd.Covered {
		have := map[string]bool{}
		for _, r := range cd.Rules {
			have[r.ID] = true
		}
		pub, _ := selectRules(&f, rf.Clouds[CloudPublic].Rules)
		for _, r := range pub {
			if !have[r.ID] {
				out.NotCovered = append(out.NotCovered, fmt.Sprintf("%s: %s (%s %d; public cloud: %s)", GroupTitle(r.Group), r.ID, r.Protocol, r.Port, strings.Join(r.Destinations, ", ")))
			}
		}
		out.Notes = append(out.Notes, fmt.Sprintf("kubevet's list for %s holds only the endpoints its rule map names; take the rest from the %s table of outbound-rules-control-egress.md (listed under not covered with their public-cloud counterparts).", cd.Title, cd.Title))
	}
	if f.Private {
		out.Notes = append(out.Notes, "Private cluster: the rules for a public API server (tunnel UDP 1194 and TCP 9000, API server TCP 443, *.hcp.<region> FQDN) are left out.")
	}
	if placeholders[RegionPlaceholder] {
		out.Notes = append(out.Notes, "No region given (--region): replace <region> with the cluster's location.")
	}
	if placeholders[APIServerPlaceholder] {
		out.Notes = append(out.Notes, "APIServerPublicIP is the API server's public IP, known only after the cluster is created (az aks show --query fqdn, then resolve it).")
	}
	if f.Cloud == CloudPublic {
		out.Notes = append(out.Notes,
			"Azure Firewall shortcut: an application rule with the FQDN tag AzureKubernetesService (Http:80, Https:443) covers the required FQDN rules (limit-egress-traffic.md).")
	}
	out.Notes = append(out.Notes,
		"Routing: route 0.0.0.0/0 to the firewall's private IP (next hop VirtualAppliance) on the cluster subnets; when ingress comes in through firewall DNAT, also route <firewall public IP>/32 to Internet to avoid asymmetric routing.",
		"Cross-check a running cluster: GET .../managedClusters/{name}/outboundNetworkDependenciesEndpoints lists its endpoints.")
	return out, nil
}

// selectRules keeps the rules whose condition holds and fills their
// destinations; it reports the placeholders left in them.
func selectRules(f *EgressFacts, data []ruleData) ([]EgressRule, map[string]bool) {
	left := map[string]bool{}
	var out []EgressRule
	for _, rd := range data {
		t := triggerNamed(rd.When)
		if !t.on(f) {
			continue
		}
		r := EgressRule{ID: rd.ID, Group: rd.Group, Protocol: rd.Protocol, Port: rd.Port, Purpose: rd.Purpose, Note: rd.Note, Unverified: rd.Unverified, Type: "application"}
		if rd.Protocol == "TCP" || rd.Protocol == "UDP" {
			r.Type = "network"
		}
		if rd.Group == GroupFeature {
			r.Feature = t.title
		}
		r.Condition = t.cond
		if ev := f.Evidence[t.name]; ev != "" {
			r.Condition += " (" + ev + ")"
		} else if t.flag != "" {
			r.Condition += " (" + t.flag + ")"
		}
		for _, d := range rd.Destinations {
			for _, x := range expand(d, f) {
				if strings.Contains(x, RegionPlaceholder) {
					left[RegionPlaceholder] = true
				}
				if x == APIServerPlaceholder {
					left[APIServerPlaceholder] = true
				}
				if !slices.Contains(r.Destinations, x) {
					r.Destinations = append(r.Destinations, x)
				}
			}
		}
		out = append(out, r)
	}
	// Feature rules are grouped by feature, in trigger order.
	order := map[string]int{}
	for i, t := range triggers {
		order[t.title] = i
	}
	groupOrder := map[string]int{GroupNetwork: 0, GroupFQDN: 1, GroupRecommended: 2, GroupFeature: 3}
	slices.SortStableFunc(out, func(a, b EgressRule) int {
		if d := groupOrder[a.Group] - groupOrder[b.Group]; d != 0 {
			return d
		}
		return order[a.Feature] - order[b.Feature]
	})
	return out, left
}

// expand fills a destination's placeholders; lists give one destination
// per value.
func expand(d string, f *EgressFacts) []string {
	region := f.Region
	if region == "" {
		region = RegionPlaceholder
	}
	d = strings.ReplaceAll(d, "{region}", region)
	var out []string
	switch {
	case strings.Contains(d, "{dns}"):
		for _, ip := range f.CustomDNS {
			out = append(out, strings.ReplaceAll(d, "{dns}", ip.String()))
		}
	case strings.Contains(d, "{acr}"):
		for _, a := range f.ACRs {
			out = append(out, strings.ReplaceAll(d, "{acr}", strings.ToLower(a)))
		}
	case strings.Contains(d, "{fqdn}"):
		for _, x := range f.AllowFQDNs {
			out = append(out, strings.ReplaceAll(d, "{fqdn}", strings.ToLower(x)))
		}
	default:
		out = []string{d}
	}
	return out
}
