package validation

import (
	"context"
	"strings"
	"sync"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"

	"github.com/kubevet/kubevet/internal/manifest"
	"github.com/kubevet/kubevet/internal/schema"
)

// rules are the x-kubernetes-validations (CEL rules) of one served CRD
// version, compiled by the API server's own code (apiextensions-apiserver)
// the first time a custom resource of that version is validated, once per
// CRD object and run.
type rules struct {
	once     sync.Once
	v1       *apiextv1.JSONSchemaProps
	s        *structuralschema.Structural
	v        *cel.Validator // nil when the schema has no rules
	suffixes []string       // the normalized fieldPath of the rules that have one
}

// newRules returns the rules of a version's schema, or nil when it has
// none (the common case, which then costs nothing).
func newRules(p *apiextv1.JSONSchemaProps) *rules {
	if p == nil || !hasRules(p) {
		return nil
	}
	return &rules{v1: p}
}

func hasRules(p *apiextv1.JSONSchemaProps) bool {
	if p == nil {
		return false
	}
	if len(p.XValidations) > 0 {
		return true
	}
	for _, c := range p.Properties {
		if hasRules(&c) {
			return true
		}
	}
	if p.Items != nil && hasRules(p.Items.Schema) {
		return true
	}
	if p.AdditionalProperties != nil && hasRules(p.AdditionalProperties.Schema) {
		return true
	}
	for i := range p.AllOf {
		if hasRules(&p.AllOf[i]) {
			return true
		}
	}
	return false
}

// compile builds the structural schema as the API server does when it
// serves a CRD (the v1 schema converted to the internal version, made
// structural, its defaults pruned) and compiles its rules with the
// server's per-call cost limit.
func (r *rules) compile() {
	r.once.Do(func() {
		in := &apiextv1.CustomResourceValidation{OpenAPIV3Schema: r.v1}
		var internal apiextensions.CustomResourceValidation
		if err := apiextv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(in, &internal, nil); err != nil {
			return
		}
		s, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
		if err != nil {
			// Not structural: the server rejects such a CRD, and the
			// schema checks report what they can.
			return
		}
		s = s.DeepCopy()
		if structuraldefaulting.PruneDefaults(s) != nil {
			return
		}
		r.s = s
		r.v = cel.NewValidator(s, true, celconfig.PerCallLimit)
		r.suffixes = fieldPaths(s, nil)
	})
}

// fieldPaths collects the normalized fieldPath of the rules of s and below.
func fieldPaths(s *structuralschema.Structural, out []string) []string {
	if s == nil {
		return out
	}
	for _, rule := range s.XValidations {
		if rule.FieldPath == "" {
			continue
		}
		if p, _, err := cel.ValidFieldPath(rule.FieldPath, s); err == nil {
			out = append(out, p.String())
		}
	}
	for k := range s.Properties {
		p := s.Properties[k]
		out = fieldPaths(&p, out)
	}
	out = fieldPaths(s.Items, out)
	if s.AdditionalProperties != nil {
		out = fieldPaths(s.AdditionalProperties.Structural, out)
	}
	return out
}

// celFinding is one rule a custom resource breaks.
type celFinding struct {
	path manifest.Path
	msg  string
}

// evaluate runs the rules on a custom resource as the API server does on
// create: on the object pruned of unknown fields and of nulls, then
// defaulted; without an old object, so transition rules (oldSelf) are
// skipped; within the server's cost budget for one object. Errors of the
// schema that keep the server from running the rules (wrong types,
// missing fields, values outside an enum, too long, too many) must be
// checked by the caller first.
func (r *rules) evaluate(o *manifest.Object) []celFinding {
	r.compile()
	if r.v == nil {
		return nil
	}
	obj, err := o.Unstructured()
	if err != nil || obj == nil {
		return nil
	}
	structuralpruning.Prune(obj, r.s, true)
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(obj, r.s)
	structuraldefaulting.Default(obj, r.s)
	errs, _ := r.v.Validate(context.Background(), nil, r.s, obj, nil, celconfig.RuntimeCELCostBudget)
	var out []celFinding
	for _, e := range errs {
		if compileError(e) {
			// The server rejects the CRD itself; kubevet has no check of
			// CRD manifests beyond their schema: the rule is skipped.
			continue
		}
		out = append(out, celFinding{path: r.position(o, e.Field), msg: celMessage(o, e)})
	}
	return out
}

// compileError reports whether e says a rule did not compile.
func compileError(e *field.Error) bool {
	return e.Type == field.ErrorTypeInvalid && (strings.HasPrefix(e.Detail, "rule compile error: ") || strings.HasPrefix(e.Detail, "rule compiler initialization error: "))
}

// position places an error on the field its rule's fieldPath names when
// the document has it, else on the node the rule is attached to.
func (r *rules) position(o *manifest.Object, fld string) manifest.Path {
	if root(fld) {
		return manifest.Path{}
	}
	p := toPath(fld)
	if o.Has(p) {
		return p
	}
	for _, sfx := range r.suffixes {
		if base, ok := strings.CutSuffix(fld, sfx); ok && base != fld {
			base = strings.TrimSuffix(base, ".")
			if bp := toPath(base); base == "" || o.Has(bp) {
				return bp
			}
		}
	}
	return p
}

// celMessage words an error as the API server does
// ("spec: Invalid value: "object": min must not exceed max"); the root of
// the object, which the server prints as <nil>, is named by its kind.
func celMessage(o *manifest.Object, e *field.Error) string {
	if root(e.Field) {
		return o.Kind + ": " + e.ErrorBody()
	}
	return e.Error()
}

// root reports whether a field error's path is the object's root (a nil
// field.Path prints as "<nil>").
func root(fld string) bool { return fld == "" || fld == "<nil>" }

// blocksRules reports whether a schema error keeps the API server from
// evaluating the CEL rules of a custom resource.
func blocksRules(e schema.Error) bool {
	return e.Problem != schema.BadValue || e.Blocking
}
