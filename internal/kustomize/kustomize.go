// Package kustomize builds kustomizations in-process with the Kustomize API
// (krusty) and maps every built object back to the user's own files, so
// that findings on built objects point at the line that wrote the field.
//
// # Building
//
// Build runs krusty on the real disk with kustomize's defaults: loading is
// restricted to the kustomization root (LoadRestrictionsRootOnly), and
// plugins and exec functions are disabled (a generator or transformer
// that needs one is a Problem at its entry); helmCharts is a Problem at
// its line (kubevet checks charts itself). Output is in the order
// kustomize build prints (the kustomization's sortOptions, else
// kustomize's legacy order by kind).
//
// Kubevet builds offline. Before krusty runs, the kustomization and every
// local base and component it includes are read, and any remote source is
// a Problem at its line instead of being fetched: resources, bases or
// components naming a URL or a git repository (github.com/org/repo//dir,
// git@host:org/repo, file:// repositories that git would clone), and
// files such as patches or generator sources naming a URL. That reading
// also reports, at file:line:column, YAML syntax errors, unknown
// kustomization fields, and resources or folders that do not exist.
//
// Errors only krusty finds become Problems at the entry they name when it
// can be found: a cycle or a file outside the root at its resources
// entry, a resource file that is not YAML at its own line, a strategic
// merge patch whose target is missing at the patch entry, a JSON 6902
// operation that does not apply at the operation, a generator source that
// cannot be read at its files or envs item, another failing patch,
// generator or transformer at its entry; else at the root kustomization
// file without a line. A patch whose target names a kind and a plain name
// that no built object has is a Problem at its target, next to the built
// files (kustomize skips such a patch silently). Files are read only when
// regular and at most 64 MiB, so a named pipe or a device cannot stall a
// build. Panics become Problems, and a cancelled context ends the wait
// with a Problem. Kustomize keeps global state (the OpenAPI schema), so
// builds run one at a time. Kustomize itself writes warnings about
// deprecated fields to standard error.
//
// The root kustomization is read with buildMetadata [originAnnotations,
// transformerAnnotations] added (its bases inherit it). The origin
// annotation names the file each object came from; both annotations are
// removed from the output, and metadata.annotations with them when nothing
// else is left.
//
// # Output
//
// Build returns one render.File per built object. Its Name is the source
// file that defined the object, joined to the directory as the user named
// it (examples/kustomize/base/deploy.yaml for kubevet check
// examples/kustomize/overlays/prod); generated ConfigMaps and Secrets are
// named by the kustomization that generates them. Data is the object's
// YAML, one document.
//
// # Locate
//
// Locate maps a field path of the object to a file, line and column, by
// the first of these rules that holds:
//
//  1. The field is in the source document with the value it has after the
//     build (for a scalar; any mapping or list that exists counts): the
//     source document's line. The document is found in the origin file
//     (or among the items of a List in it) by kind and by name: the name
//     with the prefixes and suffixes of the kustomizations it passed
//     through removed, else the built name, else the longest name the
//     built name contains. List items are matched by their merge key (a
//     container by its name), so items added or reordered by patches do
//     not shift positions.
//  2. A patch or transformer of a kustomization the object passes through,
//     the last to apply first (the root kustomization, then its components,
//     then its bases, down to the one that lists the source file), set the
//     field: for a scalar, to the value it has; for a mapping or list, the
//     patch holds it. A field missing from the built object is claimed by
//     no entry. Within a kustomization, in this order: images (the entry
//     whose newName, or name when it has no newName, is the container
//     image's repository); replicas (the object's entry, for
//     spec.replicas); patches, patchesStrategicMerge and patchesJson6902,
//     last entry first (a strategic merge patch at the field's line in the
//     patch file, or in the kustomization for inline patches written as
//     literal blocks, "|", other inline styles at their entry; a JSON 6902
//     add, replace, copy or move at the operation whose path leads to the
//     field, or at the field inside its value); labels and commonLabels
//     (label keys under labels, matchLabels and selector);
//     commonAnnotations (keys under annotations); namePrefix, then
//     nameSuffix (metadata.name); namespace (metadata.namespace);
//     generator literals and files merged into an existing ConfigMap or
//     Secret (its data keys). A patch applies when its target (kind; name
//     as kustomize's anchored regular expression, or the plain name within
//     the built name) or, without a target, its own kind and name match the
//     object; targets chosen only by label or annotation selectors are
//     assumed to match, and the value check keeps false claims rare. A
//     labels, matchLabels, selector or annotations map that is not in the
//     source document is reported at the first label or annotation of the
//     innermost kustomization that sets one.
//  3. For generated objects: the generator entry in the kustomization (the
//     literal or file entry of a data key, the name: line for
//     metadata.name when no namePrefix or nameSuffix claimed it, else the
//     entry).
//  4. The field is in the source document with another value: that line
//     (a transformer kubevet does not model changed it, such as a name
//     reference, replacements or vars).
//  5. The nearest existing parent of the field in the source document, as
//     manifest.Locate finds it (a missing field is reported where it would
//     be added).
//
// The golden table in the tests records how exact this is on a base with
// two overlays and a component. Of its 69 fields, 22 are found in the
// source document; 12 in a patch (strategic merge from a file, inline and
// from a component; JSON 6902 from a file and inline); 18 at a
// kustomization entry (images, replicas, labels, namespace, namePrefix, a
// merged generator literal, a labels map a transformer made); 9 at a
// generator entry (literal and file sources); 1 in the source with the
// value a name reference changed; and 7 missing fields at their nearest
// parent. Answers that name a key in a source or patch file are also
// checked against the text at that line and column.
//
// Not modelled: replacements and vars (rule 4 applies), where a copied or
// moved value came from (the operation is reported), patches that rename
// objects, and remote bases (refused).
package kustomize

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/kubevet/kubevet/internal/manifest"
	"github.com/kubevet/kubevet/internal/render"
)

// Includes returns the folders of the local bases and components the
// kustomization in dir includes, directly or through others, named the way
// dir is: Includes("deploy/overlays/prod") gives "deploy/base". It lets a
// caller check a base through the overlays that include it.
func Includes(dir string) []string {
	t, err := scan(dir, filepath.Clean(dir))
	if err != nil || len(t.all) == 0 {
		return nil
	}
	var out []string
	for _, k := range t.all[1:] {
		out = append(out, filepath.Dir(k.name))
	}
	return out
}

// IsKustomization reports whether dir holds kustomization.yaml,
// kustomization.yml or Kustomization.
func IsKustomization(dir string) bool {
	return kustomizationFile(dir) != ""
}

// buildMu serializes krusty runs: kustomize keeps the OpenAPI schema in a
// global that builds set.
var buildMu sync.Mutex

// Build builds the kustomization in dir and returns one file per built
// object, or the problems that kept it from building.
func Build(ctx context.Context, dir string) (out render.Output) {
	defer func() {
		if v := recover(); v != nil {
			out = render.Output{Problems: []render.Problem{{
				File:    dir,
				Message: fmt.Sprintf("kubevet failed reading this kustomization (a bug, please report it): %v\n%s", v, firstFrames(debug.Stack())),
			}}}
		}
	}()
	t, err := scan(dir, filepath.Clean(dir))
	if err != nil {
		return render.Output{Problems: []render.Problem{{File: dir, Message: err.Error()}}}
	}
	if len(t.problems) > 0 {
		return render.Output{Problems: t.problems}
	}
	root := t.all[0]
	m, err := run(ctx, root, krustyRun)
	if err != nil {
		return render.Output{Problems: []render.Problem{t.problemOf(err)}, Warnings: t.deprecations()}
	}
	out = t.output(m)
	out.Warnings = append(out.Warnings, t.deprecations()...)
	return out
}

// deprecated are the kustomization fields kustomize warns about, with
// what replaces them (types.Kustomization.CheckDeprecatedFields).
var deprecated = []struct{ field, use string }{
	{"bases", "resources"},
	{"commonLabels", "labels"},
	{"imageTags", "images"},
	{"patchesJson6902", "patches"},
	{"patchesStrategicMerge", "patches"},
	{"vars", "replacements"},
}

// deprecations are kustomize's warnings about deprecated fields, at their
// keys, for the kustomizations of the tree (kustomize itself prints them
// to standard error, which Build keeps quiet).
func (t *tree) deprecations() []render.Problem {
	var out []render.Problem
	for _, k := range t.all {
		if k.root == nil {
			continue
		}
		for _, d := range deprecated {
			if key, _ := entry(k.root, d.field); key != nil {
				out = append(out, render.Problem{File: k.name, Line: key.Line, Column: key.Column,
					Message: fmt.Sprintf("%s is deprecated in kustomizations: use %s instead (kustomize edit fix converts it)", d.field, d.use)})
			}
		}
	}
	return out
}

// kustomizer builds the kustomization in dir, reading files from fs.
type kustomizer func(fs filesys.FileSystem, dir string) (resmap.ResMap, error)

// krustyRun is the kustomizer: krusty with options.
func krustyRun(fs filesys.FileSystem, dir string) (resmap.ResMap, error) {
	return krusty.MakeKustomizer(options()).Run(fs, dir)
}

// run builds the kustomization k with build in a goroutine, so that a
// cancelled ctx ends the wait, turning a panic into an error.
func run(ctx context.Context, k *kustomization, build kustomizer) (resmap.ResMap, error) {
	data, err := withBuildMetadata(k.root)
	if err != nil {
		return nil, err
	}
	resolved, err := filepath.EvalSymlinks(k.file)
	if err != nil {
		return nil, err
	}
	fs := &metadataFS{FileSystem: filesys.MakeFsOnDisk(), root: resolved, data: data}
	type result struct {
		m   resmap.ResMap
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if v := recover(); v != nil {
				r = result{err: fmt.Errorf("kustomize panicked: %v\n%s", v, firstFrames(debug.Stack()))}
			}
			done <- r
		}()
		buildMu.Lock()
		defer buildMu.Unlock()
		if ctx.Err() != nil {
			r.err = ctx.Err()
			return
		}
		// Kustomize prints warnings about deprecated fields to standard
		// error; Build reports them itself, at their lines.
		quiet(func() { r.m, r.err = build(fs, k.dir) })
	}()
	select {
	case r := <-done:
		return r.m, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("build stopped: %w", ctx.Err())
	}
}

// quiet runs f with os.Stderr sent to the null device. Only kustomize
// runs meanwhile write there (builds hold buildMu; kubevet writes its own
// messages once the run is over).
func quiet(f func()) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		f()
		return
	}
	saved := os.Stderr
	os.Stderr = null
	defer func() {
		os.Stderr = saved
		null.Close()
	}()
	f()
}

// options are krusty's defaults (root-only loading, no plugins) with the
// output order of kustomize build and kubectl kustomize: the
// kustomization's sortOptions, else kustomize's legacy order by kind.
func options() *krusty.Options {
	o := krusty.MakeDefaultOptions()
	o.Reorder = krusty.ReorderOptionUnspecified
	return o
}

// firstFrames keeps the top of a stack trace, enough to find the panic.
func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	return strings.Join(lines[:min(len(lines), 16)], "\n")
}

// withBuildMetadata returns the kustomization root with originAnnotations
// and transformerAnnotations added to its buildMetadata.
func withBuildMetadata(root *yaml.Node) ([]byte, error) {
	n := &yaml.Node{}
	*n = *root
	n.Content = slices.Clone(root.Content)
	want := []string{types.OriginAnnotations, types.TransformerAnnotations}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	if _, v := entry(n, "buildMetadata"); v != nil && v.Kind == yaml.SequenceNode {
		for _, c := range v.Content {
			if c.Kind == yaml.ScalarNode && !slices.Contains(want, c.Value) {
				seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: c.Value})
			}
		}
	}
	for _, w := range want {
		seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: w})
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "buildMetadata" {
			n.Content = slices.Delete(n.Content, i, i+2)
			i -= 2
		}
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "buildMetadata"}, seq)
	return yaml.Marshal(n)
}

// output turns the built objects into files.
func (t *tree) output(m resmap.ResMap) render.Output {
	var out render.Output
	var objects []*object
	docs := map[string][]*yaml.Node{}
	for _, res := range m.Resources() {
		origin, _ := res.GetOrigin()
		if err := res.SetOrigin(nil); err != nil {
			out.Problems = append(out.Problems, render.Problem{File: t.all[0].name, Message: err.Error()})
			continue
		}
		if err := res.ClearTransformations(); err != nil {
			out.Problems = append(out.Problems, render.Problem{File: t.all[0].name, Message: err.Error()})
			continue
		}
		s, err := res.RNode.String()
		if err != nil {
			out.Problems = append(out.Problems, render.Problem{File: t.all[0].name, Message: fmt.Sprintf("%s %s: %v", res.GetKind(), res.GetName(), err)})
			continue
		}
		data := []byte(s)
		o := t.object(res, origin, data, docs)
		objects = append(objects, o)
		out.Files = append(out.Files, render.File{
			Name: o.file,
			Data: data,
			Locate: func(_ int, path string, _, _ int) (string, int, int) {
				p := o.locate(path)
				return p.file, p.line, p.col
			},
		})
	}
	out.Problems = append(out.Problems, t.unmatchedPatches(objects)...)
	return out
}

// unmatchedPatches reports the patches whose target names a kind and a
// plain name (no regular expression) that no built object has: kustomize
// skips them silently, and it is most often a typo or a renamed object.
func (t *tree) unmatchedPatches(objects []*object) []render.Problem {
	var out []render.Problem
	for _, k := range t.all {
		for _, p := range k.patches {
			if p.target == nil || p.target.name == nil || p.target.kind == "" || p.targetNode == nil {
				continue
			}
			name := plainName(p.target.name.String())
			if name == "" {
				continue
			}
			found := false
			for _, o := range objects {
				if o.kind == p.target.kind && strings.Contains(o.name, name) {
					found = true
					break
				}
			}
			if !found {
				out = append(out, render.Problem{
					File: k.name, Line: p.targetNode.Line, Column: p.targetNode.Column,
					Message: fmt.Sprintf("patch target %s %q matches no object, so kustomize skips the patch: check the target's kind and name", p.target.kind, name),
				})
			}
		}
	}
	return out
}

// object finds where res came from.
func (t *tree) object(res *resource.Resource, origin *resource.Origin, data []byte, docs map[string][]*yaml.Node) *object {
	o := &object{kind: res.GetKind(), name: res.GetName(), file: t.all[0].name}
	var built yaml.Node
	if yaml.Unmarshal(data, &built) == nil {
		o.built = manifest.Deref(&built)
	}
	var owners []*kustomization
	var src string         // the absolute source file
	var gen *kustomization // the generating kustomization
	switch {
	case origin != nil && origin.Path != "":
		src = filepath.Join(t.rootDir, origin.Path)
		o.file = t.displayName(src)
		owners = t.owners[src]
	case origin != nil && origin.ConfiguredIn != "":
		if gen = t.byFile[filepath.Join(t.rootDir, origin.ConfiguredIn)]; gen != nil {
			o.file = gen.name
			owners = []*kustomization{gen}
		}
	}
	if len(owners) == 0 {
		owners = t.all
	}
	o.chain = ancestors(owners)
	switch {
	case src != "":
		ds, ok := docs[src]
		if !ok {
			if b, err := readFile(src); err == nil {
				ds = decodeAll(b)
			}
			docs[src] = ds
		}
		o.source = findDoc(ds, o.kind, o.original(o.name), o.name)
	case gen != nil:
		o.gen = gen.generator(origin.ConfiguredBy.Kind, o.original(hashSuffix.ReplaceAllString(o.name, "")), o.name)
	}
	return o
}

// hashSuffix is the content hash kustomize appends to generated names.
var hashSuffix = regexp.MustCompile(`-[a-z0-9]{10}$`)

// original returns the name before the prefixes and suffixes of the
// kustomizations the object passed through.
func (o *object) original(name string) string {
	for _, k := range o.chain {
		name = strings.TrimPrefix(name, k.namePrefix.value)
		name = strings.TrimSuffix(name, k.nameSuffix.value)
	}
	return name
}

// generator returns the entry of k that generated an object, by the kind
// of generator (ConfigMapGenerator), the object's original name, and else
// the longest generator name within the built name. Without one it
// returns an entry for the whole kustomization.
func (k *kustomization) generator(by, original, built string) *generator {
	kind := strings.TrimSuffix(by, "Generator")
	best := -1
	for i, g := range k.generators {
		if g.kind != kind || g.name == "" {
			continue
		}
		if g.name == original {
			return &k.generators[i]
		}
		if strings.Contains(built, g.name) && (best < 0 || len(g.name) > len(k.generators[best].name)) {
			best = i
		}
	}
	if best >= 0 {
		return &k.generators[best]
	}
	return &generator{node: k.root, keys: map[string]*yaml.Node{}}
}

// findDoc returns the document of docs that defined an object of the
// given kind, originally named original and now built: the original name,
// else the built name, else the longest name the built name contains,
// else the only document of that kind.
func findDoc(docs []*yaml.Node, kind, original, built string) *yaml.Node {
	var best, only, same *yaml.Node
	bestLen, ofKind := -1, 0
	var all []*yaml.Node
	for _, d := range docs {
		d = manifest.Deref(d)
		all = append(all, d)
		// Kustomize reads the items of a List as objects.
		if strings.HasSuffix(scalar(value(d, "kind")), "List") {
			all = append(all, seqItems(value(d, "items"))...)
		}
	}
	for _, d := range all {
		if d == nil || d.Kind != yaml.MappingNode || scalar(value(d, "kind")) != kind {
			continue
		}
		ofKind++
		only = d
		n := scalar(value(value(d, "metadata"), "name"))
		switch {
		case n == original:
			return d
		case n == built:
			same = d
		case n != "" && strings.Contains(built, n) && len(n) > bestLen:
			best, bestLen = d, len(n)
		}
	}
	if same != nil {
		return same
	}
	if best != nil {
		return best
	}
	if ofKind == 1 {
		return only
	}
	return nil
}

// ancestors returns ks, every kustomization that includes them, and the
// components of those, the last to apply first: by distance from the
// root, components (which apply after the resources of the kustomization
// that lists them) before bases.
func ancestors(ks []*kustomization) []*kustomization {
	seen := map[*kustomization]bool{}
	var out []*kustomization
	var add func(k *kustomization)
	add = func(k *kustomization) {
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, k)
		for _, p := range k.parents {
			add(p)
		}
		for _, c := range k.components {
			add(c)
		}
	}
	for _, k := range ks {
		add(k)
	}
	slices.SortStableFunc(out, func(a, b *kustomization) int {
		if c := cmp.Compare(a.depth, b.depth); c != 0 {
			return c
		}
		switch {
		case a.component() && !b.component():
			return -1
		case b.component() && !a.component():
			return 1
		}
		return 0
	})
	return out
}

func (k *kustomization) component() bool {
	return scalar(value(k.root, "kind")) == "Component"
}

// accumulating names the resource entry krusty was reading.
var accumulating = regexp.MustCompile(`accumulating resources from '([^']*)'|loader.New "?([^ "]+)`)

// noMatch names the object a strategic merge patch found no target for.
var noMatch = regexp.MustCompile(`no matches for (?:Id|OriginalId) ([A-Za-z0-9]+)\.[^/ ]*/([^.\s]+)`)

var absPath = regexp.MustCompile(`/[^\s'":]+`)

// relative shows the absolute paths in a kustomize message as the user
// named the kustomization: relative to the working directory when the
// user named it by a relative path.
func (t *tree) relative(msg string) string {
	if filepath.IsAbs(t.display) {
		return msg
	}
	wd, err := os.Getwd()
	if err != nil {
		return msg
	}
	return absPath.ReplaceAllStringFunc(msg, func(p string) string {
		rel, err := filepath.Rel(wd, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			return p
		}
		return rel
	})
}

// trouble is a builtin generator or transformer that failed: its kind,
// its config (the kustomization entry as YAML), and the error.
var trouble = regexp.MustCompile("(?s)trouble configuring builtin (\\w+) with config: `\n(.*?)`: (.*)")

// kvSources lists the files or env files of a generator that failed.
var kvSources = regexp.MustCompile(`(?:file|env) sources: \[([^\]]*)\]`)

// plugin names the kind of a generator or transformer config that would
// need an external plugin.
var plugin = regexp.MustCompile(`unable to load external plugin '([^']+)'`)

// opPath names the path of a JSON 6902 operation that failed.
var opPath = regexp.MustCompile(`operation does not apply: doc is missing path: "([^"]+)"`)

// problemOf turns a krusty error into a Problem at the entry it names.
func (t *tree) problemOf(err error) render.Problem {
	msg := err.Error()
	p := render.Problem{File: t.all[0].name, Message: "kustomize build failed: " + t.relative(msg)}
	if ms := accumulating.FindAllStringSubmatch(err.Error(), -1); len(ms) > 0 {
		last := ms[len(ms)-1]
		ref := cmp.Or(last[1], last[2])
		for _, k := range t.all {
			for _, field := range []string{"resources", "bases", "components"} {
				for _, e := range seqItems(value(k.root, field)) {
					if e.Value != ref {
						continue
					}
					p.File, p.Line, p.Column = k.name, e.Line, e.Column
					// A resource file that is not YAML: its own line.
					if strings.Contains(err.Error(), "MalformedYAMLError") {
						f := filepath.Join(k.dir, ref)
						if data, rerr := readFile(f); rerr == nil && !parses(string(data)) {
							p.File, p.Line, p.Column = t.displayName(f), errorLine(data, err), 0
						}
					}
					return p
				}
			}
		}
	}
	if m := trouble.FindStringSubmatch(err.Error()); m != nil {
		p.Message = fmt.Sprintf("kustomize build failed: %s: %s", m[1], t.relative(m[3]))
		if k, e := t.configEntry(m[1], m[2]); e != nil {
			p.File, p.Line, p.Column = k.name, e.Line, e.Column
		}
		return p
	}
	if m := kvSources.FindStringSubmatch(err.Error()); m != nil {
		if k, e := t.sourceEntry(strings.Fields(m[1])); e != nil {
			p.File, p.Line, p.Column = k.name, e.Line, e.Column
			return p
		}
	}
	if m := plugin.FindStringSubmatch(err.Error()); m != nil {
		if k, e := t.pluginEntry(m[1]); e != nil {
			p.File, p.Line, p.Column = k.name, e.Line, e.Column
			p.Message = fmt.Sprintf("%s needs an external kustomize plugin (%s), which kubevet does not run: kustomize build failed: %s", e.Value, m[1], t.relative(err.Error()))
			return p
		}
	}
	if m := opPath.FindStringSubmatch(err.Error()); m != nil {
		for _, k := range t.all {
			for _, pt := range k.patches {
				for _, op := range pt.opNodes {
					if scalar(value(op, "path")) == m[1] {
						pos := pt.at(op)
						p.File, p.Line, p.Column = pos.file, pos.line, pos.col
						return p
					}
				}
			}
		}
	}
	if m := noMatch.FindStringSubmatch(err.Error()); m != nil {
		for _, k := range t.all {
			for _, pt := range k.patches {
				for _, d := range pt.docs {
					if scalar(value(d, "kind")) == m[1] && scalar(value(value(d, "metadata"), "name")) == m[2] {
						p.File, p.Line, p.Column = k.name, pt.entry.Line, pt.entry.Column
						return p
					}
				}
			}
		}
	}
	return p
}

// pluginEntry returns the generators, transformers or validators entry
// whose config has the given kind.
func (t *tree) pluginEntry(kind string) (*kustomization, *yaml.Node) {
	for _, k := range t.all {
		for _, field := range []string{"generators", "transformers", "validators"} {
			for _, e := range seqItems(value(k.root, field)) {
				text := []byte(e.Value)
				if !strings.Contains(e.Value, "\n") {
					var err error
					if text, err = readFile(filepath.Join(k.dir, e.Value)); err != nil {
						continue
					}
				}
				for _, d := range decodeAll(text) {
					if scalar(value(manifest.Deref(d), "kind")) == kind {
						return k, e
					}
				}
			}
		}
	}
	return nil, nil
}

// configEntry returns the kustomization entry a builtin generator or
// transformer of the given kind was configured from, found by the path,
// inline patch or name in its config.
func (t *tree) configEntry(kind, config string) (*kustomization, *yaml.Node) {
	var doc yaml.Node
	if yaml.Unmarshal([]byte(config), &doc) != nil {
		return nil, nil
	}
	cfg := manifest.Deref(&doc)
	fields := map[string][]string{
		"PatchTransformer":               {"patches"},
		"PatchJson6902Transformer":       {"patchesJson6902", "patches"},
		"PatchStrategicMergeTransformer": {"patchesStrategicMerge"},
		"ConfigMapGenerator":             {"configMapGenerator"},
		"SecretGenerator":                {"secretGenerator"},
		"ReplicaCountTransformer":        {"replicas"},
		"ImageTagTransformer":            {"images"},
		"HelmChartInflationGenerator":    {"helmCharts"},
		"ReplacementTransformer":         {"replacements"},
	}[kind]
	for _, k := range t.all {
		for _, field := range fields {
			for _, e := range seqItems(value(k.root, field)) {
				for _, key := range []string{"path", "patch", "name"} {
					if v := scalar(value(cfg, key)); v != "" && scalar(value(e, key)) == v {
						return k, e
					}
				}
			}
		}
	}
	return nil, nil
}

// sourceEntry returns the files or envs item of a generator that names one
// of sources.
func (t *tree) sourceEntry(sources []string) (*kustomization, *yaml.Node) {
	for _, k := range t.all {
		for _, field := range []string{"configMapGenerator", "secretGenerator"} {
			for _, g := range seqItems(value(k.root, field)) {
				for _, list := range []string{"files", "envs", "env"} {
					v := value(g, list)
					items := seqItems(v)
					if v != nil && v.Kind == yaml.ScalarNode {
						items = []*yaml.Node{v}
					}
					for _, item := range items {
						if slices.Contains(sources, item.Value) {
							return k, item
						}
					}
				}
			}
		}
	}
	return nil, nil
}
