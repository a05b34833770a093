// Package isolation holds the checks of namespace isolation and of objects
// that refer to each other: a quota, a limit range, default-deny and IMDS
// NetworkPolicies per namespace (spec rules WL-07, WL-08, NET-08, NET-09),
// Pod Security labels on Namespaces (SEC-11), public load balancers across
// the input (NET-14), and Services, NetworkPolicies and Ingresses that
// point at nothing.
//
// # Which namespaces the namespace-level checks cover
//
// resource-quota-missing, limit-range-missing, default-deny-ingress-missing,
// default-deny-egress-missing and imds-egress-open ask for something that
// must exist once per namespace. They cover a namespace when
// Settings.NamespaceInScope says so: by default only the namespaces the
// input declares with a Namespace object (an application repository rarely
// holds its namespace's quota or policies, which the platform team owns),
// plus the namespaces listed under namespaces: in .kubevet.yaml, or every
// namespace with namespaceChecks: all. System namespaces are never covered,
// and only namespaces with workloads in the input (objects that run pods;
// bare PodTemplate objects do not count) need a quota, a limit range or
// policies.
//
// The finding lands on the Namespace object when the input declares it,
// at metadata.name. When the namespace is covered but not declared, it lands
// on the namespace's first workload in input order (files sorted by path,
// then documents in file order), at metadata.namespace, and the message
// says so.
//
// pod-not-isolated covers the workloads of the same namespaces.
// namespace-pod-security covers every Namespace object of the input that is
// not a system namespace (unless namespaceChecks: none).
package isolation

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the isolation domain's list, in catalog order.
var Checks = []*check.Check{
	ResourceQuotaMissing,
	LimitRangeMissing,
	DefaultDenyIngressMissing,
	DefaultDenyEgressMissing,
	PodNotIsolated,
	IMDSEgressOpen,
	NamespacePodSecurity,
	TooManyPublicLoadBalancers,
	ServiceSelectsNothing,
	NetworkPolicySelectsNothing,
	IngressBackendMissing,
}

// runsPods reports whether o runs pods: it has a pod template and is not a
// PodTemplate object, which only stores one.
func runsPods(o *manifest.Object) bool {
	return o.HasPodTemplate() && !(o.Kind == "PodTemplate" && o.Group() == "")
}

// firstWorkload returns the first object of ns, in input order, that runs
// pods, or nil.
func firstWorkload(g *graph.Graph, ns string) *manifest.Object {
	for _, o := range g.Workloads(ns) {
		if runsPods(o) {
			return o
		}
	}
	return nil
}

func isNamespace(o *manifest.Object) bool { return o.Kind == "Namespace" && o.Group() == "" }

// declared reports whether the input holds the Namespace object of ns.
func declared(g *graph.Graph, ns string) bool { return g.Get("", "Namespace", "", ns) != nil }

// inScope reports whether the namespace-level checks cover ns.
func inScope(p *check.Pass, ns string) bool {
	return p.Settings.NamespaceInScope(ns, declared(p.Graph, ns))
}

// namespaceTarget is the target of the namespace-level checks: Namespace
// objects, and workloads (which stand for namespaces the input does not
// declare).
var namespaceTarget = check.Target{
	Desc:  "Namespace objects; for a namespace the input uses without declaring it, its first workload",
	Match: func(o *manifest.Object) bool { return isNamespace(o) || runsPods(o) },
}

// subject is the namespace a namespace-level check reports on, when
// p.Object stands for it.
type subject struct {
	ns   string
	path manifest.Path
	// name is how messages name the namespace.
	name string
}

// namespaceSubject returns the namespace p.Object stands for: a declared
// Namespace in scope with workloads, or the first workload of a namespace
// in scope that the input does not declare.
func namespaceSubject(p *check.Pass) (subject, bool) {
	o, g := p.Object, p.Graph
	if isNamespace(o) {
		if !p.Settings.NamespaceInScope(o.Name, true) || firstWorkload(g, o.Name) == nil {
			return subject{}, false
		}
		return subject{ns: o.Name, path: manifest.NewPath("metadata", "name"), name: fmt.Sprintf("namespace %q", o.Name)}, true
	}
	ns := o.Namespace
	if !runsPods(o) || declared(g, ns) || !p.Settings.NamespaceInScope(ns, false) || firstWorkload(g, ns) != o {
		return subject{}, false
	}
	path := manifest.NewPath("metadata", "namespace")
	if o.NamespaceDefaulted {
		path = manifest.NewPath("metadata")
	}
	return subject{ns: ns, path: path,
		name: fmt.Sprintf("namespace %q (reported on its first workload: the input has no Namespace object for it)", ns)}, true
}

// names lists the names of objs, at most max of them.
func names(objs []*manifest.Object, max int) string {
	var out []string
	for i, o := range objs {
		if i == max {
			out = append(out, fmt.Sprintf("and %d more", len(objs)-max))
			break
		}
		out = append(out, o.Name)
	}
	return strings.Join(out, ", ")
}

// sortedLabels renders a label map as k=v pairs, sorted.
func sortedLabels(m map[string]string) string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
