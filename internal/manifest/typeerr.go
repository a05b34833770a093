package manifest

import (
	"strings"

	"gopkg.in/yaml.v3"
	"k8s.io/apimachinery/pkg/api/resource"
)

// locateTypeError finds the field a decoding error is about. Go's JSON
// decoder names the field without list indices, so the first field on that
// path whose JSON type is the one the error names is taken.
func locateTypeError(root *yaml.Node, msg string) (Path, bool) {
	if m := typeErrorRe.FindStringSubmatch(msg); m != nil {
		keys := strings.Split(m[2], ".")
		return findTyped(deref(root), keys, Path{}, m[1])
	}
	if strings.Contains(msg, "quantities must match") {
		return findBadQuantity(deref(root), Path{})
	}
	return Path{}, false
}

func findTyped(n *yaml.Node, keys []string, at Path, jsonType string) (Path, bool) {
	if n == nil {
		return Path{}, false
	}
	if n.Kind == yaml.SequenceNode {
		for i, c := range n.Content {
			if p, ok := findTyped(deref(c), keys, at.Index(i), jsonType); ok {
				return p, true
			}
		}
		return Path{}, false
	}
	if len(keys) == 0 {
		return at, jsonKind(n) == jsonType
	}
	_, v := lookup(n, keys[0])
	if v == nil {
		return Path{}, false
	}
	return findTyped(v, keys[1:], at.Child(keys[0]), jsonType)
}

func jsonKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	}
	switch n.Tag {
	case "!!int", "!!float":
		return "number"
	case "!!bool":
		return "bool"
	case "!!null":
		return "null"
	}
	return "string"
}

// quantityKeys are the parents of resource quantities in built-in kinds.
var quantityKeys = map[string]bool{"limits": true, "requests": true, "hard": true, "default": true, "defaultRequest": true, "max": true, "min": true, "maxLimitRequestRatio": true, "capacity": true, "overhead": true}

func findBadQuantity(n *yaml.Node, at Path) (Path, bool) {
	switch n.Kind {
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if c = deref(c); c != nil {
				if p, ok := findBadQuantity(c, at.Index(i)); ok {
					return p, true
				}
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], deref(n.Content[i+1])
			if v == nil {
				continue
			}
			p := at.Child(k.Value)
			if (quantityKeys[k.Value] || k.Value == "sizeLimit" || k.Value == "storage") && v.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(v.Content); j += 2 {
					q := deref(v.Content[j+1])
					if q != nil && q.Kind == yaml.ScalarNode {
						if _, err := resource.ParseQuantity(q.Value); err != nil {
							return p.Child(v.Content[j].Value), true
						}
					}
				}
			}
			if k.Value == "sizeLimit" && v.Kind == yaml.ScalarNode {
				if _, err := resource.ParseQuantity(v.Value); err != nil {
					return p, true
				}
			}
			if pp, ok := findBadQuantity(v, p); ok {
				return pp, true
			}
		}
	}
	return Path{}, false
}
