package manifest

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// FieldError is a problem with one field found while decoding a typed
// object: an unknown field, a duplicate key or a value of the wrong type.
type FieldError struct {
	Kind string // DiagUnknownField, DiagDuplicateKey or DiagFieldType
	Path Path
	Pos  Position
	Msg  string
	// Prev is the first definition of a duplicate key.
	Prev Position
}

// decodeTyped decodes the YAML node n into v (a pointer to a k8s.io/api
// struct) the way the API server decodes the JSON that kubectl sends:
// fields are matched by their JSON names, case-sensitively; a value of the
// wrong JSON type is an error and the field keeps its zero value; unknown
// fields are reported. Walking the node tree directly, instead of going
// through JSON, costs a fraction of encoding/json and places every error on
// its exact line and column.
func decodeTyped(n *yaml.Node, v any) []FieldError {
	d := typedDecoder{}
	d.value(n, reflect.ValueOf(v).Elem(), Position{Line: n.Line, Column: n.Column})
	if d.bomb {
		d.path = nil
		d.fail(DiagSyntax, Position{Line: n.Line, Column: n.Column}, "%v", ErrAliasBomb)
	}
	return d.errs
}

type typedDecoder struct {
	errs  []FieldError
	path  []pathElem
	nodes int
	bomb  bool
}

func (d *typedDecoder) fail(kind string, pos Position, format string, args ...any) {
	p := Path{elems: append([]pathElem(nil), d.path...)}
	msg := fmt.Sprintf(format, args...)
	d.errs = append(d.errs, FieldError{Kind: kind, Path: p, Pos: pos, Msg: msg})
}

func (d *typedDecoder) typeError(n *yaml.Node, pos Position, t reflect.Type) {
	d.fail(DiagFieldType, pos, "%s: expected %s, found %s", Path{elems: d.path}.String(), describeType(t), describeNode(n))
}

var (
	quantityType   = reflect.TypeOf(resource.Quantity{})
	intOrStrType   = reflect.TypeOf(intstr.IntOrString{})
	timeType       = reflect.TypeOf(metav1.Time{})
	microTimeType  = reflect.TypeOf(metav1.MicroTime{})
	durationType   = reflect.TypeOf(metav1.Duration{})
	bytesType      = reflect.TypeOf([]byte(nil))
	stringType     = reflect.TypeOf("")
	jsonUnmarshal  = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	textUnmarshal  = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
	maxFieldErrors = 100
)

// value decodes n into v.
func (d *typedDecoder) value(n *yaml.Node, v reflect.Value, pos Position) {
	d.decode(n, v, planOf(v.Type()), pos)
}

// enter counts n and follows its aliases. It returns false when decoding
// stops: too many errors, or an alias bomb.
func (d *typedDecoder) enter(n *yaml.Node) (*yaml.Node, bool) {
	if d.bomb || len(d.errs) >= maxFieldErrors {
		return nil, false
	}
	d.nodes++
	for n.Kind == yaml.AliasNode {
		if d.nodes > maxExpandedNodes || n.Alias == nil {
			d.bomb = true
			return nil, false
		}
		n = n.Alias
		d.nodes++
	}
	if d.nodes > maxExpandedNodes {
		d.bomb = true
		return nil, false
	}
	return n, true
}

// str decodes n as a plain string (the elements of map[string]string),
// as decode would.
func (d *typedDecoder) str(n *yaml.Node, pos Position) string {
	n, ok := d.enter(n)
	if !ok || n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return ""
	}
	if !isString(n) {
		d.typeError(n, pos, stringType)
		return ""
	}
	return n.Value
}

// decode decodes n into v, of the type pl was made for.
func (d *typedDecoder) decode(n *yaml.Node, v reflect.Value, pl *plan, pos Position) {
	n, ok := d.enter(n)
	if !ok {
		return
	}
	null := n.Kind == yaml.ScalarNode && n.Tag == "!!null"
	t := pl.typ
	switch pl.kind {
	case planQuantity:
		if null {
			return
		}
		if !isString(n) && n.Tag != "!!int" && n.Tag != "!!float" {
			d.typeError(n, pos, t)
			return
		}
		q, err := resource.ParseQuantity(n.Value)
		if err != nil {
			d.fail(DiagFieldType, pos, "%s: %q is not a quantity (write it like 500m, 2, 256Mi or 1Gi)", Path{elems: d.path}, n.Value)
			return
		}
		v.Set(reflect.ValueOf(q))
		return
	case planIntOrString:
		switch {
		case null:
		case n.Kind == yaml.ScalarNode && n.Tag == "!!int":
			i, err := strconv.ParseInt(cleanInt(n.Value), 0, 32)
			if err != nil {
				d.typeError(n, pos, t)
				return
			}
			v.Set(reflect.ValueOf(intstr.FromInt32(int32(i))))
		case isString(n):
			v.Set(reflect.ValueOf(intstr.FromString(n.Value)))
		case n.Tag == "!!float":
			f, ok := wholeFloat(n)
			if !ok || f < math.MinInt32 || f > math.MaxInt32 {
				d.typeError(n, pos, t)
				return
			}
			v.Set(reflect.ValueOf(intstr.FromInt32(int32(f))))
		default:
			d.typeError(n, pos, t)
		}
		return
	case planTime:
		if null {
			return
		}
		if !isString(n) {
			d.typeError(n, pos, t)
			return
		}
		tm, err := time.Parse(time.RFC3339, n.Value)
		if err != nil {
			d.fail(DiagFieldType, pos, "%s: %q is not an RFC 3339 time", Path{elems: d.path}, n.Value)
			return
		}
		if t == timeType {
			v.Set(reflect.ValueOf(metav1.NewTime(tm)))
		} else {
			v.Set(reflect.ValueOf(metav1.NewMicroTime(tm)))
		}
		return
	case planDuration:
		if null {
			return
		}
		if !isString(n) {
			d.typeError(n, pos, t)
			return
		}
		du, err := time.ParseDuration(n.Value)
		if err != nil {
			d.fail(DiagFieldType, pos, "%s: %q is not a duration like 30s", Path{elems: d.path}, n.Value)
			return
		}
		v.Set(reflect.ValueOf(metav1.Duration{Duration: du}))
		return
	case planBytes:
		if null {
			return
		}
		if !isString(n) {
			d.typeError(n, pos, t)
			return
		}
		b, err := base64.StdEncoding.DecodeString(n.Value)
		if err != nil {
			d.fail(DiagFieldType, pos, "%s: value is not valid base64 (use stringData for plain text)", Path{elems: d.path})
			return
		}
		v.SetBytes(b)
		return
	case planJSONUnmarshaler:
		// Other types with their own JSON form (RawExtension, FieldsV1):
		// hand them their subtree as JSON.
		data, used, _, err := toJSON(n, d.nodes)
		d.nodes = used
		if err != nil {
			d.bomb = true
			return
		}
		if err := v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(data); err != nil {
			d.fail(DiagFieldType, pos, "%s: %v", Path{elems: d.path}, err)
		}
		return
	case planPointer:
		if null {
			v.SetZero()
			return
		}
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.decode(n, v.Elem(), pl.elem, pos)
	case planStruct:
		if null {
			return
		}
		if n.Kind != yaml.MappingNode {
			d.typeError(n, pos, t)
			return
		}
		mapping(d, n, structEntries{v: v, pl: pl})
	case planMap, planStringMap:
		if null {
			v.SetZero()
			return
		}
		if n.Kind != yaml.MappingNode {
			d.typeError(n, pos, t)
			return
		}
		if t.Key().Kind() != reflect.String {
			d.typeError(n, pos, t)
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(t, len(n.Content)/2))
		}
		if pl.kind == planStringMap {
			mapping(d, n, stringEntries{m: v.Interface().(map[string]string)})
			return
		}
		mapping(d, n, mapEntries{m: v, k: reflect.New(t.Key()).Elem(), e: reflect.New(t.Elem()).Elem(), pl: pl.elem})
	case planSlice:
		if null {
			v.SetZero()
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.typeError(n, pos, t)
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.path = append(d.path, pathElem{index: i})
			d.decode(c, s.Index(i), pl.elem, Position{c.Line, c.Column})
			d.path = d.path[:len(d.path)-1]
		}
		v.Set(s)
	case planString:
		if null {
			return
		}
		if !isString(n) {
			d.typeError(n, pos, t)
			return
		}
		v.SetString(n.Value)
	case planBool:
		if null {
			return
		}
		if b, ok := yaml11Bool(n); ok {
			v.SetBool(b)
			return
		}
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.typeError(n, pos, t)
			return
		}
		v.SetBool(strings.EqualFold(n.Value, "true"))
	case planInt:
		if null {
			return
		}
		if f, ok := wholeFloat(n); ok {
			if f < math.MinInt64 || f >= math.MaxInt64 || v.OverflowInt(int64(f)) {
				d.fail(DiagFieldType, pos, "%s: %s does not fit in %s", Path{elems: d.path}, n.Value, describeType(t))
				return
			}
			v.SetInt(int64(f))
			return
		}
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.typeError(n, pos, t)
			return
		}
		i, err := strconv.ParseInt(cleanInt(n.Value), 0, 64)
		if err != nil || v.OverflowInt(i) {
			d.fail(DiagFieldType, pos, "%s: %s does not fit in %s", Path{elems: d.path}, n.Value, describeType(t))
			return
		}
		v.SetInt(i)
	case planUint:
		if null {
			return
		}
		if f, ok := wholeFloat(n); ok {
			if f < 0 || f >= math.MaxUint64 || v.OverflowUint(uint64(f)) {
				d.fail(DiagFieldType, pos, "%s: %s does not fit in %s", Path{elems: d.path}, n.Value, describeType(t))
				return
			}
			v.SetUint(uint64(f))
			return
		}
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.typeError(n, pos, t)
			return
		}
		u, err := strconv.ParseUint(cleanInt(n.Value), 0, 64)
		if err != nil || v.OverflowUint(u) {
			d.fail(DiagFieldType, pos, "%s: %s does not fit in %s", Path{elems: d.path}, n.Value, describeType(t))
			return
		}
		v.SetUint(u)
	case planFloat:
		if null {
			return
		}
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!float" && n.Tag != "!!int") {
			d.typeError(n, pos, t)
			return
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			d.typeError(n, pos, t)
			return
		}
		v.SetFloat(f)
	case planInterface:
		data, used, _, err := toJSON(n, d.nodes)
		d.nodes = used
		if err != nil {
			d.bomb = true
			return
		}
		var x any
		if err := json.Unmarshal(data, &x); err == nil {
			v.Set(reflect.ValueOf(&x).Elem())
		}
	default:
		if pl.textUnmarshaler && n.Kind == yaml.ScalarNode {
			if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
				d.fail(DiagFieldType, pos, "%s: %v", Path{elems: d.path}, err)
			}
			return
		}
		d.typeError(n, pos, t)
	}
}

// unmarshalers caches, by type, whether a type decodes itself from JSON
// (reflect's Implements is too slow to ask for every value).
var unmarshalers sync.Map // reflect.Type -> bool

func hasJSONUnmarshaler(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int32, reflect.Int64, reflect.Pointer, reflect.Interface, reflect.Slice:
		if t.Kind() != reflect.Slice && t.PkgPath() == "" {
			return false // unnamed basic types have no methods
		}
	}
	if v, ok := unmarshalers.Load(t); ok {
		return v.(bool)
	}
	ok := t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface && reflect.PointerTo(t).Implements(jsonUnmarshal)
	unmarshalers.Store(t, ok)
	return ok
}

// pairVisitor is what mapping hands each entry of a mapping to. Visitors
// are small structs, not closures, so that decoding a field allocates
// nothing for the call.
type pairVisitor interface {
	visit(d *typedDecoder, key string, kn, vn *yaml.Node)
}

// mapEntries decodes the entries of a YAML mapping into the Go map m,
// through the scratch key k and element e.
type mapEntries struct {
	m, k, e reflect.Value
	pl      *plan // of the elements
}

func (me mapEntries) visit(d *typedDecoder, key string, kn, vn *yaml.Node) {
	me.e.SetZero()
	d.path = append(d.path, pathElem{key: key, index: -1})
	d.decode(vn, me.e, me.pl, Position{kn.Line, kn.Column})
	d.path = d.path[:len(d.path)-1]
	me.k.SetString(key)
	me.m.SetMapIndex(me.k, me.e)
}

// stringEntries decodes the entries of a YAML mapping into m, a
// map[string]string (labels, annotations, selectors, data), without
// reflection.
type stringEntries struct{ m map[string]string }

func (se stringEntries) visit(d *typedDecoder, key string, kn, vn *yaml.Node) {
	d.path = append(d.path, pathElem{key: key, index: -1})
	s := d.str(vn, Position{kn.Line, kn.Column})
	d.path = d.path[:len(d.path)-1]
	se.m[key] = s
}

// structEntries decodes the entries of a YAML mapping into the fields of
// the struct v.
type structEntries struct {
	v  reflect.Value
	pl *plan
}

func (se structEntries) visit(d *typedDecoder, key string, kn, vn *yaml.Node) {
	fi, ok := se.pl.fields[key]
	d.path = append(d.path, pathElem{key: key, index: -1})
	pos := Position{kn.Line, kn.Column}
	if !ok {
		d.fail(DiagUnknownField, pos, "unknown field %q", Path{elems: d.path}.String())
	} else {
		d.decode(vn, fieldByIndex(se.v, fi.index), fi.pl, pos)
	}
	d.path = d.path[:len(d.path)-1]
}

// mapping hands f each key of mapping n, in order, after resolving merge
// keys (explicit keys win over merged ones) and reporting duplicates (the
// last one wins, as with kubectl).
func mapping[V pairVisitor](d *typedDecoder, n *yaml.Node, f V) {
	hasMerge := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		if isMerge(n.Content[i]) {
			hasMerge = true
			break
		}
	}
	if !hasMerge {
		pairs := len(n.Content) / 2
		var seen map[string]int
		if pairs > 16 {
			seen = make(map[string]int, pairs)
			for i := 0; i+1 < len(n.Content); i += 2 {
				seen[n.Content[i].Value] = i // the last definition wins
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn := n.Content[i]
			if kn.Kind != yaml.ScalarNode {
				d.fail(DiagFieldType, Position{kn.Line, kn.Column}, "mapping key must be a string, not a list or mapping")
				continue
			}
			later := -1
			if seen != nil {
				if j := seen[kn.Value]; j != i {
					later = j
				}
			} else {
				for j := i + 2; j+1 < len(n.Content); j += 2 {
					if k := n.Content[j]; k.Kind == yaml.ScalarNode && k.Value == kn.Value {
						later = j
						break
					}
				}
			}
			if later >= 0 {
				// kubectl rejects the document; the last value is kept.
				ln := n.Content[later]
				d.path = append(d.path, pathElem{key: kn.Value, index: -1})
				d.fail(DiagDuplicateKey, Position{ln.Line, ln.Column}, "%s", kn.Value)
				d.errs[len(d.errs)-1].Prev = Position{kn.Line, kn.Column}
				d.path = d.path[:len(d.path)-1]
				continue
			}
			f.visit(d, kn.Value, kn, n.Content[i+1])
		}
		return
	}
	var w jsonWriter
	es, err := w.entries(n, 0)
	if err != nil {
		d.fail(DiagSyntax, Position{n.Line, n.Column}, "%v", err)
		return
	}
	for _, e := range es {
		f.visit(d, e.key, e.kn, e.val)
	}
}

// fieldByIndex is reflect.Value.FieldByIndex that allocates nil embedded
// pointers on the way.
func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

type fieldInfo struct {
	index []int
	pl    *plan
}

// planKind is what decode does with a type, decided once per type.
type planKind int

const (
	planOther planKind = iota // a TextUnmarshaler, or a type error
	planQuantity
	planIntOrString
	planTime
	planDuration
	planBytes
	planJSONUnmarshaler
	planPointer
	planStruct
	planMap
	planStringMap // map[string]string
	planSlice
	planString
	planBool
	planInt
	planUint
	planFloat
	planInterface
)

// plan is how decode decodes one Go type: what the type is, worked out
// with reflection once, and the plans of its elements and fields.
type plan struct {
	typ  reflect.Type
	kind planKind
	// elem is the plan of a pointer's, slice's or map's elements.
	elem *plan
	// fields are a struct's fields by JSON name, with inline and embedded
	// structs flattened as encoding/json does.
	fields map[string]fieldInfo
	// textUnmarshaler is set when *typ implements encoding.TextUnmarshaler.
	textUnmarshaler bool
}

var (
	plans     sync.Map // reflect.Type -> *plan, complete
	plansMu   sync.Mutex
	building  = map[reflect.Type]*plan{} // under plansMu
	stringMap = reflect.TypeOf(map[string]string(nil))
)

// planOf returns the plan of t.
func planOf(t reflect.Type) *plan {
	if pl, ok := plans.Load(t); ok {
		return pl.(*plan)
	}
	plansMu.Lock()
	defer plansMu.Unlock()
	pl := buildPlan(t)
	// Every plan buildPlan made is complete now; publish them together,
	// so that a reader never sees one whose elements are half made.
	for t, p := range building {
		plans.Store(t, p)
	}
	clear(building)
	return pl
}

// buildPlan makes the plan of t and of the types it holds. Recursive
// types end at the plan being built. The caller holds plansMu.
func buildPlan(t reflect.Type) *plan {
	if pl, ok := plans.Load(t); ok {
		return pl.(*plan)
	}
	if pl, ok := building[t]; ok {
		return pl
	}
	pl := &plan{typ: t}
	building[t] = pl
	switch t {
	case quantityType:
		pl.kind = planQuantity
		return pl
	case intOrStrType:
		pl.kind = planIntOrString
		return pl
	case timeType, microTimeType:
		pl.kind = planTime
		return pl
	case durationType:
		pl.kind = planDuration
		return pl
	case bytesType:
		pl.kind = planBytes
		return pl
	}
	if hasJSONUnmarshaler(t) {
		pl.kind = planJSONUnmarshaler
		return pl
	}
	switch t.Kind() {
	case reflect.Pointer:
		pl.kind = planPointer
		pl.elem = buildPlan(t.Elem())
	case reflect.Struct:
		pl.kind = planStruct
		pl.fields = structFields(t)
	case reflect.Map:
		pl.kind = planMap
		if t == stringMap {
			pl.kind = planStringMap
		}
		pl.elem = buildPlan(t.Elem())
	case reflect.Slice:
		pl.kind = planSlice
		pl.elem = buildPlan(t.Elem())
	case reflect.String:
		pl.kind = planString
	case reflect.Bool:
		pl.kind = planBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		pl.kind = planInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		pl.kind = planUint
	case reflect.Float32, reflect.Float64:
		pl.kind = planFloat
	case reflect.Interface:
		pl.kind = planInterface
	default:
		pl.textUnmarshaler = reflect.PointerTo(t).Implements(textUnmarshal)
	}
	return pl
}

// structFields returns the JSON field names of struct type t, with inline
// and embedded structs flattened as encoding/json does, and their plans.
func structFields(t reflect.Type) map[string]fieldInfo {
	fields := map[string]fieldInfo{}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(append([]int(nil), index...), i)
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if name == "" && (f.Anonymous || strings.Contains(opts, "inline")) && ft.Kind() == reflect.Struct {
				walk(ft, idx)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if _, exists := fields[name]; !exists || len(idx) < len(fields[name].index) {
				fields[name] = fieldInfo{index: idx}
			}
		}
	}
	walk(t, nil)
	for name, fi := range fields {
		fi.pl = buildPlan(t.FieldByIndex(fi.index).Type)
		fields[name] = fi
	}
	return fields
}

func isStringTag(tag string) bool {
	return tag == "!!str" || tag == "!!timestamp" || tag == "!!binary"
}

// wholeFloat reads a YAML float without a fraction (2.0, 1e3). kubectl
// carries YAML numbers into JSON as float64, which prints such a value as a
// whole number (2, 1000): the API server accepts it in an integer field.
func wholeFloat(n *yaml.Node) (float64, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!float" {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f != math.Trunc(f) || math.Abs(f) >= 1e21 {
		return 0, false // json.Marshal prints 1e21 and above with an exponent
	}
	return f, true
}

// isString reports whether n is a scalar kubectl sends as a JSON string.
func isString(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || !isStringTag(n.Tag) {
		return false
	}
	_, isBool := yaml11Bool(n)
	return !isBool
}

// yaml11Words are the plain scalars that YAML 1.1 reads as booleans besides
// true and false, which YAML 1.2 (yaml.v3) reads as strings.
var yaml11Words = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
}

// yaml11Bool reports the boolean kubectl reads in n: kubectl, Helm and
// client-go turn YAML into JSON with YAML 1.1 rules (sigs.k8s.io/yaml,
// yaml.v2), under which an unquoted, untagged y, yes, on, n, no or off is a
// boolean. The API server then accepts it in a boolean field and rejects it
// in a string field.
func yaml11Bool(n *yaml.Node) (value, ok bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" || n.Style&(yaml.TaggedStyle|yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return false, false
	}
	value, ok = yaml11Words[n.Value]
	return value, ok
}

func cleanInt(s string) string {
	s = strings.ReplaceAll(s, "_", "")
	if strings.HasPrefix(s, "0o") || strings.HasPrefix(s, "0O") {
		return "0" + s[2:]
	}
	return s
}

func describeType(t reflect.Type) string {
	switch t {
	case quantityType:
		return "a quantity"
	case intOrStrType:
		return "a number or a string"
	case timeType, microTimeType:
		return "a time"
	case durationType:
		return "a duration"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return describeType(t.Elem())
	case reflect.Struct, reflect.Map:
		return "a mapping"
	case reflect.Slice:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if _, ok := yaml11Bool(n); ok {
		return "the boolean " + n.Value + " (kubectl reads unquoted y, yes, on, n, no and off as booleans; quote it if it is meant as a string)"
	}
	switch n.Tag {
	case "!!int", "!!float":
		return "the number " + n.Value + " (quote it if it is meant as a string)"
	case "!!bool":
		return "the boolean " + n.Value + " (quote it if it is meant as a string)"
	case "!!null":
		return "null"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return fmt.Sprintf("the string %q", v)
}
