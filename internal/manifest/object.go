package manifest

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	appsv1 "k8s.io/api/apps/v1"
	appsv1beta1 "k8s.io/api/apps/v1beta1"
	appsv1beta2 "k8s.io/api/apps/v1beta2"
	batchv1 "k8s.io/api/batch/v1"
	batchv1beta1 "k8s.io/api/batch/v1beta1"
	corev1 "k8s.io/api/core/v1"
	extv1beta1 "k8s.io/api/extensions/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"reflect"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "sigs.k8s.io/json"

	"github.com/kubevet/kubevet/internal/spill"

	"gopkg.in/yaml.v3"
)

// Object is one Kubernetes object read from a source, with the YAML node tree
// it came from so that findings can be placed on their line and column.
type Object struct {
	// File is the source file ("-" for standard input, empty for objects
	// read from a live cluster).
	File string
	// Doc is the 0-based index of the document in its file.
	Doc int
	// Node is the object's mapping node; nil for live objects.
	Node *yaml.Node
	// lineOffset is added to node lines (documents are parsed one at a time).
	lineOffset int

	APIVersion string
	Kind       string
	Name       string
	Namespace  string
	// NamespaceDefaulted is true when the manifest has no metadata.namespace
	// and Namespace was filled with the default one kubectl apply would use.
	NamespaceDefaulted bool
	// OperatorPods is true for an object of a custom kind without a pod
	// template whose spec describes pods that its operator creates
	// (replicas, instances, image, podTemplate, podMetadata or containers
	// in its spec: a prometheus-operator Alertmanager, a Strimzi Kafka, a
	// CloudNativePG Cluster). Their pods and labels are not in the input.
	// (Next to NamespaceDefaulted: the two share a word, which keeps an
	// Object in the 288-byte size class.)
	OperatorPods bool
	Labels       map[string]string
	Annotations  map[string]string

	// PodLabels are the labels of the object's pod template (nil when it
	// has none). They stay when the object is detached, for selectors.
	PodLabels map[string]string

	// state holds the typed object and its pod template (see Typed and
	// PodTemplate). A detached object keeps them packed as protobuf, which
	// costs a fraction of the memory and nothing to the garbage collector,
	// and unpacks them when asked.
	state  atomic.Pointer[hydrated]
	packed []byte
	hasPT  bool
	// metaOut and podLabelsOut are set when the packed form leaves out the
	// labels and annotations (the object's own, or its pod template's
	// labels) that the object keeps in Labels, Annotations and PodLabels:
	// unpacking shares those maps instead of decoding copies.
	metaOut, podLabelsOut bool
	// pinned objects keep what they unpack; others unpack for each caller,
	// so that memory holds only the objects being worked on (see Pin).
	pinned atomic.Bool

	json []byte
	src  source
	// pos places findings on a detached object (see Detach); it may be
	// kept in posStore instead, at posRef (see SpillPositions).
	pos      *posIndex
	posRef   spill.Ref
	posStore *spill.Store
}

type hydrated struct {
	typed runtime.Object
	pt    *PodTemplate
}

// protoMessage is what the generated k8s.io/api types implement.
type protoMessage interface {
	Marshal() ([]byte, error)
	Unmarshal([]byte) error
}

// setTyped records the decoded typed object and derives the pod template.
func (o *Object) setTyped(t runtime.Object, pt *PodTemplate) {
	o.state.Store(&hydrated{typed: t, pt: pt})
	o.hasPT = pt != nil
	if pt != nil {
		o.PodLabels = pt.Meta.Labels
	}
}

// Typed is the decoded k8s.io/api struct (*appsv1.Deployment, ...), or nil
// for kinds that are not built in. Safe for concurrent use; callers must
// not modify it.
func (o *Object) Typed() runtime.Object {
	if h := o.hydrate(); h != nil {
		return h.typed
	}
	return nil
}

// PodTemplate is the object's pod spec, or nil for objects without one.
// Safe for concurrent use; callers must not modify it.
func (o *Object) PodTemplate() *PodTemplate {
	if h := o.hydrate(); h != nil {
		return h.pt
	}
	return nil
}

// HasPodTemplate reports whether the object carries a pod spec, without
// unpacking a detached object.
func (o *Object) HasPodTemplate() bool { return o.hasPT }

func (o *Object) hydrate() *hydrated {
	if h := o.state.Load(); h != nil {
		return h
	}
	if o.packed == nil {
		return nil
	}
	t := newTyped(o.GVK())
	if m, ok := t.(protoMessage); !ok || m.Unmarshal(o.packed) != nil {
		return nil // cannot happen: packed was made from the same type
	}
	h := &hydrated{typed: t, pt: podTemplateOf(t)}
	o.putBackShared(t, h.pt)
	if !o.pinned.Load() {
		return h
	}
	if o.state.CompareAndSwap(nil, h) {
		return h
	}
	return o.state.Load()
}

// Pin makes a detached object keep its typed form once unpacked, while
// checks work on it and its neighbours; Unpin drops it again.
func (o *Object) Pin() { o.pinned.Store(true) }

// Unpin undoes Pin and drops the unpacked typed form of a detached object.
func (o *Object) Unpin() {
	o.pinned.Store(false)
	if o.packed != nil {
		o.state.Store(nil)
	}
}

// DropPositions drops the position index of a detached object once no
// finding can be reported on it any more (the checks across objects are
// done with it): Locate and Has would then read the document again.
func (o *Object) DropPositions() { o.pos, o.posStore = nil, nil }

// SpillPositions moves the position index of a detached object into s
// until Locate or Has needs it.
func (o *Object) SpillPositions(s *spill.Store) {
	if o.pos == nil {
		return
	}
	ref := s.Put(o.pos.appendTo(make([]byte, 0, 4+4*len(o.pos.ents))))
	o.pos, o.posRef, o.posStore = nil, ref, s
}

// positions returns the position index of a detached object, read back
// from its spill store if need be; nil when there is none.
func (o *Object) positions() *posIndex {
	if o.pos == nil && o.posStore != nil {
		b, err := o.posStore.Get(o.posRef, nil)
		o.posStore = nil
		if ix, ok := readPosIndex(b); err == nil && ok {
			o.pos = &ix
		}
	}
	return o.pos
}

// ShareMaps replaces the label and annotation maps of a detached object by
// the equal maps share returns, so that objects with the same labels hold
// one copy of them. The maps are read-only like the rest of the object.
// Call it before the object is shared between goroutines.
func (o *Object) ShareMaps(share func(map[string]string) map[string]string) {
	o.Labels = share(o.Labels)
	o.Annotations = share(o.Annotations)
	o.PodLabels = share(o.PodLabels)
}

// source says where an object's document is, so that its node tree can be
// dropped after the single-object checks and read again only if a check
// that looks across objects reports on it.
type source struct {
	offset    int64
	length    int
	startLine int
	item      int    // index in a List's items, or -1
	data      []byte // the document itself, for standard input
}

// Detach drops the object's node tree and caches, keeping what is needed to
// read them again (Reload). Objects kept for checks across objects are
// detached so that memory does not grow with the input. The positions of
// the object's fields stay in a compact index (see posIndex), so that
// Locate and Has rarely need to read the document again.
//
// Detach also drops the parts of the typed object that no check across
// objects reads (container probes, commands, security contexts, ConfigMap
// and Secret payloads, status), so that keeping every object of a large
// input stays cheap. Checks across objects see detached objects, in tests
// as in runs (the fixture harness detaches them too).
func (o *Object) Detach() {
	if o.Node != nil && o.File != "" {
		if ix := buildPosIndex(o.Node, o.lineOffset); ix.ents != nil {
			o.pos = &ix
		}
	}
	o.Node = nil
	h := o.state.Load()
	if h == nil {
		return // already detached and unpacked nothing since
	}
	if h.typed == nil {
		o.JSON() // custom kinds keep their JSON form and typed pod template
		return
	}
	o.json = nil
	if o.packed == nil {
		m, ok := h.typed.(protoMessage)
		if !ok {
			return // not a generated API type: keep it as it is
		}
		slim(h.typed)
		o.leaveOutShared(h)
		data, err := m.Marshal()
		if err != nil {
			return
		}
		o.packed = data
	}
	o.state.Store(nil)
}

// leaveOutShared takes out of the typed object (about to be packed and
// dropped) the label and annotation maps the object also holds in its
// fields, so that the packed form does not carry them twice.
func (o *Object) leaveOutShared(h *hydrated) {
	if m, ok := h.typed.(metav1.Object); ok && sameMap(m.GetLabels(), o.Labels) && sameMap(m.GetAnnotations(), o.Annotations) {
		m.SetLabels(nil)
		m.SetAnnotations(nil)
		o.metaOut = true
	}
	// (A Pod's template metadata is its own: its labels are out already.)
	if h.pt != nil && h.pt.Meta != nil && h.pt.Meta.Labels != nil && sameMap(h.pt.Meta.Labels, o.PodLabels) {
		h.pt.Meta.Labels = nil
		o.podLabelsOut = true
	}
}

// putBackShared undoes leaveOutShared on a freshly unpacked typed object.
func (o *Object) putBackShared(t runtime.Object, pt *PodTemplate) {
	if o.metaOut {
		if m, ok := t.(metav1.Object); ok {
			m.SetLabels(o.Labels)
			m.SetAnnotations(o.Annotations)
		}
	}
	if o.podLabelsOut && pt != nil && pt.Meta != nil {
		pt.Meta.Labels = o.PodLabels
	}
}

// sameMap reports whether a and b are the same map (or both nil).
func sameMap(a, b map[string]string) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// Reload reads the object's document again and restores its node tree.
func (o *Object) Reload() error {
	if o.Node != nil {
		return nil
	}
	if o.src.item >= 0 {
		return o.reloadItem()
	}
	data, err := o.readSource()
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return err
	}
	return o.restore(deref(&doc))
}

// readSource reads the object's document.
func (o *Object) readSource() ([]byte, error) {
	if o.src.data != nil {
		return o.src.data, nil
	}
	f, err := os.Open(o.File)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data := make([]byte, o.src.length)
	if _, err := f.ReadAt(data, o.src.offset); err != nil {
		return nil, err
	}
	return data, nil
}

// restore makes root the object's node tree if it is still the object.
func (o *Object) restore(root *yaml.Node) error {
	if root == nil || scalarAt(root, "kind") != o.Kind || o.Name != "" && !hasName(root, o.Name) {
		return errors.New("document changed since it was read")
	}
	o.Node = root
	o.lineOffset = o.src.startLine - 1
	return nil
}

// listDocs keeps the items of the List documents parsed last. The items of
// one List are reloaded one after the other (for the findings of checks
// across objects); parsing the whole List for each would make a kubectl get
// -o yaml dump quadratic: 4,000 Deployments in one List took minutes, in
// 4,000 documents half a second. Node trees are only read once parsed, so
// objects may share them.
var listDocs struct {
	sync.Mutex
	entries [2]listDoc
	next    int
}

type listDoc struct {
	file   string
	offset int64
	length int
	data   *byte // the document in memory (standard input), nil for files
	items  []*yaml.Node
}

// listParses counts the List documents Reload parsed, for tests.
var listParses atomic.Int64

func (o *Object) reloadItem() error {
	key := listDoc{file: o.File, offset: o.src.offset, length: o.src.length}
	if len(o.src.data) > 0 {
		key.data = &o.src.data[0]
	}
	listDocs.Lock()
	var items []*yaml.Node
	for _, e := range listDocs.entries {
		if e.items != nil && e.file == key.file && e.offset == key.offset && e.length == key.length && e.data == key.data {
			items = e.items
			break
		}
	}
	listDocs.Unlock()
	if items != nil && o.src.item < len(items) && o.restore(deref(items[o.src.item])) == nil {
		return nil
	}
	data, err := o.readSource()
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return err
	}
	listParses.Add(1)
	seq, ok := lookupValue(deref(&doc), "items")
	if !ok || seq.Kind != yaml.SequenceNode || o.src.item >= len(seq.Content) {
		return errors.New("document changed since it was read")
	}
	key.items = seq.Content
	listDocs.Lock()
	listDocs.entries[listDocs.next] = key
	listDocs.next = (listDocs.next + 1) % len(listDocs.entries)
	listDocs.Unlock()
	return o.restore(deref(seq.Content[o.src.item]))
}

func hasName(root *yaml.Node, name string) bool {
	meta, _ := lookupValue(root, "metadata")
	return scalarAt(meta, "name") == name
}

// PodTemplate is the pod spec carried by a workload, wherever it sits.
type PodTemplate struct {
	// Meta is the pod template's metadata (the object's own for a Pod).
	Meta *metav1.ObjectMeta
	// MetaPath is the path of Meta in the object.
	MetaPath Path
	Spec     *corev1.PodSpec
	// SpecPath is the path of Spec in the object (spec.template.spec, ...).
	SpecPath Path

	once       sync.Once
	containers []Container
}

// GVK returns the object's group, version and kind.
func (o *Object) GVK() schema.GroupVersionKind {
	return schema.FromAPIVersionAndKind(o.APIVersion, o.Kind)
}

// Group returns the API group ("" for the core group).
func (o *Object) Group() string {
	if i := strings.LastIndexByte(o.APIVersion, '/'); i >= 0 {
		return o.APIVersion[:i]
	}
	return ""
}

// Locate returns the source position of p, or of its nearest existing
// parent (exact=false). Live objects have no position.
//
// A detached object reads its document again first. Only the goroutine
// that owns the object (a check's p.Object) may call it.
func (o *Object) Locate(p Path) (Position, bool) {
	if o.Node == nil {
		if pos, exact, ok := o.positions().locate(p); ok {
			return pos, exact
		}
	}
	if o.Node == nil && o.File != "" && o.Reload() != nil {
		return Position{}, false
	}
	if o.Node == nil {
		return Position{}, false
	}
	pos, exact := Locate(o.Node, p)
	if pos.Line > 0 {
		pos.Line += o.lineOffset
	}
	return pos, exact
}

// Start returns the position of the object's first line.
func (o *Object) Start() Position {
	p, _ := o.Locate(Path{})
	return p
}

// JSON returns the object as JSON.
func (o *Object) JSON() []byte {
	if o.json == nil && o.Node != nil {
		o.json, _, _ = ToJSON(o.Node)
	}
	return o.json
}

// Has reports whether the field at p is present in the source.
//
// Like Locate, it reads a detached object's document again: only the
// object's owner may call it.
func (o *Object) Has(p Path) bool {
	if o.Node == nil {
		if _, exact, ok := o.positions().locate(p); ok {
			return exact
		}
	}
	if o.Node == nil && o.File != "" && o.Reload() != nil {
		return false
	}
	if o.Node == nil {
		return false
	}
	_, exact := Locate(o.Node, p)
	return exact
}

// Unstructured decodes the object into generic maps, for kinds that are not
// built in.
func (o *Object) Unstructured() (map[string]any, error) {
	var m map[string]any
	err := kjson.UnmarshalCaseSensitivePreserveInts(o.JSON(), &m)
	return m, err
}

// Diagnostic is a problem with the input itself, found while reading it.
type Diagnostic struct {
	// Kind is the check ID the engine reports the diagnostic under.
	Kind string
	File string
	Pos  Position
	// Path is the field path inside Object, when the problem is in a field.
	Path    Path
	Object  *Object
	Message string
}

// Diagnostic kinds. They are reported as findings of the check with the
// same ID.
const (
	DiagSyntax        = "yaml-syntax"
	DiagDuplicateKey  = "duplicate-key"
	DiagUnknownField  = "unknown-field"
	DiagFieldType     = "invalid-field-type"
	DiagInvalidObject = "invalid-object"
)

// Decoded is what one document holds.
type Decoded struct {
	Objects     []*Object
	Diagnostics []Diagnostic
	// NotKubernetes is set for a document that parsed but has no apiVersion
	// and kind (a values file, a Chart.yaml...). It is skipped with a note.
	NotKubernetes bool
	Empty         bool
}

// Options control decoding.
type Options struct {
	// DefaultNamespace is given to namespaced objects without one ("default"
	// when empty), as kubectl apply would.
	DefaultNamespace string
	// InMemory says the stream cannot be read again from its file (standard
	// input, or a file converted from UTF-16): objects keep their document
	// to find positions again after Detach.
	InMemory bool
}

// parserErrors are the messages yaml.v3's parser (not its scanner) gives.
var parserErrors = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected key", "did not find expected node content",
	"did not find expected '-' indicator", "did not find expected <document start>",
}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Decode parses one document cut by the Splitter.
func Decode(file string, c Chunk, opt Options) Decoded {
	var out Decoded
	if c.Err != nil {
		out.Diagnostics = append(out.Diagnostics, Diagnostic{Kind: DiagSyntax, File: file, Pos: Position{Line: c.StartLine, Column: 1}, Message: c.Err.Error()})
		return out
	}
	if !HasContent(c.Data) {
		out.Empty = true // comments only: yaml.v3 would make a comment node of them
		return out
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(c.Data, &doc); err != nil {
		out.Diagnostics = append(out.Diagnostics, syntaxDiagnostic(file, c, err))
		return out
	}
	return DecodeNode(file, c, &doc, c.StartLine-1, opt)
}

// DecodeNode decodes the parsed document doc of chunk c; node lines plus
// offset are file lines.
func DecodeNode(file string, c Chunk, doc *yaml.Node, offset int, opt Options) Decoded {
	var out Decoded
	root := deref(doc)
	if root == nil || root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		out.Empty = true
		return out
	}
	if root.Kind != yaml.MappingNode {
		out.NotKubernetes = true
		return out
	}
	apiVersion, kind := scalarAt(root, "apiVersion"), scalarAt(root, "kind")
	if kind == "" && (apiVersion == "" || !hasKey(root, "metadata")) {
		// Values files, Chart.yaml (apiVersion: v2 and no kind), other
		// tools' configuration.
		out.NotKubernetes = true
		return out
	}
	src := source{offset: c.Offset, length: len(c.Data), startLine: c.StartLine, item: -1}
	if file == "-" || opt.InMemory {
		src.data = c.Data
	}
	obj := &Object{File: file, Doc: c.Index, Node: root, lineOffset: offset, src: src}
	if strings.HasSuffix(kind, "List") && root != nil {
		if items, ok := lookupValue(root, "items"); ok && items.Kind == yaml.SequenceNode {
			for i, item := range items.Content {
				item = deref(item)
				if item == nil || item.Kind != yaml.MappingNode {
					out.Diagnostics = append(out.Diagnostics, Diagnostic{Kind: DiagInvalidObject, File: file, Pos: Position{Line: items.Line + offset, Column: items.Column}, Message: fmt.Sprintf("items[%d] of %s is not an object", i, kind)})
					continue
				}
				isrc := src
				isrc.item = i
				sub := &Object{File: file, Doc: c.Index, Node: item, lineOffset: offset, src: isrc}
				out.addObject(sub, opt)
			}
			return out
		}
	}
	out.addObject(obj, opt)
	return out
}

func (out *Decoded) addObject(o *Object, opt Options) {
	n := o.Node
	o.APIVersion, o.Kind = scalarAt(n, "apiVersion"), scalarAt(n, "kind")
	if o.APIVersion == "" || o.Kind == "" {
		missing := "apiVersion"
		if o.Kind == "" {
			missing = "kind"
		}
		out.Diagnostics = append(out.Diagnostics, Diagnostic{Kind: DiagInvalidObject, File: o.File, Pos: o.Start(), Object: o, Message: "object has no " + missing})
		return
	}
	gvk := o.GVK()
	if typed := newTyped(gvk); typed != nil {
		for _, e := range decodeTyped(n, typed) {
			out.fieldError(o, e)
		}
		o.setTyped(typed, podTemplateOf(typed))
		if m, ok := typed.(metav1.Object); ok {
			o.Name, o.Namespace = m.GetName(), m.GetNamespace()
			o.Labels, o.Annotations = m.GetLabels(), m.GetAnnotations()
		}
	} else {
		// A kind that is not built in: only its metadata is typed. Its
		// JSON form is kept for checks that read it unstructured.
		data, dups, err := ToJSON(n)
		for _, dk := range dups {
			out.fieldError(o, FieldError{Kind: DiagDuplicateKey, Pos: dk.Pos, Prev: dk.Prev, Msg: dk.Msg})
		}
		if err != nil {
			pos := Position{Line: n.Line, Column: n.Column}
			var ke *KeyError
			if errors.As(err, &ke) {
				pos = ke.Pos
			}
			out.fieldError(o, FieldError{Kind: DiagSyntax, Pos: pos, Msg: err.Error()})
			return
		}
		o.json = data
		if meta, ok := lookupValue(n, "metadata"); ok {
			var m metav1.ObjectMeta
			d := typedDecoder{path: []pathElem{{key: "metadata", index: -1}}}
			d.value(meta, reflect.ValueOf(&m).Elem(), Position{Line: meta.Line, Column: meta.Column})
			for _, e := range d.errs {
				if e.Kind != DiagUnknownField { // custom kinds may extend nothing in metadata, but are validated by their CRD
					out.fieldError(o, e)
				}
			}
			o.Name, o.Namespace = m.Name, m.Namespace
			o.Labels, o.Annotations = m.Labels, m.Annotations
		}
	}
	if o.Namespace == "" && !IsClusterScoped(gvk) {
		o.NamespaceDefaulted = true
		o.Namespace = opt.DefaultNamespace
		if o.Namespace == "" {
			o.Namespace = "default"
		}
	}
	if o.state.Load() == nil {
		o.setTyped(nil, customPodTemplate(n)) // a kind that is not built in
		o.OperatorPods = !o.hasPT && gvk.Group != "apiextensions.k8s.io" && describesPods(n)
	}
	out.Objects = append(out.Objects, o)
}

// fieldError turns a decoding problem into a diagnostic on its field.
func (out *Decoded) fieldError(o *Object, e FieldError) {
	pos := e.Pos
	pos.Line += o.lineOffset
	msg := e.Msg
	switch e.Kind {
	case DiagDuplicateKey:
		msg = fmt.Sprintf("key %q is defined twice (first at line %d); kubectl rejects the document, other tools keep the last value", e.Msg, e.Prev.Line+o.lineOffset)
	case DiagUnknownField:
		msg += ": the API server rejects it under kubectl's default strict validation, or drops it; check the spelling and indentation"
	}
	out.Diagnostics = append(out.Diagnostics, Diagnostic{Kind: e.Kind, File: o.File, Pos: pos, Path: e.Path, Object: o, Message: msg})
}

func syntaxDiagnostic(file string, c Chunk, err error) Diagnostic {
	msg := err.Error()
	line := 1
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		// yaml.v3 numbers the lines of parser errors (unlike scanner
		// errors) from 0; those messages are the parser's.
		for _, p := range parserErrors {
			if strings.HasPrefix(msg, p) {
				line++
				break
			}
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	return Diagnostic{Kind: DiagSyntax, File: file, Pos: Position{Line: c.StartLine - 1 + line, Column: 1}, Message: "YAML syntax error: " + msg}
}

// scalarAt returns the string value of key k in mapping n.
func scalarAt(n *yaml.Node, k string) string {
	v, ok := lookupValue(n, k)
	if !ok || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

func hasKey(n *yaml.Node, k string) bool {
	kn, _ := lookup(n, k)
	return kn != nil
}

func lookupValue(n *yaml.Node, k string) (*yaml.Node, bool) {
	_, v := lookup(n, k)
	return v, v != nil
}

// podTemplate finds the pod spec of o, typed when o is a built-in workload and
// decoded from spec.template for any other kind that carries one (Argo
// Rollouts, OpenShift DeploymentConfig, ...).
func tmpl(t *corev1.PodTemplateSpec, at ptPaths) *PodTemplate {
	return &PodTemplate{Meta: &t.ObjectMeta, MetaPath: at.meta, Spec: &t.Spec, SpecPath: at.spec}
}

// ptPaths are the paths of a pod template's metadata and spec. Paths are
// immutable: every object of a kind shares them.
type ptPaths struct{ meta, spec Path }

func templateAt(keys ...string) ptPaths {
	base := NewPath(keys...)
	return ptPaths{meta: base.Child("metadata"), spec: base.Child("spec")}
}

var (
	ptPod          = ptPaths{meta: NewPath("metadata"), spec: NewPath("spec")}
	ptTemplate     = templateAt("template")
	ptSpecTemplate = templateAt("spec", "template")
	ptJobTemplate  = templateAt("spec", "jobTemplate", "spec", "template")
)

// podTemplateOf finds the pod spec of a built-in kind.
func podTemplateOf(typed runtime.Object) *PodTemplate {
	st := ptSpecTemplate
	switch t := typed.(type) {
	case *corev1.Pod:
		return &PodTemplate{Meta: &t.ObjectMeta, MetaPath: ptPod.meta, Spec: &t.Spec, SpecPath: ptPod.spec}
	case *corev1.PodTemplate:
		return tmpl(&t.Template, ptTemplate)
	case *corev1.ReplicationController:
		if t.Spec.Template == nil {
			return nil
		}
		return tmpl(t.Spec.Template, st)
	case *appsv1.Deployment:
		return tmpl(&t.Spec.Template, st)
	case *appsv1.StatefulSet:
		return tmpl(&t.Spec.Template, st)
	case *appsv1.DaemonSet:
		return tmpl(&t.Spec.Template, st)
	case *appsv1.ReplicaSet:
		return tmpl(&t.Spec.Template, st)
	case *appsv1beta1.Deployment:
		return tmpl(&t.Spec.Template, st)
	case *appsv1beta1.StatefulSet:
		return tmpl(&t.Spec.Template, st)
	case *appsv1beta2.Deployment:
		return tmpl(&t.Spec.Template, st)
	case *appsv1beta2.StatefulSet:
		return tmpl(&t.Spec.Template, st)
	case *appsv1beta2.DaemonSet:
		return tmpl(&t.Spec.Template, st)
	case *appsv1beta2.ReplicaSet:
		return tmpl(&t.Spec.Template, st)
	case *extv1beta1.Deployment:
		return tmpl(&t.Spec.Template, st)
	case *extv1beta1.DaemonSet:
		return tmpl(&t.Spec.Template, st)
	case *extv1beta1.ReplicaSet:
		return tmpl(&t.Spec.Template, st)
	case *batchv1.Job:
		return tmpl(&t.Spec.Template, st)
	case *batchv1.CronJob:
		return tmpl(&t.Spec.JobTemplate.Spec.Template, ptJobTemplate)
	case *batchv1beta1.CronJob:
		return tmpl(&t.Spec.JobTemplate.Spec.Template, ptJobTemplate)
	}
	return nil
}

// customPodTemplate decodes spec.template of a custom kind that carries
// spec.template.spec.containers (Argo Rollouts, OpenShift DeploymentConfig).
func customPodTemplate(n *yaml.Node) *PodTemplate {
	spec, _ := lookupValue(n, "spec")
	tn, ok := lookupValue(spec, "template")
	if !ok {
		return nil
	}
	ps, ok := lookupValue(tn, "spec")
	if !ok {
		return nil
	}
	if c, ok := lookupValue(ps, "containers"); !ok || c.Kind != yaml.SequenceNode {
		return nil
	}
	// Decoding errors here belong to the custom kind's schema, which its
	// CRD validates; the pod template is read leniently.
	var pt corev1.PodTemplateSpec
	decodeTyped(tn, &pt)
	return tmpl(&pt, ptSpecTemplate)
}

// podFields are the keys by which the spec of a custom kind describes the
// pods its operator creates.
var podFields = map[string]bool{
	"replicas": true, "instances": true, "numberOfInstances": true, "image": true,
	"podTemplate": true, "podMetadata": true, "containers": true,
}

// describesPods reports whether the spec of a custom object has one of
// podFields within four levels (list items add none), as in
// spec.kafka.replicas or spec.jobTargetRef.template.spec.containers.
func describesPods(n *yaml.Node) bool {
	spec, ok := lookupValue(n, "spec")
	if !ok {
		return false
	}
	var walk func(n *yaml.Node, depth int) bool
	walk = func(n *yaml.Node, depth int) bool {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if podFields[n.Content[i].Value] {
					return true
				}
				if depth < 4 && walk(n.Content[i+1], depth+1) {
					return true
				}
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				if walk(c, depth) {
					return true
				}
			}
		}
		return false
	}
	return walk(spec, 1)
}
