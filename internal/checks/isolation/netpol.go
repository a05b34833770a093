package isolation

import (
	"fmt"
	"net/netip"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// policy is a NetworkPolicy with what the checks derive from it.
type policy struct {
	o  *manifest.Object
	np *networkingv1.NetworkPolicy
	// all is true for podSelector: {}, which selects every pod of the
	// namespace.
	all bool
	// ingress and egress are the effective policyTypes.
	ingress, egress bool
}

// policiesOf returns the NetworkPolicies of ns, in input order.
func policiesOf(g *graph.Graph, ns string) []policy {
	objs := g.InNamespace("networking.k8s.io", "NetworkPolicy", ns)
	out := make([]policy, 0, len(objs))
	for _, o := range objs {
		if pol, ok := policyOf(o); ok {
			out = append(out, pol)
		}
	}
	return out
}

func policyOf(o *manifest.Object) (policy, bool) {
	np, ok := o.Typed().(*networkingv1.NetworkPolicy)
	if !ok {
		return policy{}, false
	}
	pol := policy{o: o, np: np}
	sel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
	pol.all = err == nil && sel.Empty()
	pol.ingress, pol.egress = policyTypes(np)
	return pol, true
}

// policyTypes returns the effective policy types: those listed, or, when
// none are, Ingress always and Egress only if the policy has egress rules
// (as the API server defaults them).
func policyTypes(np *networkingv1.NetworkPolicy) (ingress, egress bool) {
	if len(np.Spec.PolicyTypes) == 0 {
		return true, len(np.Spec.Egress) > 0
	}
	for _, t := range np.Spec.PolicyTypes {
		switch t {
		case networkingv1.PolicyTypeIngress:
			ingress = true
		case networkingv1.PolicyTypeEgress:
			egress = true
		}
	}
	return ingress, egress
}

// selector returns the policy's pod selector; an empty one selects every
// pod of the namespace, a malformed one none.
func (pol policy) selector() labels.Selector {
	return graph.SelectorOf(&pol.np.Spec.PodSelector, labels.Everything())
}

// direction is Ingress or Egress, for the default-deny checks.
type direction struct {
	name  string // "ingress" or "egress"
	typed func(policy) bool
	// openRule returns the index of a rule that allows all traffic, or -1.
	openRule func(*networkingv1.NetworkPolicy) int
	// policyType is the policyTypes entry; peer names the other end; open
	// says what pods may do without a default deny.
	policyType, peer, open string
}

// opens reports whether a rule with these peers and ports allows traffic
// from or to anywhere: it names no port, and no peer (which means every
// peer) or an ipBlock of a /0 CIDR (its except holes still leave the
// Internet open).
func opens(peers []networkingv1.NetworkPolicyPeer, ports int) bool {
	if ports > 0 {
		return false
	}
	if len(peers) == 0 {
		return true
	}
	for _, pr := range peers {
		if pr.IPBlock == nil {
			continue
		}
		if pfx, err := netip.ParsePrefix(pr.IPBlock.CIDR); err == nil && pfx.Bits() == 0 {
			return true
		}
	}
	return false
}

var ingressDir = direction{
	name:  "ingress",
	typed: func(p policy) bool { return p.ingress },
	openRule: func(np *networkingv1.NetworkPolicy) int {
		for i, r := range np.Spec.Ingress {
			if opens(r.From, len(r.Ports)) {
				return i
			}
		}
		return -1
	},
	policyType: "Ingress",
	peer:       "source",
	open:       "accepts connections from any pod and source",
}

var egressDir = direction{
	name:  "egress",
	typed: func(p policy) bool { return p.egress },
	openRule: func(np *networkingv1.NetworkPolicy) int {
		for i, r := range np.Spec.Egress {
			if opens(r.To, len(r.Ports)) {
				return i
			}
		}
		return -1
	},
	policyType: "Egress",
	peer:       "destination",
	open:       "can connect anywhere, including the Internet and the node's metadata service",
}

// defaultDeny reports a namespace whose pods are not denied traffic in
// direction d by default: no policy selects all its pods for d without
// allowing everything, or one that does is undone by another policy that
// selects all pods and allows everything (policies add up).
func defaultDeny(p *check.Pass, d direction) {
	s, ok := namespaceSubject(p)
	if !ok {
		return
	}
	var deny, open *policy
	openRule := -1
	pols := policiesOf(p.Graph, s.ns)
	for i := range pols {
		pol := &pols[i]
		if !pol.all || !d.typed(*pol) {
			continue
		}
		if r := d.openRule(pol.np); r >= 0 {
			if open == nil {
				open, openRule = pol, r
			}
		} else if deny == nil {
			deny = pol
		}
	}
	switch {
	case open != nil && deny != nil:
		p.Report(s.path, "%s: NetworkPolicy %q selects every pod and its %s[%d] rule allows any %s on any port, which undoes the default deny of NetworkPolicy %q; remove that rule and allow only the traffic each app needs",
			s.name, open.o.Name, d.name, openRule, d.peer, deny.o.Name)
	case open != nil:
		p.Report(s.path, "%s: NetworkPolicy %q selects every pod but its %s[%d] rule allows any %s on any port, so nothing is denied by default; remove that rule and allow only the traffic each app needs",
			s.name, open.o.Name, d.name, openRule, d.peer)
	case deny == nil:
		p.Report(s.path, "%s has workloads but no default-deny %s NetworkPolicy (podSelector: {}, policyTypes: [%s], no %s rules): every pod %s; add one, then allow the traffic each app needs",
			s.name, d.name, d.policyType, d.name, d.open)
	}
}

const policyExample = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]`

// DefaultDenyIngressMissing reports namespaces without a default-deny
// ingress policy.
var DefaultDenyIngressMissing = &check.Check{
	ID:       "default-deny-ingress-missing",
	Title:    "Namespace has no default-deny ingress NetworkPolicy",
	Severity: check.Warning,
	Refs:     []string{"NET-08"},
	Why: "Pods accept traffic from every pod of the cluster until a NetworkPolicy selects them for ingress. " +
		"A default-deny policy per namespace makes a new workload closed by default, so that one compromised pod cannot reach every other service.",
	Fix: "Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] and no ingress rules, then add policies that allow the traffic each app needs. " +
		"A rule without ports whose from is empty or holds an ipBlock of 0.0.0.0/0 or ::/0 (even with except) allows any source, and undoes the deny in any policy that selects all pods. " +
		"Namespaces the input does not declare are checked only when listed under namespaces: or with namespaceChecks: all in .kubevet.yaml.",
	Example: policyExample,
	Target:  namespaceTarget,
	Cross:   true,
	Run:     func(p *check.Pass) { defaultDeny(p, ingressDir) },
}

// DefaultDenyEgressMissing reports namespaces without a default-deny
// egress policy.
var DefaultDenyEgressMissing = &check.Check{
	ID:       "default-deny-egress-missing",
	Title:    "Namespace has no default-deny egress NetworkPolicy",
	Severity: check.Warning,
	Refs:     []string{"NET-08"},
	Why: "Pods can open connections anywhere (other namespaces, the Internet, the node's instance metadata service) until a NetworkPolicy selects them for egress. " +
		"A default-deny egress policy limits what a compromised pod can reach and exfiltrate to.",
	Fix: "Add a NetworkPolicy with podSelector: {} and policyTypes: [Egress] (Egress must be listed when the policy has no egress rules), " +
		"then allow DNS and the destinations each app needs. A rule without ports whose to is empty or holds an ipBlock of 0.0.0.0/0 or ::/0 (even with except) allows any destination, and undoes the deny in any policy that selects all pods. " +
		"Namespaces the input does not declare are checked only when listed under namespaces: or with namespaceChecks: all in .kubevet.yaml.",
	Example: policyExample,
	Target:  namespaceTarget,
	Cross:   true,
	Run:     func(p *check.Pass) { defaultDeny(p, egressDir) },
}

// ingressIsolatedKey keys the memo of workloads some ingress policy selects.
type ingressIsolatedKey struct{}

// ingressIsolated returns the workloads of the whole input that a
// NetworkPolicy of their namespace selects for ingress.
func ingressIsolated(g *graph.Graph) map[*manifest.Object]bool {
	return g.Memo(ingressIsolatedKey{}, func(g *graph.Graph) any {
		set := map[*manifest.Object]bool{}
		for _, o := range g.Kind("networking.k8s.io", "NetworkPolicy") {
			pol, ok := policyOf(o)
			if !ok || !pol.ingress {
				continue
			}
			for _, w := range g.SelectWorkloads(o.Namespace, pol.selector()) {
				set[w] = true
			}
		}
		return set
	}).(map[*manifest.Object]bool)
}

// PodNotIsolated reports workloads no NetworkPolicy selects for ingress.
var PodNotIsolated = &check.Check{
	ID:       "pod-not-isolated",
	Title:    "No NetworkPolicy selects the workload's pods for ingress",
	Severity: check.Warning,
	Refs:     []string{"NET-08"},
	Why: "A pod that no ingress NetworkPolicy of its namespace selects accepts connections from every pod of the cluster and every source that reaches the node. " +
		"Policies of other namespaces, and policies whose policyTypes hold only Egress, do not isolate it.",
	Fix: "Add a default-deny ingress NetworkPolicy (podSelector: {}) to the namespace, or a policy whose podSelector matches the pod template's labels and that allows only the traffic the app needs. " +
		"Pods on the host network are skipped: NetworkPolicies do not apply to them. " +
		"Namespaces the input does not declare are checked only when listed under namespaces: or with namespaceChecks: all in .kubevet.yaml.",
	Example: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  ingress:
  - from:
    - podSelector:
        matchLabels: {app: frontend}
    ports:
    - port: 8080`,
	Target: check.PodSpecs,
	Cross:  true,
	Run: func(p *check.Pass) {
		o := p.Object
		if !runsPods(o) || o.PodTemplate().Spec.HostNetwork || !inScope(p, o.Namespace) {
			return
		}
		if ingressIsolated(p.Graph)[o] {
			return
		}
		who, them := fmt.Sprintf("the pods of %s %q accept", o.Kind, o.Name), "them"
		if o.Kind == "Pod" && o.Group() == "" {
			who, them = fmt.Sprintf("Pod %q accepts", o.Name), "it"
		}
		n := len(p.Graph.InNamespace("networking.k8s.io", "NetworkPolicy", o.Namespace))
		why := fmt.Sprintf("none of the %d NetworkPolicies of namespace %q selects %s for ingress", n, o.Namespace, them)
		if n == 0 {
			why = fmt.Sprintf("namespace %q has no NetworkPolicy", o.Namespace)
		}
		p.Report(o.PodTemplate().MetaPath.Child("labels"), "%s connections from anywhere: %s; add a default-deny ingress policy (podSelector: {}) to the namespace, or a policy whose podSelector matches these labels",
			who, why)
	},
}

// NetworkPolicySelectsNothing reports NetworkPolicies whose podSelector
// matches no pod template of their namespace.
var NetworkPolicySelectsNothing = &check.Check{
	ID:       "network-policy-selects-nothing",
	Title:    "NetworkPolicy selects no pod of its namespace",
	Severity: check.Warning,
	Refs:     []string{"NET-08"},
	Why: "A NetworkPolicy applies only to the pods of its own namespace that its podSelector matches. " +
		"One whose labels match no pod template (a typo, labels renamed, the policy put in the wrong namespace) protects nothing, while it looks like it does.",
	Fix: "Make spec.podSelector match the pod template labels of the workloads it should protect, in the policy's namespace; podSelector: {} selects every pod of the namespace. " +
		"The check runs only when the input holds workloads of that namespace, and not when the namespace holds a custom resource whose operator creates pods (a prometheus-operator Alertmanager, a Strimzi Kafka), as the input does not show their labels.",
	Example: `spec:
  podSelector:
    matchLabels: {app: web}   # the labels of spec.template.metadata.labels`,
	Target: check.Kinds("NetworkPolicy.networking.k8s.io"),
	Cross:  true,
	Run: func(p *check.Pass) {
		pol, ok := policyOf(p.Object)
		ns := p.Object.Namespace
		if !ok || len(p.Graph.Workloads(ns)) == 0 {
			return
		}
		sel := pol.selector()
		if len(p.Graph.SelectWorkloads(ns, sel)) > 0 || len(p.Graph.OperatorObjects(ns)) > 0 {
			return
		}
		p.Report(manifest.NewPath("spec", "podSelector"), "NetworkPolicy %q selects %s, which no pod template of namespace %q matches%s, so it protects nothing; fix the selector or the pod labels",
			p.Object.Name, describe(sel), ns, elsewhere(p.Graph, ns, sel))
	},
}

// describe renders a selector for messages.
func describe(sel labels.Selector) string {
	if s := sel.String(); s != "" {
		return "pods with " + s
	}
	return "no pods"
}

// elsewhere names a workload of another namespace that sel matches, for
// messages about selectors that match nothing in their own (namespaces are
// not crossed by Service and NetworkPolicy selectors). Selectors made only
// of NotIn and DoesNotExist match too much elsewhere to be a hint. It runs
// only for findings.
func elsewhere(g *graph.Graph, ns string, sel labels.Selector) string {
	reqs, _ := sel.Requirements()
	positive := false
	for _, r := range reqs {
		switch r.Operator() {
		case selection.Equals, selection.DoubleEquals, selection.In, selection.Exists:
			positive = true
		}
	}
	if !positive {
		return ""
	}
	for _, other := range g.Namespaces() {
		if other == ns {
			continue
		}
		if ws := g.SelectWorkloads(other, sel); len(ws) > 0 {
			return fmt.Sprintf(" (%s %s/%s matches, but selectors never reach other namespaces)", ws[0].Kind, other, ws[0].Name)
		}
	}
	return ""
}
