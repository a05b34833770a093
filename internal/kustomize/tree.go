package kustomize

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/types"

	"github.com/kubevet/kubevet/internal/manifest"
	"github.com/kubevet/kubevet/internal/render"
)

// tree is the kustomization at the root of a build and every local
// kustomization (base or component) it includes, read before kustomize
// runs: to refuse remote sources, to report errors at their line, and to
// know which patch or transformer entry set a field of a built object.
type tree struct {
	// rootDir is the absolute directory of the root kustomization and
	// display the directory as the user named it.
	rootDir string
	display string
	// byFile holds the kustomizations by absolute file name, all in order
	// of discovery (the root first).
	byFile map[string]*kustomization
	all    []*kustomization
	// owners maps an absolute resource file to the kustomizations that
	// list it.
	owners   map[string][]*kustomization
	problems []render.Problem
}

// kustomization is one kustomization file of a tree.
type kustomization struct {
	dir  string // absolute
	file string // absolute
	name string // as shown to the user
	data []byte
	// root is the top-level mapping; nil when the file is not a mapping.
	root *yaml.Node
	// parents are the kustomizations that include this one; depth is the
	// shortest distance from the root kustomization.
	parents []*kustomization
	depth   int
	// components are the components k lists.
	components []*kustomization

	namespace, namePrefix, nameSuffix setting
	labels                            []pair
	annotations                       []pair
	images                            []image
	replicas                          []replica
	generators                        []generator
	patches                           []*patch
}

// setting is a field of a kustomization such as namePrefix: its value and
// the key to report.
type setting struct {
	value string
	key   *yaml.Node
}

func settingOf(n *yaml.Node, key string) setting {
	k, v := entry(n, key)
	return setting{value: scalar(v), key: k}
}

// pair is a label or annotation a kustomization sets.
type pair struct {
	key, value string
	node       *yaml.Node
}

// image is an entry of images:.
type image struct {
	name, newName string
	node          *yaml.Node
}

// replica is an entry of replicas:.
type replica struct {
	name  string
	count string
	node  *yaml.Node
}

// generator is an entry of configMapGenerator or secretGenerator.
type generator struct {
	kind     string // ConfigMap or Secret
	name     string
	node     *yaml.Node
	nameNode *yaml.Node
	// keys maps a data key to the literal or file entry giving it (keys
	// from env files are not known).
	keys   map[string]*yaml.Node
	values map[string]string // literal values
}

// patch is a strategic merge or JSON 6902 patch of a kustomization.
type patch struct {
	// file is the display name of the file holding the patch text (the
	// kustomization for inline patches); line and col offset positions of
	// the parsed text into it.
	file      string
	line, col int
	entry     *yaml.Node
	docs      []*yaml.Node // strategic merge patch documents
	ops       []op         // JSON 6902 operations that write fields
	opNodes   []*yaml.Node // all JSON 6902 operations
	target    *selector
	// targetNode is the target: key of the entry, if any.
	targetNode *yaml.Node
	json6902   bool
	unlocated  bool // inline text whose positions are unknown
}

// op is one JSON 6902 operation that writes a field: add, replace, copy
// or move.
type op struct {
	path  []seg
	node  *yaml.Node // the operation
	value *yaml.Node
}

// selector is a patch target.
type selector struct {
	kind string
	name *regexp.Regexp
}

// kustomizationFile returns the kustomization file in dir, or "".
func kustomizationFile(dir string) string {
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		if fi, err := os.Stat(filepath.Join(dir, n)); err == nil && fi.Mode().IsRegular() {
			return filepath.Join(dir, n)
		}
	}
	return ""
}

// scan reads the kustomization in dir (display is how the user named dir)
// and the local kustomizations it includes.
func scan(dir, display string) (*tree, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("kustomization %s: %w", display, err)
	}
	t := &tree{
		rootDir: abs,
		display: display,
		byFile:  map[string]*kustomization{},
		owners:  map[string][]*kustomization{},
	}
	t.visit(abs, nil, nil)
	return t, nil
}

// displayName returns the name the user knows the absolute file by.
func (t *tree) displayName(file string) string {
	rel, err := filepath.Rel(t.rootDir, file)
	if err != nil {
		return file
	}
	return filepath.Join(t.display, rel)
}

func (t *tree) problem(file string, n *yaml.Node, format string, args ...any) {
	p := render.Problem{File: t.displayName(file), Message: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	t.problems = append(t.problems, p)
}

// visit reads the kustomization in dir, included by parent at entry, and
// returns it (nil when there is none).
func (t *tree) visit(dir string, parent *kustomization, entry *yaml.Node) *kustomization {
	file := kustomizationFile(dir)
	if file == "" {
		if parent == nil {
			t.problem(filepath.Join(dir, "kustomization.yaml"), nil, "no kustomization.yaml, kustomization.yml or Kustomization in %s", t.displayName(dir))
		} else {
			t.problem(parent.file, entry, "%s is a folder without a kustomization file: name a kustomization folder or a manifest file", entry.Value)
		}
		return nil
	}
	if k := t.byFile[file]; k != nil {
		if parent != nil {
			k.parents = append(k.parents, parent)
		}
		return k
	}
	k := &kustomization{dir: dir, file: file, name: t.displayName(file)}
	if parent != nil {
		k.parents = []*kustomization{parent}
		k.depth = parent.depth + 1
	}
	t.byFile[file] = k
	t.all = append(t.all, k)
	if !t.parse(k) {
		return k
	}
	k.read(t)
	for _, sub := range k.includes(t) {
		if c := t.visit(sub.dir, k, sub.entry); c != nil && sub.component {
			k.components = append(k.components, c)
		}
	}
	return k
}

// parse reads and checks k the way kustomize will, reporting problems at
// their line.
func (t *tree) parse(k *kustomization) bool {
	data, err := readFile(k.file)
	if err != nil {
		t.problem(k.file, nil, "cannot read kustomization: %v", err)
		return false
	}
	k.data = data
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p := render.Problem{File: k.name, Message: "kustomization is not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
		p.Line = errorLine(data, err)
		t.problems = append(t.problems, p)
		return false
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		n := &doc
		if len(doc.Content) > 0 {
			n = doc.Content[0]
		}
		t.problem(k.file, n, "kustomization must be a YAML mapping of fields (resources:, patches:, ...)")
		return false
	}
	k.root = doc.Content[0]
	for _, field := range []string{"helmCharts", "helmChartInflationGenerator"} {
		if key, _ := entry(k.root, field); key != nil {
			t.problem(k.file, key, "%s needs Helm, which kubevet does not run inside kustomize builds: check the chart with kubevet directly, or commit its rendered manifests as resources", field)
			return false
		}
	}
	var kz types.Kustomization
	if err := kz.Unmarshal(data); err != nil {
		msg := err.Error()
		var at *yaml.Node
		if m := unknownField.FindStringSubmatch(msg); m != nil {
			at = findKey(k.root, m[1])
			msg = fmt.Sprintf("unknown field %q in kustomization: check its spelling against the Kustomization reference", m[1])
		}
		t.problem(k.file, at, "%s", msg)
		return false
	}
	return true
}

var unknownField = regexp.MustCompile(`unknown field "([^"]+)"`)

var yamlLine = regexp.MustCompile(`line (\d+)`)

// errorLine returns the line of data where the YAML error err is. The
// parser names the line of the construct it was in (0- or 1-based
// depending on the error), at or before the line at fault, so the line is
// found as the first one from there at which the text stops parsing.
func errorLine(data []byte, err error) int {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	reported := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		reported, _ = atoi(m[1])
	}
	lines := strings.SplitAfter(string(data), "\n")
	start := max(reported-1, 1)
	if start > len(lines) {
		return reported
	}
	prefix := strings.Join(lines[:start-1], "")
	for i := start - 1; i < len(lines) && i < start+200; i++ {
		prefix += lines[i]
		if !parses(prefix) {
			return i + 1
		}
	}
	return reported
}

// parses reports whether every YAML document of text parses.
func parses(text string) bool {
	dec := yaml.NewDecoder(strings.NewReader(text))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// findKey returns the first mapping key named name below n (depth first).
func findKey(n *yaml.Node, name string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == name {
				return n.Content[i]
			}
		}
	}
	for _, c := range n.Content {
		if f := findKey(c, name); f != nil {
			return f
		}
	}
	return nil
}

// include is a local kustomization folder a kustomization includes.
type include struct {
	dir       string
	entry     *yaml.Node
	component bool
}

// includes checks the resources and components of k: remote ones are
// refused (kubevet builds offline), missing ones reported at their line.
// It returns the local folders to visit.
func (k *kustomization) includes(t *tree) []include {
	var out []include
	for _, field := range []string{"resources", "bases", "components"} {
		for _, e := range seqItems(value(k.root, field)) {
			if e.Kind != yaml.ScalarNode || e.Value == "" {
				continue
			}
			p := e.Value
			if !filepath.IsAbs(p) {
				p = filepath.Join(k.dir, p)
			}
			if fetches(e.Value) || (clones(e.Value) && (field == "components" || !isFile(p))) {
				t.problem(k.file, e, "remote %s %q not fetched: kubevet builds kustomizations offline; vendor it into the repository and name it by a local path", strings.TrimSuffix(field, "s"), e.Value)
				continue
			}
			fi, err := os.Stat(p)
			switch {
			case err != nil:
				t.problem(k.file, e, "%s %q not found: no such file or folder next to %s", strings.TrimSuffix(field, "s"), e.Value, filepath.Base(k.file))
			case fi.IsDir():
				out = append(out, include{dir: p, entry: e, component: field == "components"})
			default:
				t.owners[p] = append(t.owners[p], k)
			}
		}
	}
	// Other fields that name files: kustomize would fetch URLs in them.
	var check func(n *yaml.Node, key string)
	check = func(n *yaml.Node, key string) {
		switch n.Kind {
		case yaml.ScalarNode:
			remote := fetches(n.Value)
			if accumulated[key] && clones(n.Value) && !isFile(filepath.Join(k.dir, n.Value)) {
				remote = true
			}
			if (fileFields[key] || accumulated[key]) && remote {
				t.problem(k.file, n, "remote file %q not fetched: kubevet builds kustomizations offline; copy it into the repository", n.Value)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				check(c, key)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				check(n.Content[i+1], n.Content[i].Value)
			}
		}
	}
	for i := 0; i+1 < len(k.root.Content); i += 2 {
		key := k.root.Content[i].Value
		if key == "resources" || key == "bases" || key == "components" {
			continue
		}
		check(k.root.Content[i+1], key)
	}
	return out
}

// fileFields are the keys whose values kustomize loads as files, and
// downloads when they are URLs.
var fileFields = map[string]bool{
	"path": true, "patchesStrategicMerge": true, "files": true, "envs": true, "env": true,
	"configurations": true, "crds": true, "openapi": true,
}

// accumulated are the keys whose values kustomize reads like resources: a
// file, else a folder or git repository to clone.
var accumulated = map[string]bool{"generators": true, "transformers": true, "validators": true}

// fetches reports whether kustomize would download s when it loads it as
// a file: an http or https URL (a generator file source may put "key="
// before it). Inline content is not a name.
func fetches(s string) bool {
	l := strings.ToLower(s)
	return !strings.Contains(s, "\n") && (strings.Contains(l, "http://") || strings.Contains(l, "https://"))
}

// clones reports whether kustomize would take s, when it is not a local
// file, for a git repository to clone: any URL (file:// repositories are
// cloned with git too), github.com/org/repo//dir?ref=v1, or SCP-style
// user@host:org/repo. It follows the forms kustomize's own parser
// accepts, erring on the side of remote.
func clones(s string) bool {
	if strings.Contains(s, "\n") {
		return false
	}
	l := strings.TrimPrefix(strings.ToLower(s), "git::")
	if strings.Contains(l, "://") {
		return true
	}
	if strings.HasPrefix(l, "github.com/") || strings.HasPrefix(l, "github.com:") {
		return true
	}
	return scpUser.MatchString(s)
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

var scpUser = regexp.MustCompile(`^(?i:git::)?[a-zA-Z][a-zA-Z0-9-]*@`)

// value returns the value of key in mapping n, or nil.
func value(n *yaml.Node, key string) *yaml.Node {
	_, v := entry(n, key)
	return v
}

// entry returns the key and value nodes of key in mapping n (the last
// duplicate, as kustomize's decoder keeps).
func entry(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	n = manifest.Deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := len(n.Content) - 2; i >= 0; i -= 2 {
		if n.Content[i].Value == key {
			return n.Content[i], manifest.Deref(n.Content[i+1])
		}
	}
	return nil, nil
}

func seqItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		if c = manifest.Deref(c); c != nil {
			out = append(out, c)
		}
	}
	return out
}

func scalar(n *yaml.Node) string {
	if n = manifest.Deref(n); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// read collects the transformer, generator and patch entries of k.
func (k *kustomization) read(t *tree) {
	r := k.root
	k.namespace = settingOf(r, "namespace")
	k.namePrefix = settingOf(r, "namePrefix")
	k.nameSuffix = settingOf(r, "nameSuffix")
	k.labels = append(k.labels, pairs(value(r, "commonLabels"))...)
	for _, l := range seqItems(value(r, "labels")) {
		k.labels = append(k.labels, pairs(value(l, "pairs"))...)
	}
	k.annotations = pairs(value(r, "commonAnnotations"))
	for _, field := range []string{"images", "imageTags"} {
		for _, e := range seqItems(value(r, field)) {
			k.images = append(k.images, image{name: scalar(value(e, "name")), newName: scalar(value(e, "newName")), node: e})
		}
	}
	for _, e := range seqItems(value(r, "replicas")) {
		k.replicas = append(k.replicas, replica{name: scalar(value(e, "name")), count: scalar(value(e, "count")), node: e})
	}
	for _, g := range []struct{ field, kind string }{{"configMapGenerator", "ConfigMap"}, {"secretGenerator", "Secret"}} {
		for _, e := range seqItems(value(r, g.field)) {
			k.generators = append(k.generators, k.readGenerator(g.kind, e))
		}
	}
	for _, e := range seqItems(value(r, "patchesStrategicMerge")) {
		if e.Kind != yaml.ScalarNode {
			continue
		}
		inline := strings.Contains(e.Value, "\n") || strings.Contains(e.Value, ": ")
		if p := k.readPatch(t, e, e, false, inline); p != nil {
			k.patches = append(k.patches, p)
		}
	}
	for _, field := range []string{"patches", "patchesJson6902"} {
		for _, e := range seqItems(value(r, field)) {
			var p *patch
			if v := value(e, "path"); v != nil {
				p = k.readPatch(t, e, v, field == "patchesJson6902", false)
			} else if v := value(e, "patch"); v != nil {
				p = k.readPatch(t, e, v, field == "patchesJson6902", true)
			}
			if p == nil {
				continue
			}
			if key, tg := entry(e, "target"); tg != nil {
				p.target = readSelector(tg)
				p.targetNode = key
			}
			k.patches = append(k.patches, p)
		}
	}
}

func pairs(m *yaml.Node) []pair {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var out []pair
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = append(out, pair{key: m.Content[i].Value, value: scalar(m.Content[i+1]), node: m.Content[i]})
	}
	return out
}

func (k *kustomization) readGenerator(kind string, e *yaml.Node) generator {
	nameKey, nameVal := entry(e, "name")
	g := generator{
		kind:     kind,
		name:     scalar(nameVal),
		node:     e,
		nameNode: nameKey,
		keys:     map[string]*yaml.Node{},
		values:   map[string]string{},
	}
	for _, l := range seqItems(value(e, "literals")) {
		key, val, _ := strings.Cut(l.Value, "=")
		key = strings.TrimSpace(key)
		g.keys[key] = l
		g.values[key] = strings.Trim(val, `"'`)
	}
	for _, f := range seqItems(value(e, "files")) {
		key, _, ok := strings.Cut(f.Value, "=")
		if !ok {
			key = filepath.Base(f.Value)
		}
		g.keys[key] = f
	}
	return g
}

func readSelector(n *yaml.Node) *selector {
	s := &selector{kind: scalar(value(n, "kind"))}
	if name := scalar(value(n, "name")); name != "" {
		if re, err := regexp.Compile("^(?:" + name + ")$"); err == nil {
			s.name = re
		}
	}
	return s
}

// readPatch reads the patch of the entry e of k, whose text is v: inline
// or the path of a file.
func (k *kustomization) readPatch(t *tree, e, v *yaml.Node, json6902, inline bool) *patch {
	p := &patch{entry: e, json6902: json6902}
	var text []byte
	if inline {
		// Inline: literal block scalars keep their lines, starting on the
		// line after their indicator, at the indentation of their first
		// line. Other styles fold or escape lines: positions in them are
		// not known.
		text = []byte(v.Value)
		p.file = k.name
		if v.Style == yaml.LiteralStyle {
			p.line = v.Line
			p.col = indentOf(k.data, v.Line+1)
		} else {
			p.unlocated = true
		}
	} else {
		path := filepath.Join(k.dir, v.Value)
		data, err := readFile(path)
		if err != nil {
			return nil // kustomize reports it
		}
		text = data
		p.file = t.displayName(path)
	}
	docs := decodeAll(text)
	if len(docs) == 0 {
		return nil
	}
	if first := manifest.Deref(docs[0]); first != nil && first.Kind == yaml.SequenceNode {
		p.json6902 = true
		for _, o := range seqItems(first) {
			p.opNodes = append(p.opNodes, o)
			segs, ok := pointer(scalar(value(o, "path")))
			// Only these write the field at path.
			switch scalar(value(o, "op")) {
			case "add", "replace", "copy", "move":
			default:
				ok = false
			}
			if !ok {
				continue
			}
			p.ops = append(p.ops, op{path: segs, node: o, value: value(o, "value")})
		}
		return p
	}
	if json6902 {
		return nil
	}
	for _, d := range docs {
		if d = manifest.Deref(d); d != nil && d.Kind == yaml.MappingNode {
			p.docs = append(p.docs, d)
		}
	}
	return p
}

// indentOf returns the 0-based indentation of the first line from line
// (1-based) of data that is not blank.
func indentOf(data []byte, line int) int {
	lines := strings.Split(string(data), "\n")
	for i := line - 1; i >= 0 && i < len(lines); i++ {
		if t := strings.TrimLeft(lines[i], " "); t != "" {
			return len(lines[i]) - len(t)
		}
	}
	return 0
}

// decodeAll parses every YAML document of data, stopping at the first
// error.
func decodeAll(data []byte) []*yaml.Node {
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var out []*yaml.Node
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			return out
		}
		out = append(out, &n)
	}
}

// pointer parses a JSON pointer into path segments; numbers are list
// indexes, "-" (the end of a list) is the index -2.
func pointer(s string) ([]seg, bool) {
	if !strings.HasPrefix(s, "/") {
		return nil, s == ""
	}
	var out []seg
	for _, tok := range strings.Split(s[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		if n, ok := atoi(tok); ok {
			out = append(out, seg{index: n})
			continue
		}
		if tok == "-" {
			out = append(out, seg{index: -2})
			continue
		}
		out = append(out, seg{key: tok, index: -1})
	}
	return out, true
}

func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
