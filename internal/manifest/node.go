package manifest

import "gopkg.in/yaml.v3"

// Deref follows alias nodes (bounded, so alias cycles cannot hang) and
// document nodes to the node they stand for; nil for an empty document.
func Deref(n *yaml.Node) *yaml.Node { return deref(n) }
