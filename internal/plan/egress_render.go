package plan

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// EgressFormats are the output formats of an egress list, by -o name.
var EgressFormats = map[string]func(io.Writer, *EgressList) error{
	"markdown": WriteEgressMarkdown,
	"csv":      WriteEgressCSV,
	"json":     WriteEgressJSON,
	"arm":      WriteEgressARM,
}

// EgressFormatNames lists the format names in help order.
var EgressFormatNames = []string{"markdown", "csv", "json", "arm"}

// NeedsRegion reports whether a destination still holds <region>.
func (l *EgressList) NeedsRegion() bool {
	for _, r := range l.Rules {
		for _, d := range r.Destinations {
			if strings.Contains(d, RegionPlaceholder) {
				return true
			}
		}
	}
	return false
}

// WriteEgressJSON writes the list as indented JSON (schema EgressSchema).
func WriteEgressJSON(w io.Writer, l *EgressList) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(l)
}

// WriteEgressCSV writes one line per destination.
func WriteEgressCSV(w io.Writer, l *EgressList) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"group", "feature", "rule", "type", "protocol", "port", "destination", "purpose", "condition", "note", "unverified"})
	for _, r := range l.Rules {
		for _, d := range r.Destinations {
			cw.Write([]string{r.Group, r.Feature, r.ID, r.Type, r.Protocol, strconv.Itoa(r.Port), d, r.Purpose, r.Condition, r.Note, r.Unverified})
		}
	}
	cw.Flush()
	return cw.Error()
}

// mdText escapes what Markdown would read as markup in prose: tables'
// pipes, emphasis stars, HTML-looking <placeholders>.
func mdText(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "*", `\*`, "<", `\<`).Replace(s)
}

func code(s string) string { return "`" + s + "`" }

// WriteEgressMarkdown writes the list for the security team: the cluster,
// the sources, then one table per group with each rule's purpose and the
// condition that put it there.
func WriteEgressMarkdown(w io.Writer, l *EgressList) error {
	var b strings.Builder
	b.WriteString("# AKS egress allow-list\n\n")
	fmt.Fprintf(&b, "- Cloud: %s (`%s`)\n", l.CloudTitle, l.Cloud)
	region := "not given"
	if l.Region != "" {
		region = code(l.Region)
	}
	fmt.Fprintf(&b, "- Region: %s\n", region)
	api := "public"
	if l.Private {
		api = "private"
	}
	fmt.Fprintf(&b, "- API server: %s\n", api)
	features := "none"
	if len(l.Features) > 0 {
		features = strings.Join(l.Features, ", ")
	}
	fmt.Fprintf(&b, "- Features: %s\n", features)
	src := "any (`*`)"
	if len(l.SourceAddresses) > 0 {
		var cs []string
		for _, s := range l.SourceAddresses {
			cs = append(cs, code(s))
		}
		src = strings.Join(cs, ", ")
	}
	fmt.Fprintf(&b, "- Source addresses: %s\n\n", src)
	b.WriteString("Sources:\n\n")
	for _, s := range l.Sources {
		fmt.Fprintf(&b, "- %s (%s)\n", s.Name, s.Date)
	}
	section := ""
	for _, r := range l.Rules {
		title := GroupTitle(r.Group)
		if r.Group == GroupFeature {
			title = "Feature: " + r.Feature
		}
		if title != section {
			section = title
			fmt.Fprintf(&b, "\n## %s\n\n", title)
			b.WriteString("| Destination | Protocol | Port | Purpose | Condition | Notes |\n|---|---|---|---|---|---|\n")
		}
		var dests []string
		for _, d := range r.Destinations {
			dests = append(dests, code(d))
		}
		notes := mdText(r.Note)
		if r.Unverified != "" {
			notes = strings.TrimSpace(notes + " **Unverified:** " + mdText(r.Unverified))
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s |\n", strings.Join(dests, "<br>"), r.Protocol, r.Port, mdText(r.Purpose), mdText(r.Condition), notes)
	}
	if len(l.NotCovered) > 0 {
		b.WriteString("\n## Not covered\n\n")
		for _, n := range l.NotCovered {
			fmt.Fprintf(&b, "- %s\n", mdText(n))
		}
	}
	if len(l.Notes) > 0 {
		b.WriteString("\n## Notes\n\n")
		for _, n := range l.Notes {
			fmt.Fprintf(&b, "- %s\n", mdText(n))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// The ARM output follows the resource type
// Microsoft.Network/firewallPolicies/ruleCollectionGroups as defined in
// Azure/azure-rest-api-specs
// specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/firewallPolicy.json
// (definitions FirewallPolicyRuleCollectionGroupProperties: priority
// 100-65000 and ruleCollections; FirewallPolicyFilterRuleCollection:
// ruleCollectionType, name, priority, action.type Allow|Deny, rules;
// ApplicationRule: ruleType, name, description, sourceAddresses, protocols
// [{protocolType Http|Https, port}], targetFqdns; NetworkRule: ruleType,
// name, description, ipProtocols TCP|UDP|Any|ICMP, sourceAddresses,
// destinationAddresses, destinationFqdns, destinationPorts), and the
// template reference
// https://learn.microsoft.com/azure/templates/microsoft.network/firewallpolicies/rulecollectiongroups.

// ARMAPIVersion is the API version of the generated resource.
const ARMAPIVersion = "2024-05-01"

type armTemplate struct {
	Schema         string                  `json:"$schema"`
	ContentVersion string                  `json:"contentVersion"`
	Metadata       armMetadata             `json:"metadata"`
	Parameters     map[string]armParameter `json:"parameters"`
	Resources      []armResource           `json:"resources"`
}

type armMetadata struct {
	Generator string   `json:"generator"`
	Cloud     Cloud    `json:"cloud"`
	Region    string   `json:"region,omitempty"`
	Sources   []string `json:"sources"`
	Schema    string   `json:"resourceSchema"`
	Notes     []string `json:"notes,omitempty"`
}

type armParameter struct {
	Type         string `json:"type"`
	DefaultValue any    `json:"defaultValue,omitempty"`
	Metadata     struct {
		Description string `json:"description"`
	} `json:"metadata"`
}

type armResource struct {
	Type       string `json:"type"`
	APIVersion string `json:"apiVersion"`
	Name       string `json:"name"`
	Properties struct {
		Priority        string          `json:"priority"`
		RuleCollections []armCollection `json:"ruleCollections"`
	} `json:"properties"`
}

type armCollection struct {
	RuleCollectionType string `json:"ruleCollectionType"`
	Name               string `json:"name"`
	Priority           int    `json:"priority"`
	Action             struct {
		Type string `json:"type"`
	} `json:"action"`
	Rules []armRule `json:"rules"`
}

type armRule struct {
	RuleType             string        `json:"ruleType"`
	Name                 string        `json:"name"`
	Description          string        `json:"description"`
	SourceAddresses      string        `json:"sourceAddresses"`
	IPProtocols          []string      `json:"ipProtocols,omitempty"`
	DestinationAddresses []string      `json:"destinationAddresses,omitempty"`
	DestinationFqdns     []string      `json:"destinationFqdns,omitempty"`
	DestinationPorts     []string      `json:"destinationPorts,omitempty"`
	Protocols            []armProtocol `json:"protocols,omitempty"`
	TargetFqdns          []string      `json:"targetFqdns,omitempty"`
}

type armProtocol struct {
	ProtocolType string `json:"protocolType"`
	Port         int    `json:"port"`
}

func param(typ, desc string, def any) armParameter {
	p := armParameter{Type: typ, DefaultValue: def}
	p.Metadata.Description = desc
	return p
}

// isAddress reports whether a network destination goes in
// destinationAddresses (an IP, a CIDR, * or a service tag) rather than in
// destinationFqdns.
func isAddress(d string) bool {
	if d == "*" || !strings.Contains(d, ".") || strings.HasPrefix(d, "AzureCloud.") {
		return true
	}
	if _, err := netip.ParseAddr(d); err == nil {
		return true
	}
	_, err := netip.ParsePrefix(d)
	return err == nil
}

// WriteEgressARM writes an ARM template that deploys the list as one rule
// collection group of an existing Azure Firewall Policy: a network rule
// collection and an application rule collection. A destination that
// several rules share is allowed once, by the first rule.
func WriteEgressARM(w io.Writer, l *EgressList) error {
	if l.NeedsRegion() {
		return fmt.Errorf("the ARM template needs the cluster's region (--region) for its destinations")
	}
	t := armTemplate{
		Schema:         "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
		ContentVersion: "1.0.0.0",
		Metadata: armMetadata{
			Generator: "kubevet plan egress",
			Cloud:     l.Cloud,
			Region:    l.Region,
			Schema:    "Microsoft.Network/firewallPolicies/ruleCollectionGroups@" + ARMAPIVersion + " (Azure/azure-rest-api-specs specification/network/resource-manager/Microsoft.Network/stable/" + ARMAPIVersion + "/firewallPolicy.json)",
		},
		Parameters: map[string]armParameter{
			"firewallPolicyName":      param("string", "Name of the existing Azure Firewall Policy", nil),
			"ruleCollectionGroupName": param("string", "Name of the rule collection group to create", "aks-egress"),
			"priority":                param("int", "Priority of the rule collection group (100-65000)", 200),
		},
	}
	for _, s := range l.Sources {
		t.Metadata.Sources = append(t.Metadata.Sources, s.Name+" ("+s.Date+")")
	}
	for _, n := range l.NotCovered {
		t.Metadata.Notes = append(t.Metadata.Notes, "Not covered: "+n)
	}
	src := []string{"*"}
	if len(l.SourceAddresses) > 0 {
		src = l.SourceAddresses
	}
	t.Parameters["sourceAddresses"] = param("array", "Source addresses of the rules: the cluster's node (and pod) subnets", src)
	res := armResource{
		Type:       "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
		APIVersion: ARMAPIVersion,
		Name:       "[format('{0}/{1}', parameters('firewallPolicyName'), parameters('ruleCollectionGroupName'))]",
	}
	res.Properties.Priority = "[parameters('priority')]"
	network := armCollection{RuleCollectionType: "FirewallPolicyFilterRuleCollection", Name: "aks-network-rules", Priority: 100}
	app := armCollection{RuleCollectionType: "FirewallPolicyFilterRuleCollection", Name: "aks-application-rules", Priority: 200}
	network.Action.Type, app.Action.Type = "Allow", "Allow"
	seen := map[string]bool{}
	for _, r := range l.Rules {
		desc := r.Purpose
		if r.Unverified != "" {
			desc += " (unverified: " + r.Unverified + ")"
		}
		ar := armRule{Name: r.ID, Description: desc, SourceAddresses: "[parameters('sourceAddresses')]"}
		for _, d := range r.Destinations {
			key := strings.Join([]string{r.Protocol, strconv.Itoa(r.Port), strings.ToLower(d)}, "|")
			if seen[key] {
				continue
			}
			seen[key] = true
			switch {
			case r.Type == "application":
				ar.TargetFqdns = append(ar.TargetFqdns, d)
			case d == APIServerPlaceholder:
				ar.DestinationAddresses = append(ar.DestinationAddresses, "[parameters('apiServerPublicIP')]")
				t.Parameters["apiServerPublicIP"] = param("string", "Public IP of the cluster's API server (known after the cluster is created)", nil)
			case isAddress(d):
				ar.DestinationAddresses = append(ar.DestinationAddresses, d)
			default:
				ar.DestinationFqdns = append(ar.DestinationFqdns, d)
			}
		}
		if r.Type == "application" {
			if len(ar.TargetFqdns) == 0 {
				continue
			}
			ar.RuleType = "ApplicationRule"
			proto := "Https"
			if r.Protocol == "HTTP" {
				proto = "Http"
			}
			ar.Protocols = []armProtocol{{ProtocolType: proto, Port: r.Port}}
			app.Rules = append(app.Rules, ar)
			continue
		}
		if len(ar.DestinationAddresses)+len(ar.DestinationFqdns) == 0 {
			continue
		}
		ar.RuleType = "NetworkRule"
		ar.IPProtocols = []string{r.Protocol}
		ar.DestinationPorts = []string{strconv.Itoa(r.Port)}
		if len(ar.DestinationFqdns) > 0 {
			ar.Description += " (FQDNs in network rules need the firewall's DNS proxy)"
		}
		network.Rules = append(network.Rules, ar)
	}
	for _, c := range []armCollection{network, app} {
		if len(c.Rules) > 0 {
			res.Properties.RuleCollections = append(res.Properties.RuleCollections, c)
		}
	}
	t.Resources = []armResource{res}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(t)
}
