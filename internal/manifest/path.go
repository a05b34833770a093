package manifest

import (
	"hash/maphash"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Path is a field path inside an object, such as
// spec.template.spec.containers[0].securityContext.privileged. Paths are
// immutable; Child and Index return new paths.
type Path struct {
	elems []pathElem
}

type pathElem struct {
	key   string
	index int // -1 for a key
}

// NewPath returns the path of the given keys below the object root.
func NewPath(keys ...string) Path {
	if len(keys) == 0 {
		return Path{}
	}
	e := make([]pathElem, len(keys))
	for i, k := range keys {
		e[i] = pathElem{key: k, index: -1}
	}
	return Path{elems: e}
}

// Child returns the path of the key k below p.
func (p Path) Child(k ...string) Path {
	e := make([]pathElem, len(p.elems), len(p.elems)+len(k))
	copy(e, p.elems)
	for _, s := range k {
		e = append(e, pathElem{key: s, index: -1})
	}
	return Path{elems: e}
}

// Field returns the path of the key k below p and of the keys below it:
// p.Child(k).Child(below...) in one allocation.
func (p Path) Field(k string, below ...string) Path {
	e := make([]pathElem, len(p.elems), len(p.elems)+1+len(below))
	copy(e, p.elems)
	e = append(e, pathElem{key: k, index: -1})
	for _, s := range below {
		e = append(e, pathElem{key: s, index: -1})
	}
	return Path{elems: e}
}

// Index returns the path of element i of the list at p.
func (p Path) Index(i int) Path {
	e := make([]pathElem, len(p.elems), len(p.elems)+1)
	copy(e, p.elems)
	return Path{elems: append(e, pathElem{index: i})}
}

// Join returns p followed by q.
func (p Path) Join(q Path) Path {
	e := make([]pathElem, 0, len(p.elems)+len(q.elems))
	e = append(e, p.elems...)
	return Path{elems: append(e, q.elems...)}
}

// IsRoot reports whether p is the object root.
func (p Path) IsRoot() bool { return len(p.elems) == 0 }

// String renders the path the way kubectl explain and API errors do.
func (p Path) String() string {
	if len(p.elems) == 0 {
		return ""
	}
	var buf [128]byte
	return string(p.appendTo(buf[:0]))
}

// appendTo appends the rendering of String to b.
func (p Path) appendTo(b []byte) []byte {
	for i, e := range p.elems {
		if e.index >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(e.index), 10)
			b = append(b, ']')
			continue
		}
		if needsQuoting(e.key) {
			b = append(b, '[')
			b = strconv.AppendQuote(b, e.key)
			b = append(b, ']')
			continue
		}
		if i > 0 {
			b = append(b, '.')
		}
		b = append(b, e.key...)
	}
	return b
}

// Interned returns String, shared with every other call for the same path:
// findings of many objects name the same few paths, and a run keeps them
// all, so each distinct path is kept once.
func (p Path) Interned() string {
	if len(p.elems) == 0 {
		return ""
	}
	var buf [128]byte
	return InternPath(p.appendTo(buf[:0]))
}

// InternPath returns the path written b (as String writes it), shared like
// Interned's.
func InternPath(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	sh := &pathShards[maphash.Bytes(pathSeed, b)%uint64(len(pathShards))]
	sh.RLock()
	s, ok := sh.m[string(b)]
	sh.RUnlock()
	if ok {
		return s
	}
	s = string(b)
	sh.Lock()
	if t, ok := sh.m[s]; ok {
		s = t
	} else if len(sh.m) < maxInternedPerShard {
		if sh.m == nil {
			sh.m = map[string]string{}
		}
		sh.m[s] = s
	}
	sh.Unlock()
	return s
}

// The interned paths, in shards so that workers rarely wait on each
// other. Each shard is bounded: inputs with endless distinct paths (keys
// of annotations, say) stop being interned, not growing the table.
const maxInternedPerShard = 1 << 12

var (
	pathSeed   = maphash.MakeSeed()
	pathShards [16]struct {
		sync.RWMutex
		m map[string]string
	}
)

// needsQuoting reports whether a key cannot be written bare in a dotted path
// (annotation and label keys usually contain dots and slashes).
func needsQuoting(k string) bool {
	if k == "" {
		return true
	}
	for i := 0; i < len(k); i++ {
		switch k[i] {
		case '.', '[', ']', '/', '"', ' ':
			return true
		}
	}
	return false
}

// ParsePath parses the output of Path.String. Quoted keys are written
// ["key"]. It returns false for a malformed path.
func ParsePath(s string) (Path, bool) {
	var p Path
	for i := 0; i < len(s); {
		switch s[i] {
		case '.':
			i++
		case '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return Path{}, false
			}
			inner := s[i+1 : i+j]
			if strings.HasPrefix(inner, `"`) {
				// The key may itself contain ']'; find the closing quote.
				k, rest, ok := unquotePrefix(s[i+1:])
				if !ok || !strings.HasPrefix(rest, "]") {
					return Path{}, false
				}
				p = p.Child(k)
				i = len(s) - len(rest) + 1
				continue
			}
			n, err := strconv.Atoi(inner)
			if err != nil || n < 0 {
				return Path{}, false
			}
			p = p.Index(n)
			i += j + 1
		default:
			j := strings.IndexAny(s[i:], ".[")
			if j < 0 {
				j = len(s) - i
			}
			p = p.Child(s[i : i+j])
			i += j
		}
	}
	return p, true
}

func unquotePrefix(s string) (string, string, bool) {
	for j := 1; j < len(s); j++ {
		if s[j] == '\\' {
			j++
			continue
		}
		if s[j] == '"' {
			k, err := strconv.Unquote(s[:j+1])
			return k, s[j+1:], err == nil
		}
	}
	return "", "", false
}

// Position is a 1-based line and column in a source file. Zero means unknown
// (objects read from a live cluster have no position).
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Locate finds the node for p below root. It returns the position of the
// field's key (for a mapping entry) or of the item (for a list element), and
// exact=false with the position of the nearest existing parent when the field
// is missing.
func Locate(root *yaml.Node, p Path) (pos Position, exact bool) {
	n := deref(root)
	if n == nil {
		return Position{}, false
	}
	pos = Position{Line: n.Line, Column: n.Column}
	for _, e := range p.elems {
		if e.index >= 0 {
			if n.Kind != yaml.SequenceNode || e.index >= len(n.Content) {
				return pos, false
			}
			n = deref(n.Content[e.index])
			if n == nil {
				return pos, false
			}
			pos = Position{Line: n.Line, Column: n.Column}
			continue
		}
		key, val := lookup(n, e.key)
		if key == nil {
			return pos, false
		}
		pos = Position{Line: key.Line, Column: key.Column}
		n = val
	}
	return pos, true
}

// lookup returns the key and value nodes of k in mapping n, following merge
// keys ("<<") the way YAML 1.1 decoders do. The last duplicate wins, as in
// kubectl's decoder.
func lookup(n *yaml.Node, k string) (key, val *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := len(n.Content) - 2; i >= 0; i -= 2 {
		if kn := n.Content[i]; kn.Kind == yaml.ScalarNode && kn.Value == k && kn.Tag != "!!merge" {
			return kn, deref(n.Content[i+1])
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if isMerge(n.Content[i]) {
			for _, m := range mergeSources(n.Content[i+1]) {
				if kn, v := lookup(m, k); kn != nil {
					return kn, v
				}
			}
		}
	}
	return nil, nil
}

// deref follows alias nodes (bounded, so alias cycles cannot hang) and
// document nodes.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && i < 64; i++ {
		switch n.Kind {
		case yaml.AliasNode:
			n = n.Alias
		case yaml.DocumentNode:
			if len(n.Content) == 0 {
				return nil
			}
			n = n.Content[0]
		default:
			return n
		}
	}
	return n
}

func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Tag == "!!merge"
}

func mergeSources(v *yaml.Node) []*yaml.Node {
	v = deref(v)
	if v == nil {
		return nil
	}
	if v.Kind == yaml.SequenceNode {
		out := make([]*yaml.Node, 0, len(v.Content))
		for _, c := range v.Content {
			out = append(out, deref(c))
		}
		return out
	}
	return []*yaml.Node{v}
}
