package availability

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// spreadKeys are the node labels that spread replicas across failure
// domains: the node, the zone, and the zone's legacy beta label.
var spreadKeys = map[string]bool{
	corev1.LabelHostname:              true,
	corev1.LabelTopologyZone:          true,
	corev1.LabelFailureDomainBetaZone: true,
}

// Spread reports replicated workloads whose pods the scheduler may put on
// one node or in one zone.
var Spread = &check.Check{
	ID:       "replica-spread",
	Title:    "Replicas are not spread across nodes or zones",
	Severity: check.Warning,
	Refs:     []string{"DR-11"},
	Why: "Replicas protect against a node or zone failure only if they run on different nodes and zones. " +
		"Without pod anti-affinity or a topology spread constraint, the scheduler may place every replica on the same node, " +
		"and one node failure, drain or upgrade takes them all down. A constraint counts only if its selector matches the pod's own labels " +
		"(and, for anti-affinity, applies in the pod's own namespace): otherwise it keeps the pods away from other pods, not from each other.",
	Fix: "Add a topologySpreadConstraint on topology.kubernetes.io/zone and/or kubernetes.io/hostname, or a podAntiAffinity term " +
		"(preferred is enough) on kubernetes.io/hostname, whose labelSelector selects the pod template's own labels.",
	Example: `spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: {app: web}`,
	Target: replicated,
	Cross:  true,
	Run:    runSpread,
}

// spreadProblem is a constraint on a spreading key that does not keep the
// workload's own replicas apart.
type spreadProblem struct {
	path manifest.Path
	msg  string
}

func runSpread(p *check.Pass) {
	o := p.Object
	pt := o.PodTemplate()
	if pt == nil || pt.Spec == nil {
		return
	}
	rc := effectiveReplicas(p.Graph, o)
	if rc.N < 2 {
		return // single-replica's concern
	}
	own := labels.Set(podLabels(pt))
	spec := pt.Spec
	var problems []spreadProblem
	var otherKeys []string
	judge := func(ok bool, prob *spreadProblem) bool {
		if prob != nil {
			problems = append(problems, *prob)
		}
		return ok
	}
	if a := spec.Affinity; a != nil && a.PodAntiAffinity != nil {
		base := pt.SpecPath.Child("affinity", "podAntiAffinity")
		for i, t := range a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution {
			path := base.Child("requiredDuringSchedulingIgnoredDuringExecution").Index(i)
			if !spreadKeys[t.TopologyKey] {
				otherKeys = append(otherKeys, t.TopologyKey)
				continue
			}
			if judge(judgeAntiAffinity(p.Graph, o.Namespace, own, &t, path)) {
				return
			}
		}
		for i, w := range a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution {
			path := base.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i).Child("podAffinityTerm")
			if !spreadKeys[w.PodAffinityTerm.TopologyKey] {
				otherKeys = append(otherKeys, w.PodAffinityTerm.TopologyKey)
				continue
			}
			if judge(judgeAntiAffinity(p.Graph, o.Namespace, own, &w.PodAffinityTerm, path)) {
				return
			}
		}
	}
	for i, c := range spec.TopologySpreadConstraints {
		path := pt.SpecPath.Child("topologySpreadConstraints").Index(i)
		if !spreadKeys[c.TopologyKey] {
			otherKeys = append(otherKeys, c.TopologyKey)
			continue
		}
		if judge(judgeSpreadConstraint(own, &c, path)) {
			return
		}
	}
	if len(problems) > 0 {
		for _, pr := range problems {
			p.Report(pr.path, "%s", pr.msg)
		}
		return
	}
	others := ""
	if len(otherKeys) > 0 {
		slices.Sort(otherKeys)
		others = fmt.Sprintf(" (its constraints use only %s)", strings.Join(slices.Compact(otherKeys), ", "))
	}
	p.Report(pt.SpecPath, "%s runs %s but has no podAntiAffinity or topologySpreadConstraints on %s or %s%s: "+
		"the scheduler may put every replica on one node, so one node failure or drain takes them all down; "+
		"add a topologySpreadConstraint on topology.kubernetes.io/zone or a podAntiAffinity term on kubernetes.io/hostname selecting %s",
		o.Kind, rc, corev1.LabelHostname, corev1.LabelTopologyZone, others, labelsOrNone(own))
}

// judgeAntiAffinity says whether an anti-affinity term on a spreading key
// keeps the workload's own pods apart. Its label selector must match the
// pod's own labels (a null selector matches no pods; an empty one matches
// every pod), mismatchLabelKeys must not exclude the pod's own label values
// (matchLabelKeys only add the pod's own values, which it always matches),
// and the term must apply in the pod's own namespace: it does when it names
// no namespaces and no namespace selector, when namespaces lists it, or when
// namespaceSelector matches the namespace's labels.
func judgeAntiAffinity(g *graph.Graph, ns string, own labels.Set, t *corev1.PodAffinityTerm, path manifest.Path) (bool, *spreadProblem) {
	if t.LabelSelector == nil {
		return false, &spreadProblem{path, fmt.Sprintf("this podAntiAffinity term on %s has no labelSelector, so it matches no pods and keeps the replicas on the same node or zone free to meet; set labelSelector to the pod's own labels (%s)", t.TopologyKey, labelsOrNone(own))}
	}
	if !graph.SelectorOf(t.LabelSelector, labels.Nothing()).Matches(own) {
		return false, &spreadProblem{path.Child("labelSelector"), fmt.Sprintf("the labelSelector of this podAntiAffinity term on %s (%s) does not match the pod template's own labels (%s): it keeps the pods away from other pods, not from each other; select the template's own labels", t.TopologyKey, metav1.FormatLabelSelector(t.LabelSelector), labelsOrNone(own))}
	}
	for i, k := range t.MismatchLabelKeys {
		if own.Has(k) {
			return false, &spreadProblem{path.Child("mismatchLabelKeys").Index(i), fmt.Sprintf("mismatchLabelKeys %q excludes the pods whose %s label equals this pod's own, that is its own replicas, so this podAntiAffinity term on %s does not keep them apart; remove the key or use matchLabelKeys", k, k, t.TopologyKey)}
		}
	}
	if len(t.Namespaces) == 0 && t.NamespaceSelector == nil || slices.Contains(t.Namespaces, ns) {
		return true, nil
	}
	if t.NamespaceSelector != nil && namespaceMayMatch(g, ns, t.NamespaceSelector) {
		return true, nil
	}
	at := path.Child("namespaces")
	if len(t.Namespaces) == 0 {
		at = path.Child("namespaceSelector")
	}
	return false, &spreadProblem{at, fmt.Sprintf("this podAntiAffinity term on %s applies to other namespaces than the pod's own (%s), so it does not keep the replicas apart; add %q to namespaces or remove namespaces and namespaceSelector", t.TopologyKey, ns, ns)}
}

// namespaceMetadataName is the label the API server sets on every
// namespace to its name.
const namespaceMetadataName = "kubernetes.io/metadata.name"

// namespaceMayMatch says whether sel may select namespace ns. With the
// Namespace object in the input, its labels decide (plus the name label
// the API server adds); without it, only a selector that fails on the name
// label alone is known not to match, and any other is given the benefit
// of the doubt, since the namespace's labels are unknown.
func namespaceMayMatch(g *graph.Graph, ns string, ls *metav1.LabelSelector) bool {
	sel := graph.SelectorOf(ls, labels.Nothing())
	set := labels.Set{namespaceMetadataName: ns}
	if nso := g.Get("", "Namespace", "", ns); nso != nil {
		for k, v := range nso.Labels {
			set[k] = v
		}
		set[namespaceMetadataName] = ns
		return sel.Matches(set)
	}
	if sel.Matches(set) {
		return true
	}
	reqs, selectable := sel.Requirements()
	if !selectable {
		return false
	}
	for _, r := range reqs {
		if r.Key() != namespaceMetadataName {
			return true
		}
	}
	return false
}

// judgeSpreadConstraint says whether a topology spread constraint on a
// spreading key counts the workload's own pods: its label selector must
// match them (a null selector counts no pods). Spread constraints count
// pods of the pod's own namespace only, and matchLabelKeys only add the
// pod's own values.
func judgeSpreadConstraint(own labels.Set, c *corev1.TopologySpreadConstraint, path manifest.Path) (bool, *spreadProblem) {
	if c.LabelSelector == nil {
		return false, &spreadProblem{path, fmt.Sprintf("this topologySpreadConstraint on %s has no labelSelector, so it counts no pods and spreads nothing; set labelSelector to the pod's own labels (%s)", c.TopologyKey, labelsOrNone(own))}
	}
	if !graph.SelectorOf(c.LabelSelector, labels.Nothing()).Matches(own) {
		return false, &spreadProblem{path.Child("labelSelector"), fmt.Sprintf("the labelSelector of this topologySpreadConstraint on %s (%s) does not match the pod template's own labels (%s), so it does not spread these replicas; select the template's own labels", c.TopologyKey, metav1.FormatLabelSelector(c.LabelSelector), labelsOrNone(own))}
	}
	return true, nil
}

func podLabels(pt *manifest.PodTemplate) map[string]string {
	if pt.Meta == nil {
		return nil
	}
	return pt.Meta.Labels
}

func labelsOrNone(s labels.Set) string {
	if len(s) == 0 {
		return "no labels"
	}
	return s.String()
}
