// Package validation holds the checks that validate objects offline as
// the API server would on creation (spec rule WL-13): built-in objects
// against the OpenAPI schema of the target Kubernetes version and the
// server's own validation rules (rules.go), custom resources against the
// CustomResourceDefinitions of the same input, their CEL rules included
// (cel.go).
//
// Unknown fields and values of the wrong type of built-in objects are
// reported by the decoder (unknown-field, invalid-field-type, against the
// newest API types); these checks report what it cannot know: fields the
// target version does not have yet, required fields, and invalid values.
// Two problems the server rejects stay with the workload domain, which
// reported them first: requests above limits (requests-exceed-limits) and
// probes on init containers (init-container-probe).
package validation

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/apis"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
	"github.com/kubevet/kubevet/internal/schema"
)

// Checks is the validation domain's list, in catalog order.
var Checks = []*check.Check{
	RequiredFieldMissing,
	InvalidFieldValue,
	FieldNotInVersion,
	CustomResourceInvalid,
	CustomResourceUnvalidated,
}

var builtin = check.Target{
	Desc: "built-in objects (kinds of the Kubernetes API, and unknown kinds of its API groups)",
	Match: func(o *manifest.Object) bool {
		if o.Typed() != nil {
			return true
		}
		newest, err := schema.Load(schema.Newest())
		return err == nil && builtinGroup(newest, o.Group())
	},
}

var custom = check.Target{
	Desc:  "custom resources (kinds that are not built in)",
	Match: func(o *manifest.Object) bool { return o.Typed() == nil && o.Group() != "" },
}

// RequiredFieldMissing is a required field that is absent.
var RequiredFieldMissing = &check.Check{
	ID: "required-field-missing", Title: "Required field is missing", Severity: check.Error, Refs: []string{"WL-13"},
	Why: "The API server rejects an object without a field its schema or its validation requires: a container without an image, a Deployment without a selector, a Service without ports, a CronJob without a schedule, a Job whose pods would restart Always. " +
		"kubevet validates against the OpenAPI schema of the target Kubernetes version (kubernetesVersion in .kubevet.yaml; the newest schema it ships stands in for a newer version, the oldest for an older one) and the server's own rules for the common kinds.",
	Fix:     "Add the field the message names, at the path shown.",
	Example: "spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}",
	Target:  builtin,
	Run:     func(p *check.Pass) { runBuiltin(p, takeRequired) },
}

// InvalidFieldValue is a value the API server rejects.
var InvalidFieldValue = &check.Check{
	ID: "invalid-field-value", Title: "Field value is rejected by the API server", Severity: check.Error, Refs: []string{"WL-13"},
	Why: "The API server validates values beyond their type: names must be DNS labels or subdomains, label values at most 63 characters of letters, digits, '-', '_' and '.', ports between 1 and 65535, " +
		"enums such as imagePullPolicy and restartPolicy one of their values, a selector must match its template's labels. kubectl apply fails on the first such object, often halfway through a rollout. " +
		"A kind its apiVersion does not have (Deploymnet) is reported here too, and so are unknown fields and wrong types in the kinds kubevet does not decode itself (CustomResourceDefinition, APIService).",
	Fix:     "Correct the value at the path shown; the message says what the server accepts.",
	Example: "metadata:\n  name: web-api        # not Web_API\n  labels:\n    app: web-api",
	Target:  builtin,
	Run:     func(p *check.Pass) { runBuiltin(p, takeValues) },
}

// FieldNotInVersion is a field of the newest API that the target version
// does not have.
var FieldNotInVersion = &check.Check{
	ID: "field-not-in-version", Title: "Field does not exist in the target Kubernetes version", Severity: check.Error, Refs: []string{"WL-13"},
	Why:    "kubevet decodes objects with the newest API types, so it knows fields that older API servers do not. Against an older cluster such a field is rejected under kubectl's strict validation, or dropped silently: the setting never applies.",
	Fix:    "Remove the field, or raise kubernetesVersion in .kubevet.yaml once every cluster runs a version that has it.",
	Target: builtin,
	Run:    runNotInVersion,
}

// CustomResourceInvalid is a custom resource its CRD's schema rejects.
var CustomResourceInvalid = &check.Check{
	ID: "custom-resource-invalid", Title: "Custom resource does not match its CRD's schema", Severity: check.Error, Refs: []string{"WL-13"},
	Why: "The API server validates a custom resource against the openAPIV3Schema of its CustomResourceDefinition version: unknown fields (under kubectl's strict validation, unless x-kubernetes-preserve-unknown-fields), wrong types, missing required fields, values outside enum, pattern, minimum or maximum, " +
		"and the CEL rules of x-kubernetes-validations (self.min <= self.max), which kubevet evaluates with the API server's own code and cost limits, as on create: rules on oldSelf (transition rules) do not apply, and a rule that does not compile is skipped (the server rejects such a CRD). " +
		"kubevet validates against the CRDs found in the same input.",
	Fix:    "Correct the field at the path shown (for a CEL rule, the field its fieldPath names, or the one the rule is on), or update the CRD if the schema is what is wrong.",
	Target: custom,
	Cross:  true,
	Run:    runCustom,
}

// CustomResourceUnvalidated is a custom kind whose CRD is not in the input.
var CustomResourceUnvalidated = &check.Check{
	ID: "custom-resource-unvalidated", Title: "Custom resource has no CRD in the input and is not validated", Severity: check.Info, Refs: []string{"WL-13"},
	Why: "kubevet validates custom resources against the CustomResourceDefinitions of the same input. Without the CRD the objects of that kind are not validated: a typo in them is found only when they are applied. Reported once per kind.",
	Fix: "Add the CRD to the input (its manifest from the operator's release, for example), or, when the CRD is installed by the platform (an AKS add-on, an operator the platform team runs), " +
		"exempt the objects with the annotation exempt.kubevet.io/custom-resource-unvalidated or turn the check off in .kubevet.yaml (checks: {custom-resource-unvalidated: {enabled: false}}).",
	Target: custom,
	Cross:  true,
	Run:    runUnvalidated,
}

// target returns the schema the run validates against.
func target(s *check.Settings) (*schema.File, error) {
	v := apis.DefaultKubernetesVersion
	if s != nil && s.KubernetesVersion != "" {
		v = s.KubernetesVersion
	}
	if f, ok := targets.Load(v); ok {
		return f.(*schema.File), nil
	}
	version, _ := schema.Select(v)
	f, err := schema.Load(version)
	if err == nil {
		targets.Store(v, f)
	}
	return f, err
}

// targets caches the schema of each target version setting.
var targets sync.Map // string -> *schema.File

// ensureNode makes sure the object's node tree is there (a detached object
// reads its document again).
func ensureNode(o *manifest.Object) bool {
	if o.Node == nil && o.File != "" {
		o.Reload()
	}
	return o.Node != nil
}

// builtinErrors validates a built-in object against the target schema.
func builtinErrors(o *manifest.Object, f *schema.File) []schema.Error {
	def := f.Kind(o.APIVersion, o.Kind)
	if def == "" || !ensureNode(o) {
		return nil
	}
	return schema.Validate(f, &schema.Node{Ref: def}, o.Node, schema.Builtin)
}

// under reports whether p is q or below it.
func under(p, q string) bool {
	return p == q || strings.HasPrefix(p, q) && (p[len(q)] == '.' || p[len(q)] == '[')
}

// finding is one problem analyze found, for one of the two checks.
type finding struct {
	path manifest.Path
	msg  string
}

// result is what analyze finds in one object: the findings of
// required-field-missing, invalid-field-value and field-not-in-version.
type result struct {
	required, values, notInVersion []finding
}

// which says which check takes a result.
type which int

const (
	takeRequired which = iota
	takeValues
	takeNotInVersion
)

func runBuiltin(p *check.Pass, w which) {
	o := p.Object
	f, err := target(p.Settings)
	if err != nil {
		return
	}
	if o.Typed() == nil && f.Kind(o.APIVersion, o.Kind) == "" {
		if w == takeValues {
			unknownKind(p, f)
		}
		return
	}
	if w == takeNotInVersion && f.Version == schema.Newest() {
		return
	}
	// The checks run one after the other on the same object: the first
	// analyzes it, the others take the result.
	r := p.Memo(f, func() any { return analyze(o, f) }).(*result)
	var list []finding
	switch w {
	case takeRequired:
		list = r.required
	case takeValues:
		list = r.values
	case takeNotInVersion:
		list = r.notInVersion
	}
	for _, fd := range list {
		p.Report(fd.path, "%s", fd.msg)
	}
}

// analyze validates a built-in object against the target schema and the
// server's rules.
func analyze(o *manifest.Object, f *schema.File) *result {
	r := new(result)
	typed := o.Typed() != nil
	serrs := builtinErrors(o, f)
	// Fields of the wrong type are the decoder's (invalid-field-type): the
	// rules see their zero value and must not report them again.
	var wrong []string
	for _, e := range serrs {
		if typed && e.Problem == schema.WrongType {
			wrong = append(wrong, e.Path.String())
		}
	}
	var seenReq, seenVal map[string]bool // allocated at the first finding
	add := func(required bool, path manifest.Path, msg string) {
		ps := path.String()
		for _, w := range wrong {
			if under(ps, w) {
				return
			}
		}
		seen, list := &seenVal, &r.values
		if required {
			seen, list = &seenReq, &r.required
		}
		if (*seen)[ps] {
			return
		}
		if *seen == nil {
			*seen = map[string]bool{}
		}
		(*seen)[ps] = true
		*list = append(*list, finding{path, msg})
	}
	if f.Version != schema.Newest() {
		// The newest schema is loaded (once per process) only for an
		// object with an unknown field to look up.
		for _, e := range serrs {
			if e.Problem != schema.Unknown || e.Def == "" {
				continue
			}
			if newest, err := schema.Load(schema.Newest()); err == nil && newest.HasField(e.Def, e.Field) {
				r.notInVersion = append(r.notInVersion, finding{e.Path, fmt.Sprintf("%s: field does not exist in Kubernetes %s, the target version: its API server rejects it under kubectl's strict validation, or drops it; remove it or raise kubernetesVersion", e.Path, f.Version)})
			}
		}
	}
	for _, e := range serrs {
		switch {
		case e.Problem == schema.Unknown && typed:
			// The decoder's (unknown-field), or field-not-in-version's.
		case e.Problem == schema.Missing:
			add(true, e.Path, e.Path.String()+": required field is missing; the API server rejects the object without it")
		case e.Problem == schema.BadValue:
			add(false, e.Path, e.Msg)
		case !typed:
			// Kinds kubevet does not decode (CustomResourceDefinition,
			// APIService) get no unknown-field or invalid-field-type from
			// the decoder: the schema's verdict is reported here.
			add(false, e.Path, e.Msg+": the API server rejects it under kubectl's strict validation")
		}
	}
	if !typed {
		return r
	}
	errs := semantic(o, minorOf(f.Version))
	if len(errs) == 0 {
		return r
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Field < errs[j].Field })
	// A missing field is required-field-missing's, not also a zero value
	// out of range.
	if seenVal == nil {
		seenVal = map[string]bool{}
	}
	for _, e := range serrs {
		if e.Problem == schema.Missing {
			seenVal[e.Path.String()] = true
		}
	}
	for _, e := range errs {
		if e.Type == field.ErrorTypeRequired {
			seenVal[e.Field] = true
		}
	}
	for _, e := range errs {
		e.Field = refine(o.Node, e)
		path := toPath(e.Field)
		msg := message(e)
		required := e.Type == field.ErrorTypeRequired
		if required && o.Has(path) {
			msg = strings.Replace(msg, "required field is missing; the API server rejects the object without it", "required field is empty or zero; the API server rejects the object without a value", 1)
		}
		add(required, path, msg)
	}
	return r
}

// unknownKind reports a kind that an API group version of Kubernetes does
// not have (a misspelt kind, or a kind under the wrong apiVersion). Group
// versions Kubernetes no longer serves are api-removed's.
func unknownKind(p *check.Pass, f *schema.File) {
	o := p.Object
	newest, err := schema.Load(schema.Newest())
	if err != nil || f.Kind(o.APIVersion, o.Kind) != "" || newest.Kind(o.APIVersion, o.Kind) != "" {
		return
	}
	var kinds []string
	for gvk := range newest.Kinds {
		if gv, kind, ok := cutLast(gvk); ok && gv == o.APIVersion {
			kinds = append(kinds, kind)
		}
	}
	if len(kinds) == 0 {
		return
	}
	sort.Strings(kinds)
	hint := ""
	for _, k := range kinds {
		if strings.EqualFold(k, o.Kind) || closeTo(k, o.Kind) {
			hint = fmt.Sprintf(" (did you mean %s?)", k)
			break
		}
	}
	p.Report(manifest.NewPath("kind"), "%s has no kind %s%s: the API server rejects the object; check apiVersion and kind", o.APIVersion, o.Kind, hint)
}

func cutLast(s string) (string, string, bool) {
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// closeTo reports whether a and b differ by one edit or one swap of
// neighbouring letters.
func closeTo(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		return a[i+1:] == b[i+1:] || i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

// message words a field error as the API server does, with advice.
func message(e *field.Error) string {
	if e.Type == field.ErrorTypeRequired {
		msg := e.Field + ": required field is missing; the API server rejects the object without it"
		if e.Detail != "" {
			msg += " (" + e.Detail + ")"
		}
		return msg
	}
	return e.Error()
}

func runNotInVersion(p *check.Pass) { runBuiltin(p, takeNotInVersion) }

// crd is what the input's CustomResourceDefinitions say about one kind.
type crd struct {
	name          string
	clusterScoped bool
	versions      map[string]*schema.Node // served versions; nil schema when none
	rules         map[string]*rules       // the CEL rules of the versions that have some
}

type crdKey struct{}

type groupKind struct{ group, kind string }

// crds indexes the CRDs of the input by group and kind, once per run.
func crds(g *graph.Graph) map[groupKind]*crd {
	if g == nil {
		return nil
	}
	return g.Memo(crdKey{}, func(g *graph.Graph) any {
		idx := map[groupKind]*crd{}
		for _, o := range g.Kind("apiextensions.k8s.io", "CustomResourceDefinition") {
			if o.APIVersion != "apiextensions.k8s.io/v1" {
				continue
			}
			var c apiextv1.CustomResourceDefinition
			if err := json.Unmarshal(o.JSON(), &c); err != nil || c.Spec.Group == "" || c.Spec.Names.Kind == "" {
				continue
			}
			entry := &crd{name: c.Name, clusterScoped: c.Spec.Scope == apiextv1.ClusterScoped, versions: map[string]*schema.Node{}}
			for _, v := range c.Spec.Versions {
				if !v.Served {
					continue
				}
				var n *schema.Node
				if v.Schema != nil {
					n = schema.FromCRD(v.Schema.OpenAPIV3Schema)
					if r := newRules(v.Schema.OpenAPIV3Schema); r != nil {
						if entry.rules == nil {
							entry.rules = map[string]*rules{}
						}
						entry.rules[v.Name] = r
					}
				}
				entry.versions[v.Name] = n
			}
			idx[groupKind{c.Spec.Group, c.Spec.Names.Kind}] = entry
		}
		return idx
	}).(map[groupKind]*crd)
}

func runCustom(p *check.Pass) {
	o := p.Object
	c := crds(p.Graph)[groupKind{o.Group(), o.Kind}]
	if c == nil {
		return
	}
	version := o.GVK().Version
	s, served := c.versions[version]
	if !served {
		var vs []string
		for v := range c.versions {
			vs = append(vs, v)
		}
		sort.Strings(vs)
		p.Report(manifest.NewPath("apiVersion"), "the CustomResourceDefinition %s does not serve version %s of %s (it serves %s): the API server has no such resource", c.name, version, o.Kind, strings.Join(vs, ", "))
		return
	}
	if o.Node == nil {
		// Checks across objects see detached objects: read the document
		// for its positions, and let it go again afterwards.
		defer o.Detach()
	}
	if !ensureNode(o) {
		return
	}
	// ObjectMeta is validated as for every object (custom resource names
	// are DNS subdomains).
	if meta, ok := metaOf(o); ok {
		for _, e := range validateObjectMeta(meta, c.clusterScoped, apimachineryvalidation.NameIsDNSSubdomain) {
			e.Field = refine(o.Node, e)
			p.Report(toPath(e.Field), "%s", e.Error())
		}
	}
	if s == nil {
		return
	}
	blocked := false
	for _, e := range schema.Validate(nil, s, o.Node, schema.Structural) {
		p.Report(e.Path, "%s (schema of %s, version %s)", e.Msg, c.name, version)
		blocked = blocked || blocksRules(e)
	}
	// The API server evaluates the x-kubernetes-validations rules only
	// when the schema's errors let it (hasBlockingErr in its strategy).
	if r := c.rules[version]; r != nil && !blocked {
		for _, f := range r.evaluate(o) {
			p.Report(f.path, "%s (x-kubernetes-validations rule of %s, version %s)", f.msg, c.name, version)
		}
	}
}

func metaOf(o *manifest.Object) (metav1.Object, bool) {
	u, err := o.Unstructured()
	if err != nil {
		return nil, false
	}
	raw, _ := u["metadata"].(map[string]any)
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, false
	}
	var m metav1.ObjectMeta
	if json.Unmarshal(b, &m) != nil {
		return nil, false
	}
	return &m, true
}

func runUnvalidated(p *check.Pass) {
	o := p.Object
	if crds(p.Graph)[groupKind{o.Group(), o.Kind}] != nil {
		return
	}
	newest, err := schema.Load(schema.Newest())
	if err != nil || builtinGroup(newest, o.Group()) {
		return // a built-in API the decoder does not know
	}
	same := p.Graph.Kind(o.Group(), o.Kind)
	if len(same) == 0 || same[0] != o {
		return // once per kind: on its first object
	}
	p.Report(manifest.NewPath("kind"), "no CustomResourceDefinition for %s.%s in the input: its %d object(s) are not validated; add the CRD to validate them", o.Kind, o.Group(), len(same))
}

// builtinGroup reports whether group is an API group of Kubernetes itself.
func builtinGroup(f *schema.File, group string) bool {
	for gvk := range f.Kinds {
		if group == "" && strings.Count(gvk, "/") == 1 || group != "" && strings.HasPrefix(gvk, group+"/") && strings.Count(gvk, "/") == 2 {
			return true
		}
	}
	return false
}

// minorOf returns the minor number of a version such as "1.36".
func minorOf(v string) int {
	_, m, _ := strings.Cut(v, ".")
	n, _ := strconv.Atoi(m)
	return n
}
