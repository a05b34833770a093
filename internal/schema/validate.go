package schema

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/manifest"
)

// Problem is the kind of a validation error.
type Problem int

// Problems, in the order the checks report them.
const (
	// Unknown is a field the schema does not have.
	Unknown Problem = iota
	// WrongType is a value of the wrong JSON type.
	WrongType
	// Missing is a required field that is absent.
	Missing
	// BadValue is a value outside an enum, a pattern, a format or a range.
	BadValue
)

// Error is one problem found in an object, on the field at Path.
type Error struct {
	Problem Problem
	Path    manifest.Path
	Msg     string
	// Def is the definition that lacks an Unknown field (built-in
	// schemas only) and Field the field's name.
	Def, Field string
	// Blocking is set on the BadValue errors of a Structural schema that
	// keep the API server from evaluating the CRD's CEL rules (a value
	// outside an enum, too long, too many items or fields), as Unknown,
	// WrongType and Missing errors do.
	Blocking bool
}

// Mode says how a schema is applied.
type Mode int

const (
	// Builtin applies a schema of the built-in API: an object type without
	// properties is free-form (RawExtension), required fields the server
	// defaults are not missing, and null is the zero value.
	Builtin Mode = iota
	// Structural applies a CRD's structural schema as the API server does
	// with strict field validation: fields the schema does not declare are
	// unknown unless x-kubernetes-preserve-unknown-fields says to keep them.
	Structural
)

// maxErrors bounds the errors of one object.
const maxErrors = 50

// Validate walks the YAML node n of an object against root, resolving
// references in f (nil for CRD schemas). At the root of a Structural
// schema, apiVersion, kind and metadata are left to the API machinery.
func Validate(f *File, root *Node, n *yaml.Node, mode Mode) []Error {
	stack := stacks.Get().(*[]elem)
	w := walker{f: f, mode: mode, path: (*stack)[:0]}
	w.value(n, root, "", true)
	*stack = w.path[:0]
	stacks.Put(stack)
	return w.errs
}

// stacks keeps the path stacks of walks for the next ones.
var stacks = sync.Pool{New: func() any { s := make([]elem, 0, 32); return &s }}

type elem struct {
	key   string
	index int
}

type walker struct {
	f    *File
	mode Mode
	path []elem
	errs []Error
	// loose is set inside anyOf, oneOf, allOf and not, whose schemas
	// constrain values without declaring fields.
	loose bool
	// nodes counts the nodes walked: aliases can make a small document
	// expand exponentially (the decoder reports such documents).
	nodes int
}

// maxNodes bounds the nodes walked in one object.
const maxNodes = 1 << 20

func (w *walker) at() manifest.Path {
	var p manifest.Path
	for _, e := range w.path {
		if e.index >= 0 {
			p = p.Index(e.index)
		} else {
			p = p.Child(e.key)
		}
	}
	return p
}

func (w *walker) fail(p Problem, format string, args ...any) {
	if len(w.errs) >= maxErrors {
		return
	}
	path := w.at()
	w.errs = append(w.errs, Error{Problem: p, Path: path, Msg: path.String() + ": " + fmt.Sprintf(format, args...)})
}

// failBlocking is fail for a BadValue the API server reports as
// NotSupported, TooLong or TooMany, which blocks the CEL rules.
func (w *walker) failBlocking(format string, args ...any) {
	n := len(w.errs)
	w.fail(BadValue, format, args...)
	if len(w.errs) > n {
		w.errs[n].Blocking = true
	}
}

// jsonType is the JSON type kubectl sends for a YAML node.
func jsonType(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	}
	switch n.Tag {
	case "!!int":
		return "integer"
	case "!!float":
		if _, ok := wholeFloat(n); ok {
			return "integer"
		}
		return "number"
	case "!!bool":
		return "boolean"
	case "!!null":
		return "null"
	}
	if _, ok := yaml11Bool(n); ok {
		return "boolean"
	}
	return "string"
}

func wholeFloat(n *yaml.Node) (float64, bool) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f != math.Trunc(f) || math.Abs(f) >= 1e21 {
		return 0, false
	}
	return f, true
}

// yaml11Bool reads the words YAML 1.1 (kubectl) takes for booleans in an
// unquoted plain scalar.
func yaml11Bool(n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" || n.Style&(yaml.TaggedStyle|yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return false, false
	}
	switch n.Value {
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON":
		return true, true
	case "n", "N", "no", "No", "NO", "off", "Off", "OFF":
		return false, true
	}
	return false, false
}

// number reads a numeric scalar.
func number(n *yaml.Node) (float64, bool) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return 0, false
	}
	if n.Tag == "!!int" {
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		if err == nil {
			return float64(i), true
		}
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	return f, err == nil
}

func describe(n *yaml.Node) string {
	switch t := jsonType(n); t {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "string":
		return strconv.Quote(n.Value)
	default:
		return t + " " + n.Value
	}
}

// pairs calls f for each key and value of mapping n, merge keys resolved
// (explicit keys win) and the last of duplicate keys winning.
func pairs(n *yaml.Node, f func(k, v *yaml.Node)) {
	if !hasMerge(n) {
		// Duplicate keys are the decoder's (duplicate-key).
		for i := 0; i+1 < len(n.Content); i += 2 {
			f(n.Content[i], manifest.Deref(n.Content[i+1]))
		}
		return
	}
	seen := map[string]bool{}
	var each func(n *yaml.Node, depth int)
	each = func(n *yaml.Node, depth int) {
		if n == nil || n.Kind != yaml.MappingNode || depth > 8 {
			return
		}
		for i := len(n.Content) - 2; i >= 0; i -= 2 {
			k := n.Content[i]
			if k.Tag == "!!merge" {
				continue
			}
			if seen[k.Value] {
				continue
			}
			seen[k.Value] = true
			f(k, manifest.Deref(n.Content[i+1]))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Tag != "!!merge" {
				continue
			}
			v := manifest.Deref(n.Content[i+1])
			if v != nil && v.Kind == yaml.SequenceNode {
				for _, m := range v.Content {
					each(manifest.Deref(m), depth+1)
				}
			} else {
				each(v, depth+1)
			}
		}
	}
	each(n, 0)
}

// hasMerge reports whether mapping n has a merge key.
func hasMerge(n *yaml.Node) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Tag == "!!merge" {
			return true
		}
	}
	return false
}

func (w *walker) value(n *yaml.Node, s *Node, def string, root bool) {
	n = manifest.Deref(n)
	w.nodes++
	if n == nil || s == nil || len(w.errs) >= maxErrors || len(w.path) > 64 || w.nodes > maxNodes {
		return
	}
	if s.Ref != "" && w.f != nil {
		def = s.Ref
		s = w.f.Resolve(s)
		if s == nil {
			return
		}
	}
	t := jsonType(n)
	if t == "null" {
		// The decoder of built-in kinds takes null for the zero value;
		// the API server prunes null from a field of a CRD schema that
		// is not nullable (and then defaults it).
		return
	}
	switch {
	case s.IntOrString:
		if t != "integer" && t != "string" {
			w.fail(WrongType, "expected a number or a string, found %s", describe(n))
			return
		}
	case s.Type == "":
		// Any type (preserve-unknown-fields or a free value).
	case s.Type == t, s.Type == "number" && t == "integer":
	default:
		w.fail(WrongType, "expected %s, found %s", typeName(s.Type), describe(n))
		return
	}
	switch t {
	case "object":
		w.object(n, s, def, root)
	case "array":
		if s.Items != nil {
			for i, c := range n.Content {
				w.path = append(w.path, elem{index: i})
				w.value(c, s.Items, def, false)
				w.path = w.path[:len(w.path)-1]
			}
		}
		w.arrayConstraints(n, s)
	default:
		w.scalar(n, s, t)
	}
	if w.mode == Structural {
		w.combinators(n, s)
	}
}

func typeName(t string) string {
	switch t {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "string":
		return "a string"
	case "integer":
		return "a whole number"
	case "number":
		return "a number"
	case "boolean":
		return "true or false"
	}
	return t
}

func (w *walker) object(n *yaml.Node, s *Node, def string, root bool) {
	count := 0
	if hasMerge(n) {
		pairs(n, func(k, v *yaml.Node) {
			count++
			w.member(k.Value, v, s, def, root)
		})
	} else {
		// pairs without merge keys, with no closure to allocate.
		for i := 0; i+1 < len(n.Content); i += 2 {
			count++
			w.member(n.Content[i].Value, manifest.Deref(n.Content[i+1]), s, def, root)
		}
	}
	if s.Embedded && w.mode == Structural && !w.loose {
		// An embedded resource needs its apiVersion and kind
		// (apiextensions-apiserver objectmeta validation).
		for _, k := range [...]string{"apiVersion", "kind"} {
			if !has(n, k) {
				w.path = append(w.path, elem{key: k, index: -1})
				w.fail(Missing, "required field is missing in an embedded resource")
				w.path = w.path[:len(w.path)-1]
			}
		}
	}
	for _, r := range s.Required {
		if has(n, r) {
			continue
		}
		// The defaults of built-in schemas are mostly the zero values of
		// their Go types, which the server then rejects (maxReplicas: 0);
		// a CRD's default fills the field before validation.
		if p := s.Props[r]; p != nil && p.Default && w.mode == Structural {
			continue
		}
		w.path = append(w.path, elem{key: r, index: -1})
		w.fail(Missing, "required field is missing")
		w.path = w.path[:len(w.path)-1]
	}
	if s.MinProperties != nil && int64(count) < *s.MinProperties {
		w.fail(BadValue, "must have at least %d fields", *s.MinProperties)
	}
	if s.MaxProperties != nil && int64(count) > *s.MaxProperties {
		w.failBlocking("must have at most %d fields", *s.MaxProperties)
	}
}

// member walks the value v of the field key of an object of schema s.
func (w *walker) member(key string, v *yaml.Node, s *Node, def string, root bool) {
	if (root || s.Embedded) && w.mode == Structural && (key == "apiVersion" || key == "kind" || key == "metadata") {
		return
	}
	w.path = append(w.path, elem{key: key, index: -1})
	w.field(key, v, s, def)
	w.path = w.path[:len(w.path)-1]
}

func (w *walker) field(key string, v *yaml.Node, s *Node, def string) {
	if p, ok := s.Props[key]; ok {
		w.value(v, p, def, false)
		return
	}
	if s.Additional != nil {
		w.value(v, s.Additional, def, false)
		return
	}
	if s.Preserve || w.loose || w.mode == Builtin && len(s.Props) == 0 {
		return
	}
	w.fail(Unknown, "unknown field %q", key)
	if len(w.errs) > 0 {
		w.errs[len(w.errs)-1].Def, w.errs[len(w.errs)-1].Field = def, key
	}
}

// has reports whether mapping n has key k, merge keys included.
func has(n *yaml.Node, k string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if c := n.Content[i]; c.Value == k && c.Tag != "!!merge" {
			return true
		}
	}
	found := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Tag == "!!merge" {
			pairs(n, func(kn, _ *yaml.Node) { found = found || kn.Value == k })
			break
		}
	}
	return found
}

func (w *walker) arrayConstraints(n *yaml.Node, s *Node) {
	l := int64(len(n.Content))
	if s.MinItems != nil && l < *s.MinItems {
		w.fail(BadValue, "must have at least %d items", *s.MinItems)
	}
	if s.MaxItems != nil && l > *s.MaxItems {
		w.failBlocking("must have at most %d items", *s.MaxItems)
	}
	switch s.ListType {
	case "set":
		seen := map[string]bool{}
		for i, c := range n.Content {
			c = manifest.Deref(c)
			if c == nil || c.Kind != yaml.ScalarNode {
				continue
			}
			if seen[c.Value] {
				w.path = append(w.path, elem{index: i})
				w.fail(BadValue, "duplicate value %q in a list of type set", c.Value)
				w.path = w.path[:len(w.path)-1]
			}
			seen[c.Value] = true
		}
	case "map":
		seen := map[string]bool{}
		for i, c := range n.Content {
			c = manifest.Deref(c)
			if c == nil || c.Kind != yaml.MappingNode {
				continue
			}
			var key strings.Builder
			for _, k := range s.ListMapKeys {
				v := ""
				pairs(c, func(kn, vn *yaml.Node) {
					if kn.Value == k && vn != nil {
						v = vn.Value
					}
				})
				key.WriteString(strconv.Quote(v))
			}
			if seen[key.String()] {
				w.path = append(w.path, elem{index: i})
				w.fail(BadValue, "duplicate entry with the keys %s of a list of type map", strings.Join(s.ListMapKeys, ", "))
				w.path = w.path[:len(w.path)-1]
			}
			seen[key.String()] = true
		}
	}
	if s.UniqueItems {
		seen := map[string]bool{}
		for _, c := range n.Content {
			c = manifest.Deref(c)
			if c == nil || c.Kind != yaml.ScalarNode {
				continue
			}
			if seen[c.Value] {
				w.fail(BadValue, "duplicate item %q", c.Value)
				return
			}
			seen[c.Value] = true
		}
	}
}

var patterns sync.Map // string -> *regexp.Regexp (nil when it does not compile)

func pattern(p string) *regexp.Regexp {
	if re, ok := patterns.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re, _ := regexp.Compile(p)
	patterns.Store(p, re)
	return re
}

func (w *walker) scalar(n *yaml.Node, s *Node, t string) {
	if len(s.Enum) > 0 && !inEnum(n, t, s.Enum) {
		var vals []string
		for _, e := range s.Enum {
			vals = append(vals, fmt.Sprint(e))
		}
		sort.Strings(vals)
		w.failBlocking("%s is not one of the allowed values: %s", describe(n), strings.Join(vals, ", "))
	}
	switch t {
	case "string":
		var l int64
		if s.MinLength != nil || s.MaxLength != nil {
			l = int64(len([]rune(n.Value)))
		}
		if s.MinLength != nil && l < *s.MinLength {
			w.fail(BadValue, "%s is shorter than %d characters", describe(n), *s.MinLength)
		}
		if s.MaxLength != nil && l > *s.MaxLength {
			w.failBlocking("%s is longer than %d characters", describe(n), *s.MaxLength)
		}
		if s.Pattern != "" {
			if re := pattern(s.Pattern); re != nil && !re.MatchString(n.Value) {
				w.fail(BadValue, "%s does not match the pattern %s", describe(n), s.Pattern)
			}
		}
		if w.mode == Structural {
			if msg := checkFormat(s.Format, n.Value); msg != "" {
				w.fail(BadValue, "%s %s", describe(n), msg)
			}
		}
	case "integer", "number":
		v, ok := number(n)
		if !ok {
			return
		}
		if s.Minimum != nil && (v < *s.Minimum || s.ExclusiveMinimum && v == *s.Minimum) {
			w.fail(BadValue, "%s is less than the minimum %v", n.Value, *s.Minimum)
		}
		if s.Maximum != nil && (v > *s.Maximum || s.ExclusiveMaximum && v == *s.Maximum) {
			w.fail(BadValue, "%s is greater than the maximum %v", n.Value, *s.Maximum)
		}
		if w.mode == Structural && t == "integer" && s.Format == "int32" && (v < math.MinInt32 || v > math.MaxInt32) {
			w.fail(BadValue, "%s does not fit in a 32-bit integer", n.Value)
		}
	}
}

func inEnum(n *yaml.Node, t string, enum []any) bool {
	for _, e := range enum {
		switch ev := e.(type) {
		case string:
			if t == "string" && n.Value == ev {
				return true
			}
		case float64:
			if v, ok := number(n); ok && v == ev {
				return true
			}
		case bool:
			if t == "boolean" {
				b, ok := yaml11Bool(n)
				if !ok {
					b = strings.EqualFold(n.Value, "true")
				}
				if b == ev {
					return true
				}
			}
		case nil:
			if t == "null" {
				return true
			}
		}
	}
	return false
}

// combinators applies anyOf, oneOf, allOf and not of a structural schema:
// they only constrain values (types stay outside them).
func (w *walker) combinators(n *yaml.Node, s *Node) {
	if len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) == 0 && s.Not == nil {
		return
	}
	loose := w.loose
	w.loose = true
	defer func() { w.loose = loose }()
	try := func(sub *Node) bool {
		saved, savedPath := w.errs, len(w.path)
		w.errs = nil
		w.value(n, sub, "", false)
		ok := len(w.errs) == 0
		w.errs, w.path = saved, w.path[:savedPath]
		return ok
	}
	for _, sub := range s.AllOf {
		w.value(n, sub, "", false)
	}
	if len(s.AnyOf) > 0 {
		ok := false
		for _, sub := range s.AnyOf {
			if try(sub) {
				ok = true
				break
			}
		}
		if !ok {
			w.fail(BadValue, "matches none of the schemas of anyOf")
		}
	}
	if len(s.OneOf) > 0 {
		matched := 0
		for _, sub := range s.OneOf {
			if try(sub) {
				matched++
			}
		}
		if matched != 1 {
			w.fail(BadValue, "must match exactly one of the schemas of oneOf, matches %d", matched)
		}
	}
	if s.Not != nil && try(s.Not) {
		w.fail(BadValue, "must not match the schema of not")
	}
}
