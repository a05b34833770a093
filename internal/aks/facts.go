package aks

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// FactGroup is the API group of the fact objects (FactObject), which
// graph.Kind(FactGroup, ObjectKind) finds.
const FactGroup = "containerservice.azure.com"

// Facts are what checks of workloads need to know of a cluster when one run
// holds both its configuration and the manifests deployed to it (the checks
// of internal/checks/aksjoin). Each value is the API's default when the
// input leaves it unset; a value the input sets but kubevet cannot resolve
// offline (an ARM expression, a Terraform reference) is named in Unknown,
// and the checks that need it stay quiet.
//
// In a run, the AKS handler hands every cluster it reads to the engine as a
// fact object (FactObject): a ManagedCluster of apiVersion
// containerservice.azure.com/v1 whose spec is Facts. The same object can be
// written in YAML, for fixtures or when the configuration cannot be given:
//
//	apiVersion: containerservice.azure.com/v1
//	kind: ManagedCluster
//	metadata: {name: aks-prod}
//	spec:
//	  networkPolicy: none
//	  outboundType: userDefinedRouting
//	  workloadIdentity: false
//	  oidcIssuer: true
//	  agentPools:
//	  - {name: system, mode: System, osType: Linux, availabilityZones: ["1"]}
//	  - {name: win22, mode: User, osType: Windows, osSKU: Windows2022, availabilityZones: []}
type Facts struct {
	// Name is the cluster's name (the object's metadata.name).
	Name string `json:"-"`
	// File is the file the cluster was read from, for messages.
	File string `json:"file,omitempty"`
	// NetworkPolicy is the network-policy engine: none (also when unset),
	// azure, calico or cilium.
	NetworkPolicy string `json:"networkPolicy,omitempty"`
	// OutboundType is networkProfile.outboundType (loadBalancer when
	// unset).
	OutboundType string `json:"outboundType,omitempty"`
	// WorkloadIdentity and OIDCIssuer say whether
	// securityProfile.workloadIdentity and oidcIssuerProfile are enabled.
	WorkloadIdentity bool `json:"workloadIdentity,omitempty"`
	OIDCIssuer       bool `json:"oidcIssuer,omitempty"`
	// AgentPools are the node pools. An input that declares none (an ARM
	// template whose pools kubevet could not tie to it) leaves the pools
	// unknown.
	AgentPools []PoolFacts `json:"agentPools,omitempty"`
	// Unknown names the facts above that the input sets to a value kubevet
	// cannot resolve (networkPolicy, outboundType, workloadIdentity,
	// oidcIssuer, agentPools).
	Unknown []string `json:"unknown,omitempty"`
}

// PoolFacts are the facts of one node pool.
type PoolFacts struct {
	Name string `json:"name"`
	// Mode is System or User ("" when unset).
	Mode string `json:"mode,omitempty"`
	// OSType is Linux (also when unset) or Windows.
	OSType string `json:"osType,omitempty"`
	// OSSKU is the pool's osSKU ("" when unset).
	OSSKU string `json:"osSKU,omitempty"`
	// AvailabilityZones are the pool's zones (none when unset).
	AvailabilityZones []string `json:"availabilityZones,omitempty"`
	// NodeTaints are the taints of the pool's nodes, written
	// key=value:Effect (CriticalAddonsOnly=true:NoSchedule).
	NodeTaints []string `json:"nodeTaints,omitempty"`
	// Unknown names the facts of the pool kubevet cannot resolve (osType,
	// osSKU, availabilityZones, nodeTaints).
	Unknown []string `json:"unknown,omitempty"`
}

// Known reports whether the fact called name is known.
func (f *Facts) Known(name string) bool { return !has(f.Unknown, name) }

// Known reports whether the pool's fact called name is known.
func (p *PoolFacts) Known(name string) bool { return !has(p.Unknown, name) }

func has(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// PoolsKnown reports whether the node pools, and the fact called name of
// each, are known.
func (f *Facts) PoolsKnown(name string) bool {
	if !f.Known("agentPools") || len(f.AgentPools) == 0 {
		return false
	}
	for i := range f.AgentPools {
		if !f.AgentPools[i].Known(name) {
			return false
		}
	}
	return true
}

// HasNetworkPolicyEngine reports whether the cluster enforces
// NetworkPolicies, and whether that is known.
func (f *Facts) HasNetworkPolicyEngine() (enforced, known bool) {
	if !f.Known("networkPolicy") {
		return false, false
	}
	switch strings.ToLower(f.NetworkPolicy) {
	case "", "none":
		return false, true
	}
	return true, true
}

// Outbound returns the outbound type (loadBalancer when unset), "" when
// unknown.
func (f *Facts) Outbound() string {
	if !f.Known("outboundType") {
		return ""
	}
	if f.OutboundType == "" {
		return "loadBalancer"
	}
	return f.OutboundType
}

// IsWindows reports whether the pool runs Windows.
func (p *PoolFacts) IsWindows() bool { return strings.EqualFold(p.OSType, "Windows") }

// facts makes the facts of a cluster.
func (c *Cluster) facts() *Facts {
	f := &Facts{Name: c.Name, File: c.Root.File}
	unknown := func(n *Node, name string) bool {
		if n.unknownWithin() != nil {
			f.Unknown = append(f.Unknown, name)
			return true
		}
		return false
	}
	pol, dp := c.Get("networkProfile.networkPolicy"), c.Get("networkProfile.networkDataplane")
	switch {
	case unknown(pol, "networkPolicy"):
	case pol.Str() != "":
		f.NetworkPolicy = pol.Str()
	case strings.EqualFold(dp.Str(), "cilium"):
		// Azure CNI powered by Cilium enforces policies itself.
		f.NetworkPolicy = "cilium"
	default:
		f.NetworkPolicy = "none"
	}
	if out := c.Get("networkProfile.outboundType"); !unknown(out, "outboundType") {
		f.OutboundType = out.Str()
	}
	if wi := c.Get("securityProfile.workloadIdentity.enabled"); !unknown(wi, "workloadIdentity") {
		f.WorkloadIdentity = wi.True()
	}
	if oidc := c.Get("oidcIssuerProfile.enabled"); !unknown(oidc, "oidcIssuer") {
		f.OIDCIssuer = oidc.True()
	}
	if len(c.Pools) == 0 {
		f.Unknown = append(f.Unknown, "agentPools")
	}
	for _, p := range c.Pools {
		pf := PoolFacts{Name: p.Name, Mode: p.Mode(), OSType: "Linux"}
		punknown := func(n *Node, name string) bool {
			if n.unknownWithin() != nil {
				pf.Unknown = append(pf.Unknown, name)
				return true
			}
			return false
		}
		if v := p.Get("osType"); !punknown(v, "osType") && v.Str() != "" {
			pf.OSType = v.Str()
		}
		if v := p.Get("osSKU"); !punknown(v, "osSKU") {
			pf.OSSKU = v.Str()
		}
		if v := p.Get("availabilityZones"); !punknown(v, "availabilityZones") {
			pf.AvailabilityZones = v.Strings()
		}
		if v := p.Get("nodeTaints"); !punknown(v, "nodeTaints") {
			pf.NodeTaints = v.Strings()
		}
		f.AgentPools = append(f.AgentPools, pf)
	}
	return f
}

// FactObject makes the fact object of a cluster: a ManagedCluster of
// apiVersion containerservice.azure.com/v1, without namespace, whose spec
// is the cluster's Facts. The AKS handler hands it to the engine
// (engine.HandlerEnv.Fact); no check targets its kind.
func (c *Cluster) FactObject() *manifest.Object {
	f := c.facts()
	spec, err := json.Marshal(f)
	if err != nil {
		return nil
	}
	var specMap map[string]any
	if err := json.Unmarshal(spec, &specMap); err != nil {
		return nil
	}
	name := c.Name
	if name == "" {
		name = "(unnamed)"
	}
	o, err := manifest.FromUnstructured(map[string]any{
		"apiVersion": APIVersion,
		"kind":       ObjectKind,
		"metadata":   map[string]any{"name": name},
		"spec":       specMap,
	})
	if err != nil {
		return nil
	}
	// Custom kinds count as namespaced; a cluster is in none.
	o.Namespace, o.NamespaceDefaulted = "", false
	return o
}

type factsKey struct{}

// ClusterFacts returns the facts of every cluster of the run, sorted by
// file and name: the fact objects (ManagedCluster, apiVersion
// containerservice.azure.com/v1) of g, decoded once per graph. It returns
// nil when the run holds no cluster configuration. Objects of that kind
// that do not decode as Facts (another API's ManagedCluster) are left out.
func ClusterFacts(g *graph.Graph) []*Facts {
	if g == nil {
		return nil
	}
	return g.Memo(factsKey{}, buildFacts).([]*Facts)
}

func buildFacts(g *graph.Graph) any {
	var out []*Facts
	for _, o := range g.Kind(FactGroup, ObjectKind) {
		if o.APIVersion != APIVersion {
			continue
		}
		var doc struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
			Spec json.RawMessage `json:"spec"`
		}
		if json.Unmarshal(o.JSON(), &doc) != nil {
			continue
		}
		f := &Facts{}
		if len(doc.Spec) > 0 {
			dec := json.NewDecoder(bytes.NewReader(doc.Spec))
			dec.DisallowUnknownFields()
			if dec.Decode(f) != nil {
				continue
			}
		}
		f.Name = doc.Metadata.Name
		if f.File == "" {
			f.File = o.File
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Name < out[j].Name
	})
	return out
}
