package availability

import (
	"fmt"
	"strings"

	policyv1 "k8s.io/api/policy/v1"
	policyv1beta1 "k8s.io/api/policy/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

var pdbs = check.Kinds("PodDisruptionBudget.policy")

// budget is a PodDisruptionBudget of either version.
type budget struct {
	V1                           bool
	Selector                     *metav1.LabelSelector
	MinAvailable, MaxUnavailable *intstr.IntOrString
	// Sel is the selector as the budget's API version reads it.
	Sel labels.Selector
}

// budgetOf reads a policy/v1 or policy/v1beta1 PodDisruptionBudget. A null
// selector selects no pods in both versions; an empty one ({}) selects
// every pod of the namespace in policy/v1 and no pod in policy/v1beta1.
func budgetOf(o *manifest.Object) (budget, bool) {
	switch t := o.Typed().(type) {
	case *policyv1.PodDisruptionBudget:
		s := t.Spec
		return budget{V1: true, Selector: s.Selector, MinAvailable: s.MinAvailable, MaxUnavailable: s.MaxUnavailable,
			Sel: graph.SelectorOf(s.Selector, labels.Nothing())}, true
	case *policyv1beta1.PodDisruptionBudget:
		s := t.Spec
		sel := graph.SelectorOf(s.Selector, labels.Nothing())
		if emptySelector(s.Selector) {
			sel = labels.Nothing()
		}
		return budget{Selector: s.Selector, MinAvailable: s.MinAvailable, MaxUnavailable: s.MaxUnavailable, Sel: sel}, true
	}
	return budget{}, false
}

func emptySelector(ls *metav1.LabelSelector) bool {
	return ls != nil && len(ls.MatchLabels) == 0 && len(ls.MatchExpressions) == 0
}

type pdbIndexKey struct{}

// budgetsOf returns the PodDisruptionBudgets (both versions) that select
// the pods of workload w. The index is built once per graph from each
// budget's selector, through the graph's label postings.
func budgetsOf(g *graph.Graph, w *manifest.Object) []*manifest.Object {
	idx := g.Memo(pdbIndexKey{}, func(g *graph.Graph) any {
		idx := map[*manifest.Object][]*manifest.Object{}
		for _, o := range g.Kind("policy", "PodDisruptionBudget") {
			b, ok := budgetOf(o)
			if !ok {
				continue
			}
			for _, sel := range g.SelectWorkloads(o.Namespace, b.Sel) {
				idx[sel] = append(idx[sel], o)
			}
		}
		return idx
	}).(map[*manifest.Object][]*manifest.Object)
	return idx[w]
}

// workloadPath is where findings about a whole workload go: its
// spec.replicas when written, else its name.
func workloadPath(o *manifest.Object) manifest.Path {
	if _, set := replicasOf(o); set {
		return manifest.NewPath("spec", "replicas")
	}
	return manifest.NewPath("metadata", "name")
}

// PDBMissing reports replicated workloads that no policy/v1 PDB protects.
var PDBMissing = &check.Check{
	ID:       "pdb-missing",
	Title:    "Replicated workload has no PodDisruptionBudget",
	Severity: check.Warning,
	Refs:     []string{"DR-12"},
	Why: "Node drains (AKS upgrades, node-image upgrades, the cluster autoscaler scaling down) evict pods through the eviction API, " +
		"which honours PodDisruptionBudgets. Without one, a drain may evict every replica at once. " +
		"Only a policy/v1 PodDisruptionBudget in the workload's own namespace whose selector matches the pod template's labels protects it.",
	Fix: "Add a policy/v1 PodDisruptionBudget in the same namespace with maxUnavailable: 1 and a selector matching the pod template's labels.",
	Example: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}`,
	Target: replicated,
	Cross:  true,
	Run: func(p *check.Pass) {
		o := p.Object
		if !o.HasPodTemplate() {
			return
		}
		rc := effectiveReplicas(p.Graph, o)
		if rc.N < 2 {
			return
		}
		var beta []string
		for _, b := range budgetsOf(p.Graph, o) {
			if _, v1 := b.Typed().(*policyv1.PodDisruptionBudget); v1 {
				return
			}
			beta = append(beta, b.Kind+"/"+b.Name)
		}
		own := labelsOrNone(labels.Set(podLabels(o.PodTemplate())))
		if len(beta) > 0 {
			p.Report(workloadPath(o), "%s runs %s and only policy/v1beta1 %s selects its pods: that API was removed in Kubernetes 1.25, so the budget cannot be applied; change it to apiVersion policy/v1",
				o.Kind, rc, strings.Join(beta, ", "))
			return
		}
		p.Report(workloadPath(o), "%s runs %s but no policy/v1 PodDisruptionBudget in namespace %s selects its pods (%s): a node drain may evict them all at once; add a PodDisruptionBudget with maxUnavailable: 1 selecting these labels",
			o.Kind, rc, o.Namespace, own)
	},
}

// allowedDisruptions is the number of pods a PDB lets voluntary evictions
// take when every pod it selects is healthy, computed as the disruption
// controller computes it (pkg/controller/disruption, getExpectedPodCount
// and updatePdbStatus):
//
//   - maxUnavailable (integer or percentage): expected = the sum of the
//     scale of the pods' controllers; desired healthy = expected minus
//     maxUnavailable scaled with rounding up, not below 0.
//   - minAvailable integer: expected = the number of selected pods; desired
//     healthy = minAvailable.
//   - minAvailable percentage: expected = the sum of the controllers'
//     scale; desired healthy = minAvailable scaled with rounding up.
//   - neither: expected = 0.
//
// Allowed = healthy pods - desired healthy, and 0 when that is negative or
// expected is 0. scale is the sum of the controllers' replicas, pods the
// number of pods selected (controllers' and bare pods).
func allowedDisruptions(minAvailable, maxUnavailable *intstr.IntOrString, scale, pods int32) (allowed, expected, desired int32, err error) {
	switch {
	case maxUnavailable != nil:
		expected = scale
		m, err := intstr.GetScaledValueFromIntOrPercent(maxUnavailable, int(expected), true)
		if err != nil {
			return 0, 0, 0, err
		}
		desired = max(expected-int32(m), 0)
	case minAvailable != nil && minAvailable.Type == intstr.Int:
		expected, desired = pods, minAvailable.IntVal
	case minAvailable != nil:
		expected = scale
		m, err := intstr.GetScaledValueFromIntOrPercent(minAvailable, int(expected), true)
		if err != nil {
			return 0, 0, 0, err
		}
		desired = int32(m)
	}
	allowed = pods - desired
	if expected <= 0 || allowed < 0 {
		allowed = 0
	}
	return allowed, expected, desired, nil
}

// isZero reports whether v is 0 or "0%".
func isZero(v *intstr.IntOrString) bool {
	if v == nil {
		return false
	}
	if v.Type == intstr.Int {
		return v.IntVal == 0
	}
	return strings.TrimSpace(v.StrVal) == "0%"
}

func isHundredPercent(v *intstr.IntOrString) bool {
	return v != nil && v.Type == intstr.String && strings.TrimSpace(v.StrVal) == "100%"
}

// PDBBlocksEviction reports PodDisruptionBudgets that allow no voluntary
// eviction at all.
var PDBBlocksEviction = &check.Check{
	ID:       "pdb-blocks-eviction",
	Title:    "PodDisruptionBudget blocks every voluntary eviction",
	Severity: check.Error,
	Refs:     []string{"DR-12"},
	Why: "A PodDisruptionBudget that allows no disruption when all its pods are healthy makes every node drain wait forever: " +
		"AKS upgrades and node-image upgrades stall or fail, and the cluster autoscaler cannot remove the node. " +
		"This happens with maxUnavailable 0 or \"0%\", minAvailable \"100%\", minAvailable at least the number of pods, " +
		"or neither field set (the disruption controller then expects no pods and allows nothing). " +
		"Percentages round up, so minAvailable \"60%\" of 2 pods is 2.",
	Fix: "Use maxUnavailable: 1 (or a percentage that leaves at least one pod), or a minAvailable below the number of replicas.",
	Example: `apiVersion: policy/v1
kind: PodDisruptionBudget
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}`,
	Target: pdbs,
	Cross:  true,
	Run:    runBlocksEviction,
}

func runBlocksEviction(p *check.Pass) {
	o := p.Object
	b, ok := budgetOf(o)
	if !ok {
		return
	}
	minPath := manifest.NewPath("spec", "minAvailable")
	maxPath := manifest.NewPath("spec", "maxUnavailable")
	switch {
	case b.MinAvailable != nil && b.MaxUnavailable != nil:
		return // invalid; the API server rejects it
	case b.MinAvailable == nil && b.MaxUnavailable == nil:
		p.Report(manifest.NewPath("spec"), "PodDisruptionBudget %s sets neither minAvailable nor maxUnavailable: the disruption controller then expects no pods and allows no disruption, so it blocks every eviction of the pods it selects; set maxUnavailable: 1", o.Name)
		return
	case isZero(b.MaxUnavailable):
		p.Report(maxPath, "PodDisruptionBudget %s sets maxUnavailable %s: no pod it selects may ever be evicted, so every node drain (AKS upgrades, autoscaler scale-down) waits forever; set maxUnavailable: 1", o.Name, b.MaxUnavailable.String())
		return
	case isHundredPercent(b.MinAvailable):
		p.Report(minPath, "PodDisruptionBudget %s sets minAvailable \"100%%\": no pod it selects may ever be evicted, so every node drain (AKS upgrades, autoscaler scale-down) waits forever; use maxUnavailable: 1", o.Name)
		return
	}
	selected := p.Graph.SelectWorkloads(o.Namespace, b.Sel)
	if len(selected) == 0 {
		return // pdb-selects-nothing
	}
	var scale, pods int32
	parts := make([]string, 0, len(selected))
	for _, w := range selected {
		c := podCountOf(p.Graph, w)
		if !c.Known {
			return // a DaemonSet, Job or custom kind: its pod count is not in the manifest
		}
		scale += c.Scale
		pods += c.Pods
		if c.Scale > 0 || c.Pods > 0 {
			if c.Scale == 0 {
				parts = append(parts, fmt.Sprintf("%s/%s: 1 pod", w.Kind, w.Name))
			} else {
				parts = append(parts, fmt.Sprintf("%s/%s: %s", w.Kind, w.Name, effectiveReplicas(p.Graph, w)))
			}
		}
	}
	allowed, expected, desired, err := allowedDisruptions(b.MinAvailable, b.MaxUnavailable, scale, pods)
	if err != nil || expected <= 0 || allowed > 0 {
		return
	}
	path, field, val := minPath, "minAvailable", b.MinAvailable
	if b.MaxUnavailable != nil {
		path, field, val = maxPath, "maxUnavailable", b.MaxUnavailable
	}
	p.Report(path, "PodDisruptionBudget %s: %s %s with %s expected (%s) requires %d healthy, so it allows no disruption and every node drain waits forever; lower it below the number of replicas, or use maxUnavailable: 1",
		o.Name, field, val.String(), plural(int(expected), "pod"), strings.Join(parts, ", "), desired)
}

// PDBSelectsNothing reports budgets whose selector matches no pod template
// of their namespace.
var PDBSelectsNothing = &check.Check{
	ID:       "pdb-selects-nothing",
	Title:    "PodDisruptionBudget selects no pods",
	Severity: check.Warning,
	Refs:     []string{"DR-12"},
	Why: "A PodDisruptionBudget protects only the pods its selector matches in its own namespace. " +
		"A selector that matches none of the namespace's workloads (a typo, labels that changed, a budget in the wrong namespace) protects nothing. " +
		"A null selector selects nothing, and in policy/v1beta1 an empty selector ({}) selects nothing too.",
	Fix: "Make the selector match the pod template labels of the workload it protects, in the workload's namespace. " +
		"The check runs only when the input holds workloads of that namespace, and not when the namespace holds a custom resource whose operator creates pods (a prometheus-operator Alertmanager, a Strimzi Kafka), as the input does not show their labels.",
	Example: `spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}   # the pod template's labels`,
	Target: pdbs,
	Cross:  true,
	Run: func(p *check.Pass) {
		o := p.Object
		b, ok := budgetOf(o)
		if !ok {
			return
		}
		n := len(p.Graph.Workloads(o.Namespace))
		if n == 0 {
			return // the namespace's workloads are not in the input
		}
		if len(p.Graph.SelectWorkloads(o.Namespace, b.Sel)) > 0 {
			return
		}
		if b.Selector != nil && (b.V1 || !emptySelector(b.Selector)) && len(p.Graph.OperatorObjects(o.Namespace)) > 0 {
			return // it may select the pods of an operator
		}
		path := manifest.NewPath("spec", "selector")
		switch {
		case b.Selector == nil:
			p.Report(path, "PodDisruptionBudget %s has no selector, so it selects no pods; set spec.selector to the pod template labels of the workload it protects", o.Name)
		case !b.V1 && emptySelector(b.Selector):
			p.Report(path, "PodDisruptionBudget %s is policy/v1beta1, where an empty selector selects no pods (policy/v1 would select every pod of namespace %s); set the labels of the workload it protects", o.Name, o.Namespace)
		default:
			where := elsewhere(p.Graph, o.Namespace, b.Sel)
			p.Report(path, "the selector of PodDisruptionBudget %s (%s) matches none of the %d workloads of namespace %s in the input%s, so it protects nothing; match the pod template labels of the workload it protects",
				o.Name, metav1.FormatLabelSelector(b.Selector), n, o.Namespace, where)
		}
	},
}

// elsewhere names a workload of another namespace that sel matches: a
// budget only covers pods of its own namespace.
func elsewhere(g *graph.Graph, ns string, sel labels.Selector) string {
	for _, other := range g.Namespaces() {
		if other == ns {
			continue
		}
		if ws := g.SelectWorkloads(other, sel); len(ws) > 0 {
			return fmt.Sprintf(" (it matches %s/%s of namespace %s, but a PodDisruptionBudget covers only pods of its own namespace)", ws[0].Kind, ws[0].Name, other)
		}
	}
	return ""
}

// PDBV1beta1 reports policy/v1beta1 budgets.
var PDBV1beta1 = &check.Check{
	ID:       "pdb-v1beta1",
	Title:    "PodDisruptionBudget uses the removed policy/v1beta1 API",
	Severity: check.Warning,
	Refs:     []string{"DR-12"},
	Why: "policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25, so AKS clusters reject it; older guides still show it. " +
		"Moving to policy/v1 is not only a rename: an empty selector ({}) selects no pods in policy/v1beta1 but every pod of the namespace in policy/v1.",
	Fix: "Set apiVersion: policy/v1, and check that the selector names the labels of the pods it protects.",
	Example: `apiVersion: policy/v1
kind: PodDisruptionBudget
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}`,
	Target: pdbs,
	Run: func(p *check.Pass) {
		o := p.Object
		t, ok := o.Typed().(*policyv1beta1.PodDisruptionBudget)
		if !ok {
			return
		}
		path := manifest.NewPath("apiVersion")
		if emptySelector(t.Spec.Selector) {
			p.Report(path, "PodDisruptionBudget %s uses policy/v1beta1, removed in Kubernetes 1.25; its empty selector selects no pods in v1beta1 but would select every pod of namespace %s in policy/v1: write the labels of the pods it protects, then set apiVersion: policy/v1", o.Name, o.Namespace)
			return
		}
		p.Report(path, "PodDisruptionBudget %s uses policy/v1beta1, removed in Kubernetes 1.25; set apiVersion: policy/v1 (the fields are the same, but an empty selector selects every pod of the namespace in v1 and none in v1beta1)", o.Name)
	},
}
