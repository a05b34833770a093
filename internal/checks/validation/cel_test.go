package validation_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/validation"
	"github.com/kubevet/kubevet/internal/checktest"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// celFindings runs custom-resource-invalid on the custom resources of a
// fixture file, as the engine runs checks across objects, and returns
// "line:col message" for each finding.
func celFindings(t testing.TB, objs []*manifest.Object) []string {
	t.Helper()
	for _, o := range objs {
		o.Detach()
	}
	g := graph.New(objs)
	var out []string
	for _, o := range objs {
		if o.Kind == "CustomResourceDefinition" {
			continue
		}
		for _, f := range check.RunGraph(validation.CustomResourceInvalid, o, &check.Settings{}, nil, g) {
			out = append(out, fmt.Sprintf("%d:%d %s", f.Line, f.Column, f.Message))
		}
	}
	return out
}

// TestCELRules pins the position and the wording of the findings of CEL
// rules: the node the rule is attached to, the field of its fieldPath
// when the document has it, the server's message (messageExpression,
// message, reason, runtime errors), rules that do not compile or use
// oldSelf skipped, and no rule run past a blocking schema error.
func TestCELRules(t *testing.T) {
	got := celFindings(t, checktest.File(t, "testdata/custom-resource-invalid/cel.yaml"))
	const suffix = " (x-kubernetes-validations rule of rulebooks.example.com, version v1)"
	want := []string{
		// A rule of the root: on the document, named by its kind.
		"67:1 Rulebook: Invalid value: the name must start with rb-" + suffix,
		// fieldPath .limits.cpu is not in the document: on spec, the node
		// the rule is attached to; reason FieldValueRequired.
		"72:1 spec.limits.cpu: Required value: limits.cpu is required" + suffix,
		// A runtime error is reported as the server reports it.
		`72:1 spec: Invalid value: "object": division by zero evaluating rule: total must be at least parts` + suffix,
		// A rule on list items, with messageExpression.
		"78:5 spec.ports[1]: Invalid value: port of admin must not be 0" + suffix,
		// fieldPath .limits.cpu is in the document: on it.
		"89:5 spec.limits.cpu: Required value: limits.cpu is required" + suffix,
		// A wrong type blocks the rules, as on the server.
		`97:3 spec.total: expected a whole number, found "lots" (schema of rulebooks.example.com, version v1)`,
	}
	// The server visits the fields of a mapping in no set order.
	slices.Sort(got)
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range got {
		if strings.Contains(f, "compile") || strings.Contains(f, "immutable") {
			t.Errorf("a rule that does not compile, or a transition rule, was run: %s", f)
		}
	}
}

// TestCELCostLimit: a rule over the API server's per-call cost limit is
// reported as the server reports it, and stops the rules of the object.
func TestCELCostLimit(t *testing.T) {
	objs := append(checktest.File(t, corpus+"/crds.yaml"), checktest.File(t, corpus+"/invalid/grid-over-cost-limit.yaml")...)
	got := celFindings(t, objs)
	want := `10:3 spec.cells: Invalid value: "array": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: cells must not be negative (x-kubernetes-validations rule of grids.example.com, version v1)`
	if len(got) != 1 || got[0] != want {
		t.Errorf("findings %q, want %q", got, want)
	}
}
