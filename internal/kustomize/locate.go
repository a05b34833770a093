package kustomize

import (
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/manifest"
)

// seg is one element of a field path: a key, or a list index (index >= 0;
// -1 marks a key, -2 the end of a list in a JSON pointer).
type seg struct {
	key   string
	index int
}

// parseSegs splits a path in manifest.Path string form into its elements.
func parseSegs(s string) ([]seg, bool) {
	if _, ok := manifest.ParsePath(s); !ok {
		return nil, false
	}
	var out []seg
	for i := 0; i < len(s); {
		switch s[i] {
		case '.':
			i++
		case '[':
			if i+1 < len(s) && s[i+1] == '"' {
				q, err := strconv.QuotedPrefix(s[i+1:])
				if err != nil {
					return nil, false
				}
				k, err := strconv.Unquote(q)
				if err != nil {
					return nil, false
				}
				out = append(out, seg{key: k, index: -1})
				i += 1 + len(q) + 1
				continue
			}
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return nil, false
			}
			n, err := strconv.Atoi(s[i+1 : i+j])
			if err != nil {
				return nil, false
			}
			out = append(out, seg{index: n})
			i += j + 1
		default:
			j := strings.IndexAny(s[i:], ".[")
			if j < 0 {
				j = len(s) - i
			}
			out = append(out, seg{key: s[i : i+j], index: -1})
			i += j
		}
	}
	return out, true
}

// isPath reports whether segs are exactly the given keys.
func isPath(segs []seg, keys ...string) bool {
	if len(segs) != len(keys) {
		return false
	}
	for i, s := range segs {
		if s.index != -1 || s.key != keys[i] {
			return false
		}
	}
	return true
}

// walk returns the node at segs below n, or nil.
func walk(n *yaml.Node, segs []seg) *yaml.Node {
	n = manifest.Deref(n)
	for _, s := range segs {
		if n == nil {
			return nil
		}
		if s.index < 0 {
			n = value(n, s.key)
			continue
		}
		if n.Kind != yaml.SequenceNode || s.index >= len(n.Content) {
			return nil
		}
		n = manifest.Deref(n.Content[s.index])
	}
	return n
}

// mergeKeys are the keys by which strategic merge matches list items
// (containers, env, ports, volumes, volumeMounts...), in order of
// preference.
var mergeKeys = []string{"name", "containerPort", "mountPath", "devicePath", "port", "ip", "topologyKey"}

// mergeKey returns the key and value identifying list item n.
func mergeKey(n *yaml.Node) (string, string) {
	for _, k := range mergeKeys {
		if v := value(n, k); v != nil && v.Kind == yaml.ScalarNode {
			return k, v.Value
		}
	}
	return "", ""
}

// translate turns segs, a path in the built object, into the path of the
// same field in doc (a source document or a strategic merge patch): list
// items are matched by their merge key (a container by its name), since
// patches add and reorder items. Items without a merge key keep their
// index. It also returns the node of doc at that path, or nil.
func translate(built, doc *yaml.Node, segs []seg) (manifest.Path, *yaml.Node) {
	var p manifest.Path
	b, d := manifest.Deref(built), manifest.Deref(doc)
	for _, s := range segs {
		if s.index < 0 {
			p = p.Child(s.key)
			b, d = value(b, s.key), value(d, s.key)
			continue
		}
		var be *yaml.Node
		if b != nil && b.Kind == yaml.SequenceNode && s.index < len(b.Content) {
			be = manifest.Deref(b.Content[s.index])
		}
		j := s.index
		if d != nil && d.Kind == yaml.SequenceNode {
			if k, v := mergeKey(be); k != "" {
				j = len(d.Content)
				for i, c := range d.Content {
					if scalar(value(c, k)) == v {
						j = i
						break
					}
				}
			}
		}
		p = p.Index(j)
		b = be
		if d != nil && d.Kind == yaml.SequenceNode && j < len(d.Content) {
			d = manifest.Deref(d.Content[j])
		} else {
			d = nil
		}
	}
	return p, d
}

// object is one built object and what is known of where it came from.
type object struct {
	kind, name string
	// file is the display name of the file that defined the object (the
	// generating kustomization for generated objects).
	file string
	// built is the object as built (annotations stripped); source its
	// document in file, nil for generated objects or when not found.
	built  *yaml.Node
	source *yaml.Node
	// gen is the generator entry of a generated object.
	gen *generator
	// chain are the kustomizations whose patches and transformers may
	// have changed the object, the last to apply first.
	chain []*kustomization
}

// position is a place in a user's file.
type position struct {
	file      string
	line, col int
}

// locate maps the field at path of o to the user's file: see the package
// documentation for the order of the rules.
func (o *object) locate(path string) position {
	segs, ok := parseSegs(path)
	if !ok {
		segs = nil
	}
	b := walk(o.built, segs)
	leaf := b != nil && b.Kind == yaml.ScalarNode
	var src manifest.Position
	srcExact := false
	if o.source != nil {
		p, d := translate(o.built, o.source, segs)
		src, srcExact = manifest.Locate(o.source, p)
		same := srcExact && (!leaf || (d != nil && d.Kind == yaml.ScalarNode && d.Value == b.Value))
		if same {
			return position{o.file, src.Line, src.Column}
		}
	}
	// A field missing from the built object was not written by anyone.
	if b != nil {
		for _, k := range o.chain {
			if pos, ok := k.claim(o, segs, b); ok {
				return pos
			}
		}
		// A label or annotation map the source lacks was made by the
		// first kustomization to add one.
		if !srcExact && b.Kind == yaml.MappingNode {
			for _, k := range slices.Backward(o.chain) {
				if ps := k.pairsFor(segs); len(ps) > 0 {
					return at(k.name, ps[0].node)
				}
			}
		}
	}
	if o.gen != nil {
		pos := o.gen.locate(segs)
		return position{o.file, pos.Line, pos.Column}
	}
	if o.source != nil {
		return position{o.file, src.Line, src.Column}
	}
	return position{file: o.file}
}

func at(file string, n *yaml.Node) position {
	return position{file, n.Line, n.Column}
}

// locate returns the generator entry's line for a field of the object it
// generates: the literal or file of a data key, the name, or the entry.
func (g *generator) locate(segs []seg) manifest.Position {
	n := g.node
	switch {
	case isPath(segs, "metadata", "name") && g.nameNode != nil:
		n = g.nameNode
	case len(segs) == 2 && segs[1].index == -1 && (isPath(segs[:1], "data") || isPath(segs[:1], "binaryData") || isPath(segs[:1], "stringData")):
		if k := g.keys[segs[1].key]; k != nil {
			n = k
		}
	}
	return manifest.Position{Line: n.Line, Column: n.Column}
}

// claim reports whether a patch or transformer entry of k set the field
// at segs of o, whose built node is b (nil when the field is missing), and
// where. Scalars are claimed only by an entry that sets the value they
// have; other nodes only by a patch that holds them.
func (k *kustomization) claim(o *object, segs []seg, b *yaml.Node) (position, bool) {
	leaf := b != nil && b.Kind == yaml.ScalarNode
	if leaf && isImagePath(segs) {
		name := imageName(b.Value)
		for _, im := range slices.Backward(k.images) {
			if im.newName == name || (im.newName == "" && im.name == name) {
				return at(k.name, im.node), true
			}
		}
	}
	if leaf && isPath(segs, "spec", "replicas") {
		for _, r := range slices.Backward(k.replicas) {
			if r.count == b.Value && r.name != "" && strings.Contains(o.name, r.name) {
				return at(k.name, r.node), true
			}
		}
	}
	for _, p := range slices.Backward(k.patches) {
		if pos, ok := p.claim(o, segs, b); ok {
			return pos, true
		}
	}
	if n := len(segs); leaf && n >= 2 && segs[n-1].index == -1 {
		key := segs[n-1].key
		for _, p := range slices.Backward(k.pairsFor(segs[:n-1])) {
			if p.key == key && p.value == b.Value {
				return at(k.name, p.node), true
			}
		}
	}
	if leaf && isPath(segs, "metadata", "name") {
		if p := k.namePrefix; p.value != "" && strings.HasPrefix(b.Value, p.value) {
			return at(k.name, p.key), true
		}
		if s := k.nameSuffix; s.value != "" && strings.Contains(b.Value, s.value) {
			return at(k.name, s.key), true
		}
	}
	if ns := k.namespace; leaf && isPath(segs, "metadata", "namespace") && ns.key != nil && ns.value == b.Value {
		return at(k.name, ns.key), true
	}
	if leaf && len(segs) == 2 && segs[1].index == -1 && (isPath(segs[:1], "data") || isPath(segs[:1], "binaryData") || isPath(segs[:1], "stringData")) {
		for i := range slices.Backward(k.generators) {
			g := &k.generators[i]
			n := g.keys[segs[1].key]
			if n == nil || g.kind != o.kind || g.name == "" || !strings.Contains(o.name, g.name) {
				continue
			}
			// Secret data is base64 and file sources have no value here:
			// for those the key decides.
			if v, literal := g.values[segs[1].key]; !literal || g.kind == "Secret" || v == b.Value {
				return at(k.name, n), true
			}
		}
	}
	return position{}, false
}

// pairsFor returns the labels or annotations k sets in the map at segs:
// labels for maps named labels, matchLabels or selector, annotations for
// maps named annotations.
func (k *kustomization) pairsFor(segs []seg) []pair {
	if len(segs) == 0 || segs[len(segs)-1].index != -1 {
		return nil
	}
	switch segs[len(segs)-1].key {
	case "labels", "matchLabels", "selector":
		return k.labels
	case "annotations":
		return k.annotations
	}
	return nil
}

// isImagePath reports whether segs name the image of a container.
func isImagePath(segs []seg) bool {
	n := len(segs)
	if n < 3 || segs[n-1].index != -1 || segs[n-1].key != "image" || segs[n-2].index < 0 || segs[n-3].index != -1 {
		return false
	}
	switch segs[n-3].key {
	case "containers", "initContainers", "ephemeralContainers":
		return true
	}
	return false
}

// imageName returns the repository of an image reference, without tag or
// digest.
func imageName(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		ref = ref[:i]
	}
	return ref
}

// identity are the fields a strategic merge patch names its target by,
// which it does not set.
func identity(segs []seg) bool {
	return isPath(segs, "kind") || isPath(segs, "apiVersion") || isPath(segs, "metadata", "name") || isPath(segs, "metadata", "namespace")
}

// targets reports whether the patch applies to o.
func (p *patch) targets(o *object, doc *yaml.Node) bool {
	if p.target != nil {
		if p.target.kind != "" && p.target.kind != o.kind {
			return false
		}
		if p.target.name == nil {
			return true
		}
		src := scalar(value(value(o.source, "metadata"), "name"))
		return p.target.name.MatchString(o.name) || (src != "" && p.target.name.MatchString(src)) ||
			nameWithin(o.name, p.target.name.String())
	}
	if doc == nil {
		return true
	}
	kind := scalar(value(doc, "kind"))
	name := scalar(value(value(doc, "metadata"), "name"))
	return (kind == "" || kind == o.kind) && name != "" && strings.Contains(o.name, name)
}

// nameWithin reports whether the plain name of an anchored target
// expression "^(?:name)$" occurs in the built name (which has the
// prefixes and suffixes of the overlays above the patch).
func nameWithin(built, expr string) bool {
	name := plainName(expr)
	return name != "" && strings.Contains(built, name)
}

// plainName returns the name of an anchored target expression
// "^(?:name)$", or "" when the name is a regular expression.
func plainName(expr string) string {
	name := strings.TrimSuffix(strings.TrimPrefix(expr, "^(?:"), ")$")
	if strings.ContainsAny(name, `.*+?()[]{}|\^$`) {
		return ""
	}
	return name
}

// claim reports whether the patch set the field at segs of o.
func (p *patch) claim(o *object, segs []seg, b *yaml.Node) (position, bool) {
	leaf := b != nil && b.Kind == yaml.ScalarNode
	if p.json6902 {
		if !p.targets(o, nil) {
			return position{}, false
		}
		for _, op := range slices.Backward(p.ops) {
			if len(op.path) > len(segs) || !o.leadsTo(op.path, segs) {
				continue
			}
			if len(op.path) == len(segs) {
				if leaf && op.value != nil && (op.value.Kind != yaml.ScalarNode || op.value.Value != b.Value) {
					continue
				}
				return p.at(op.node), true
			}
			if op.value == nil {
				continue
			}
			rest := segs[len(op.path):]
			sub := walk(o.built, segs[:len(op.path)])
			q, d := translate(sub, op.value, rest)
			pos, exact := manifest.Locate(op.value, q)
			if !exact || (leaf && (d == nil || d.Kind != yaml.ScalarNode || d.Value != b.Value)) {
				continue
			}
			return p.at(&yaml.Node{Line: pos.Line, Column: pos.Column}), true
		}
		return position{}, false
	}
	if identity(segs) || len(segs) == 0 {
		return position{}, false
	}
	for _, doc := range slices.Backward(p.docs) {
		if !p.targets(o, doc) {
			continue
		}
		q, d := translate(o.built, doc, segs)
		pos, exact := manifest.Locate(doc, q)
		if !exact || (leaf && (d == nil || d.Kind != yaml.ScalarNode || d.Value != b.Value)) {
			continue
		}
		return p.at(&yaml.Node{Line: pos.Line, Column: pos.Column}), true
	}
	return position{}, false
}

// leadsTo reports whether the JSON pointer segments op lead to segs, a
// path in the built object. A list index in op counts items as they were
// when the patch applied, before later patches added or reordered items:
// where the source document has the item op names and it has a merge key
// (a container's name), the built item must have the same key; otherwise
// indexes must be equal. The end of a list ("-") matches any item.
func (o *object) leadsTo(op, segs []seg) bool {
	for i, s := range op {
		g := segs[i]
		if s.index == -1 {
			if g.index != -1 || g.key != s.key {
				return false
			}
			continue
		}
		if g.index < 0 {
			return false
		}
		if s.index == -2 {
			continue
		}
		if bk, bv := mergeKey(walk(o.built, segs[:i+1])); bk != "" {
			if sk, sv := mergeKey(walk(o.source, op[:i+1])); sk == bk {
				if sv != bv {
					return false
				}
				continue
			}
		}
		if s.index != g.index {
			return false
		}
	}
	return true
}

// at returns the position in the user's file of n, a node of the patch
// text.
func (p *patch) at(n *yaml.Node) position {
	if p.unlocated {
		return position{p.file, p.entry.Line, p.entry.Column}
	}
	if p.line > 0 {
		return position{p.file, p.line + n.Line, p.col + n.Column}
	}
	return position{p.file, n.Line, n.Column}
}
