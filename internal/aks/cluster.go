package aks

import (
	"strings"
)

// Source is the kind of input a cluster was read from. Rules differ only
// where the defaults differ (enableRBAC absent is a failure in an ARM
// template, the provider default true in Terraform).
type Source int

// Sources.
const (
	REST      Source = iota // ARM REST GET body, Azure Resource Graph row
	CLI                     // az aks show -o json (flattened, re-cased)
	Template                // ARM template resource
	Terraform               // azurerm_kubernetes_cluster in .tf files or a plan
)

func (s Source) String() string {
	return [...]string{"ARM resource", "az aks show output", "ARM template", "Terraform"}[s]
}

// Cluster is one ManagedCluster, normalised: Props holds what ARM keeps
// under properties (the CLI output's top level), keys compared
// case-insensitively; Root holds the resource (name, sku, identity, tags).
type Cluster struct {
	Name   string
	Source Source
	Root   *Node
	Props  *Node
	Pools  []*Pool
	// names maps an ARM path (lower case, relative to Root, props under
	// "properties.") to the source's own spelling, for findings on missing
	// properties (Terraform attribute names).
	names map[string]string
	// Audit says whether the input declares diagnostic settings that send
	// the cluster's kube-audit logs somewhere (Terraform only; nil when the
	// input cannot say).
	Audit *AuditLogs
}

// AuditLogs is what the input says about the cluster's audit logs.
type AuditLogs struct {
	// Enabled: a diagnostic setting of the cluster enables kube-audit or
	// kube-audit-admin (or the audit category group).
	Enabled bool
	// Setting is the diagnostic setting that lacks them, nil when there is
	// none.
	Setting *Node
}

// Pool is one node pool: an element of agentPoolProfiles, an agentPools
// child resource, a Terraform default_node_pool or node-pool resource.
type Pool struct {
	Name string
	Node *Node
	// SubnetPrefix is the address prefix of the pool's node subnet when the
	// input declares it (Terraform azurerm_subnet), else nil.
	SubnetPrefix *Node
	// names maps a pool-relative ARM path (lower case) to the source's
	// spelling.
	names map[string]string
}

// Get returns the property at an ARM path relative to properties
// (networkProfile.networkPlugin), nil when missing.
func (c *Cluster) Get(path string) *Node { return c.Props.Lookup(path) }

// GetRoot returns a resource-level value (sku.tier, identity.type, tags).
func (c *Cluster) GetRoot(path string) *Node { return c.Root.Lookup(path) }

// place is where a finding lands.
type place struct {
	File         string
	Line, Column int
	Path         string
}

// locate finds the node at path under base, or the nearest existing
// parent, and spells the path as the source does.
func locate(base *Node, path string, names map[string]string, namesPrefix string) place {
	cur := base
	parts := strings.Split(path, ".")
	i := 0
	for ; i < len(parts); i++ {
		next := cur.Get(parts[i])
		if next == nil || cur.Unknown != "" {
			break
		}
		cur = next
	}
	p := place{File: cur.File, Line: cur.Line, Column: cur.Column, Path: cur.Path}
	if i < len(parts) {
		if tf, ok := names[strings.ToLower(namesPrefix+path)]; ok {
			p.Path = tf
		} else {
			p.Path = childPath(cur.Path, strings.Join(parts[i:], "."))
		}
	}
	return p
}

// at places a property of the cluster (an ARM path under properties).
func (c *Cluster) at(path string) place {
	return locate(c.Props, path, c.names, "properties.")
}

// atRoot places a resource-level property (sku.tier).
func (c *Cluster) atRoot(path string) place {
	return locate(c.Root, path, c.names, "")
}

// at places a property of the pool.
func (p *Pool) at(path string) place {
	return locate(p.Node, path, p.names, "")
}

// Get returns a pool property.
func (p *Pool) Get(path string) *Node { return p.Node.Lookup(path) }

// OSType is the pool's osType, Linux when unset (the API default).
func (p *Pool) OSType() string {
	if s := p.Get("osType").Str(); s != "" {
		return s
	}
	return "Linux"
}

// IsWindows reports whether the pool runs Windows.
func (p *Pool) IsWindows() bool { return strings.EqualFold(p.OSType(), "Windows") }

// Mode is the pool's mode (System or User), "" when unset.
func (p *Pool) Mode() string { return p.Get("mode").Str() }

// newPool builds a pool from an agent pool profile node.
func newPool(n *Node) *Pool {
	return &Pool{Name: n.Get("name").Str(), Node: n}
}

// fromResource builds a cluster from a ManagedCluster resource: the REST
// body (properties wrapper) or az aks show output (flattened).
func fromResource(n *Node, src Source) *Cluster {
	c := &Cluster{Root: n, Props: n.Get("properties"), Source: src, Name: n.Get("name").Str()}
	if c.Props == nil {
		c.Props = n
		if src == REST {
			c.Source = CLI
		}
	}
	if c.Name == "" {
		if u := n.Get("name"); u != nil && u.Unknown != "" {
			c.Name = u.Unknown
		}
	}
	if ps := c.Props.Get("agentPoolProfiles"); ps != nil {
		for _, it := range ps.Items {
			if it.Kind == Map {
				c.Pools = append(c.Pools, newPool(it))
			}
		}
	}
	return c
}

// ManagedClusterType is the ARM resource type.
const ManagedClusterType = "Microsoft.ContainerService/managedClusters"

func isClusterType(t string) bool { return strings.EqualFold(t, ManagedClusterType) }

func isPoolType(t string) bool {
	return strings.EqualFold(t, ManagedClusterType+"/agentPools") || strings.EqualFold(t, "agentPools")
}

// looksLikeCluster reports whether a JSON object is a ManagedCluster
// without a type (some az outputs): it has node pools and a version.
func looksLikeCluster(n *Node) bool {
	if n == nil || n.Kind != Map {
		return false
	}
	if isClusterType(n.Get("type").Str()) {
		return true
	}
	p := n.Get("properties")
	if p == nil {
		p = n
	}
	return p.Get("agentPoolProfiles") != nil && p.Get("kubernetesVersion") != nil
}
