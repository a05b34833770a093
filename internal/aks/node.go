// Package aks reads AKS cluster configuration (the ManagedCluster resource
// as returned by the ARM REST API, Azure Resource Graph and az aks show, ARM
// templates, Terraform through internal/aks/terraform, and terraform show
// -json plans) into one normalised model and checks it against the AKS rules
// of the spec (sections 1.1 to 1.9, rules automatable from cluster
// configuration). It has no heavy dependencies: HCL parsing lives in the leaf
// package internal/aks/terraform.
package aks

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Kind is the kind of a Node.
type Kind int

// Node kinds.
const (
	Null Kind = iota
	Scalar
	Map
	List
)

// Node is one value of a configuration with the place it comes from. Map
// keys are compared case-insensitively (spec §0.4-1: az aks show re-cases the
// ARM names).
type Node struct {
	Kind  Kind
	Value string // the text of a scalar
	// Tag is the scalar's type: "str", "bool", "int", "float" or "null".
	Tag   string
	Keys  []string
	Vals  []*Node
	Items []*Node
	// File, Line and Column say where the value is written.
	File         string
	Line, Column int
	// Path is the value's path as the user writes it in that source
	// (properties.networkProfile.networkPlugin, or
	// azurerm_kubernetes_cluster.main.network_profile.network_plugin).
	Path string
	// Unknown holds the expression of a value that could not be resolved
	// offline (an ARM expression, a Terraform reference); the value itself
	// is then unknown and rules that need it say so instead of passing or
	// failing.
	Unknown string
	// MaybeAbsent holds the for_each expression of a Terraform dynamic
	// block that could not be evaluated offline: the block is read from
	// its content, but whether it exists at all is unknown.
	MaybeAbsent string
}

// Get returns the value at key, compared case-insensitively, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Map {
		return nil
	}
	for i, k := range n.Keys {
		if strings.EqualFold(k, key) {
			return n.Vals[i]
		}
	}
	return nil
}

// Set adds or replaces key.
func (n *Node) Set(key string, v *Node) {
	for i, k := range n.Keys {
		if strings.EqualFold(k, key) {
			n.Vals[i] = v
			return
		}
	}
	n.Keys = append(n.Keys, key)
	n.Vals = append(n.Vals, v)
}

// Lookup follows a dotted path of keys (case-insensitive). It stops at the
// first missing key and returns nil, or at an unknown value and returns it.
func (n *Node) Lookup(path string) *Node {
	cur := n
	for _, k := range strings.Split(path, ".") {
		if cur == nil {
			return nil
		}
		if cur.Unknown != "" {
			return cur
		}
		cur = cur.Get(k)
	}
	return cur
}

// IsNull reports whether n is missing or null.
func (n *Node) IsNull() bool { return n == nil || n.Kind == Null }

// Str returns a scalar's text ("" for anything else).
func (n *Node) Str() string {
	if n == nil || n.Kind != Scalar || n.Unknown != "" {
		return ""
	}
	return n.Value
}

// Bool returns a boolean (true, or the string "true" in any case) and
// whether n holds one.
func (n *Node) Bool() (v, ok bool) {
	if n == nil || n.Kind != Scalar || n.Unknown != "" {
		return false, false
	}
	switch strings.ToLower(n.Value) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// True reports whether n is the boolean true.
func (n *Node) True() bool { v, ok := n.Bool(); return ok && v }

// Int returns an integer value.
func (n *Node) Int() (int, bool) {
	if n == nil || n.Kind != Scalar || n.Unknown != "" {
		return 0, false
	}
	if i, err := strconv.Atoi(n.Value); err == nil {
		return i, true
	}
	if f, err := strconv.ParseFloat(n.Value, 64); err == nil && f == float64(int(f)) {
		return int(f), true
	}
	return 0, false
}

// Strings returns the scalar items of a list.
func (n *Node) Strings() []string {
	if n == nil || n.Kind != List {
		return nil
	}
	var out []string
	for _, it := range n.Items {
		if it.Kind == Scalar && it.Unknown == "" {
			out = append(out, it.Value)
		}
	}
	return out
}

// unknownWithin returns the first unknown node in n's subtree.
func (n *Node) unknownWithin() *Node {
	if n == nil {
		return nil
	}
	if n.Unknown != "" {
		return n
	}
	for _, v := range n.Vals {
		if u := v.unknownWithin(); u != nil {
			return u
		}
	}
	for _, v := range n.Items {
		if u := v.unknownWithin(); u != nil {
			return u
		}
	}
	return nil
}

// childPath joins a path and a key.
func childPath(base, key string) string {
	if base == "" {
		return key
	}
	return base + "." + key
}

// FromYAML converts a yaml.v3 node tree (JSON parses as YAML with
// positions) into a Node tree whose paths start at base.
func FromYAML(y *yaml.Node, file, base string) *Node {
	for y != nil && (y.Kind == yaml.DocumentNode || y.Kind == yaml.AliasNode) {
		if y.Kind == yaml.DocumentNode {
			if len(y.Content) == 0 {
				return nil
			}
			y = y.Content[0]
		} else {
			y = y.Alias
		}
	}
	if y == nil {
		return nil
	}
	n := &Node{File: file, Line: y.Line, Column: y.Column, Path: base}
	switch y.Kind {
	case yaml.MappingNode:
		n.Kind = Map
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			c := FromYAML(v, file, childPath(base, k.Value))
			if c == nil {
				continue
			}
			// A property lives on its key's line.
			c.Line, c.Column = k.Line, k.Column
			n.Keys = append(n.Keys, k.Value)
			n.Vals = append(n.Vals, c)
		}
	case yaml.SequenceNode:
		n.Kind = List
		for i, it := range y.Content {
			c := FromYAML(it, file, base+"["+strconv.Itoa(i)+"]")
			if c != nil {
				n.Items = append(n.Items, c)
			}
		}
	case yaml.ScalarNode:
		n.Kind = Scalar
		n.Value = y.Value
		switch y.ShortTag() {
		case "!!bool":
			n.Tag = "bool"
		case "!!int":
			n.Tag = "int"
		case "!!float":
			n.Tag = "float"
		case "!!null":
			n.Kind, n.Tag = Null, "null"
		default:
			n.Tag = "str"
		}
	}
	return n
}

// reroot rewrites the paths of n's subtree so that they start at base.
func reroot(n *Node, base string) {
	if n == nil {
		return
	}
	n.Path = base
	for i, k := range n.Keys {
		reroot(n.Vals[i], childPath(base, k))
	}
	for i, it := range n.Items {
		reroot(it, base+"["+strconv.Itoa(i)+"]")
	}
}

// clone copies n's subtree.
func clone(n *Node) *Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Keys = append([]string(nil), n.Keys...)
	c.Vals = make([]*Node, len(n.Vals))
	for i, v := range n.Vals {
		c.Vals[i] = clone(v)
	}
	c.Items = make([]*Node, len(n.Items))
	for i, v := range n.Items {
		c.Items[i] = clone(v)
	}
	return &c
}

// IsUnknown reports whether n is a value that could not be resolved.
func (n *Node) IsUnknown() bool { return n != nil && n.Unknown != "" }
