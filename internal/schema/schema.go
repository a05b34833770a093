// Package schema validates objects offline against the OpenAPI schemas of
// the Kubernetes API (spec rule WL-13): the schemas of the four newest
// minor versions are embedded, compressed, and decoded once, lazily, the
// first time a version is asked for. The same validator walks the
// openAPIV3Schema of CustomResourceDefinitions.
//
// The data files are written by `go run ./internal/schema/gen` from the
// k8s.io/kubernetes module (api/openapi-spec/v3).
package schema

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./gen -o data

//go:embed data/*.json.gz
var data embed.FS

// File is the schema of one Kubernetes minor version.
type File struct {
	// Version is the minor version ("1.37"); Release the release it was
	// taken from ("v1.37.2").
	Version, Release string
	// Kinds maps "group/version/Kind" ("v1/Pod" for the core group) to the
	// name of its definition.
	Kinds map[string]string
	// Defs are the definitions by name.
	Defs map[string]*Node
}

// Node is a schema, with only what validation needs. Built-in definitions
// refer to each other by Ref; CRD schemas are trees.
type Node struct {
	Ref        string           `json:"r,omitempty"`
	Type       string           `json:"t,omitempty"`
	Format     string           `json:"f,omitempty"`
	Props      map[string]*Node `json:"p,omitempty"`
	Items      *Node            `json:"i,omitempty"`
	Additional *Node            `json:"a,omitempty"`
	Required   []string         `json:"q,omitempty"`
	Enum       []any            `json:"e,omitempty"`
	// Default is set when the server fills the field in: a required field
	// with a default is never missing.
	Default     bool `json:"d,omitempty"`
	IntOrString bool `json:"s,omitempty"`
	Preserve    bool `json:"u,omitempty"`
	Nullable    bool `json:"n,omitempty"`

	// Constraints of CRD schemas (built-in schemas carry none).
	Pattern          string   `json:"-"`
	Minimum, Maximum *float64 `json:"-"`
	ExclusiveMinimum bool     `json:"-"`
	ExclusiveMaximum bool     `json:"-"`
	MinLength        *int64   `json:"-"`
	MaxLength        *int64   `json:"-"`
	MinItems         *int64   `json:"-"`
	MaxItems         *int64   `json:"-"`
	MinProperties    *int64   `json:"-"`
	MaxProperties    *int64   `json:"-"`
	UniqueItems      bool     `json:"-"`
	// Embedded is x-kubernetes-embedded-resource: an object with its own
	// apiVersion, kind and metadata.
	Embedded bool `json:"-"`
	// ListType is x-kubernetes-list-type ("set" or "map" ask for unique
	// items, by value or by ListMapKeys).
	ListType    string   `json:"-"`
	ListMapKeys []string `json:"-"`
	// AnyOf, OneOf and AllOf hold the value constraints of CRD schemas
	// (structural schemas keep types out of them).
	AnyOf, OneOf, AllOf []*Node `json:"-"`
	Not                 *Node   `json:"-"`

	// resolved is the definition Ref resolves to in the File the node was
	// decoded with, set once by decode: Resolve then needs no map lookup.
	resolved *Node
}

// versions are the embedded minor versions, oldest first.
var versions = func() []string {
	entries, err := data.ReadDir("data")
	if err != nil {
		panic(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json.gz"))
	}
	sort.Slice(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}()

// Versions returns the minor versions whose schemas are embedded, oldest
// first.
func Versions() []string { return append([]string(nil), versions...) }

func parseMinor(s string) (major, minor int, ok bool) {
	a, b, found := strings.Cut(strings.TrimPrefix(s, "v"), ".")
	if !found {
		return 0, 0, false
	}
	b, _, _ = strings.Cut(b, ".") // 1.34.2 is 1.34
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	return x, y, err1 == nil && err2 == nil
}

func less(a, b string) bool {
	x1, y1, _ := parseMinor(a)
	x2, y2, _ := parseMinor(b)
	if x1 != x2 {
		return x1 < x2
	}
	return y1 < y2
}

// Select returns the embedded version that validates target (a minor
// version such as "1.35", "v1.35" or "1.35.2"): the same minor version, or
// the newest for a newer target, the oldest for an older one. Note is empty
// when the target's own schema is used, and says which schema stands in
// otherwise, for the command to show. An empty or malformed target selects
// the newest.
func Select(target string) (version, note string) {
	newest, oldest := versions[len(versions)-1], versions[0]
	maj, min, ok := parseMinor(target)
	if !ok {
		if target == "" {
			return newest, ""
		}
		return newest, fmt.Sprintf("Kubernetes version %q is not a minor version like 1.35: objects are validated against the schemas of %s", target, newest)
	}
	t := strconv.Itoa(maj) + "." + strconv.Itoa(min)
	for _, v := range versions {
		if v == t {
			return v, ""
		}
	}
	if less(newest, t) {
		return newest, fmt.Sprintf("kubevet has no schemas for Kubernetes %s: objects are validated against those of %s, the newest it has", t, newest)
	}
	return oldest, fmt.Sprintf("kubevet has no schemas for Kubernetes %s: objects are validated against those of %s, the oldest it has", t, oldest)
}

var loaded sync.Map // version -> *loadEntry

type loadEntry struct {
	once sync.Once
	f    *File
	err  error
}

// Load returns the schema of an embedded minor version, decoding it on
// first use; every caller shares the result, which must not be modified.
func Load(version string) (*File, error) {
	e, ok := loaded.Load(version)
	if !ok {
		e, _ = loaded.LoadOrStore(version, new(loadEntry))
	}
	le := e.(*loadEntry)
	le.once.Do(func() { le.f, le.err = decode(version) })
	return le.f, le.err
}

// Newest returns the newest embedded version.
func Newest() string { return versions[len(versions)-1] }

func decode(version string) (*File, error) {
	raw, err := data.ReadFile("data/" + version + ".json.gz")
	if err != nil {
		return nil, fmt.Errorf("no schemas for Kubernetes %s: %w", version, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("schemas of Kubernetes %s: %w", version, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("schemas of Kubernetes %s: %w", version, err)
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("schemas of Kubernetes %s: %w", version, err)
	}
	f.link()
	return &f, nil
}

// link resolves the references of every node of f's definitions once,
// before f is shared.
func (f *File) link() {
	seen := map[*Node]bool{}
	var visit func(n *Node)
	visit = func(n *Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if n.Ref != "" {
			n.resolved = f.lookup(n)
		}
		for _, p := range n.Props {
			visit(p)
		}
		visit(n.Items)
		visit(n.Additional)
	}
	for _, d := range f.Defs {
		visit(d)
	}
}

// Kind returns the name of the definition of a kind, or "" when the
// version does not serve it.
func (f *File) Kind(apiVersion, kind string) string {
	return f.Kinds[apiVersion+"/"+kind]
}

// Resolve follows n's reference.
func (f *File) Resolve(n *Node) *Node {
	if n != nil && n.resolved != nil {
		return n.resolved
	}
	return f.lookup(n)
}

func (f *File) lookup(n *Node) *Node {
	for i := 0; n != nil && n.Ref != "" && i < 8; i++ {
		d := f.Defs[n.Ref]
		if d == nil {
			return nil
		}
		n = d
	}
	return n
}

// HasField reports whether the definition def has the property name.
func (f *File) HasField(def, name string) bool {
	d := f.Defs[def]
	if d == nil {
		return false
	}
	_, ok := d.Props[name]
	return ok
}

// Decode decodes the schemas of an embedded version afresh, without the
// cache of Load: for benchmarks.
func Decode(version string) (*File, error) { return decode(version) }
