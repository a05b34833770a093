package isolation

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
)

// LimitRangeMissing reports namespaces without default container resources.
var LimitRangeMissing = &check.Check{
	ID:       "limit-range-missing",
	Title:    "Namespace has no LimitRange with container defaults",
	Severity: check.Info,
	Refs:     []string{"WL-08"},
	Why: "A LimitRange with default requests and limits for containers gives every container that sets none a sane size, " +
		"so that a forgotten resources block does not produce a BestEffort pod that is evicted first, or an unbounded one that starves its node. " +
		"With a ResourceQuota on CPU or memory, pods without requests are rejected unless a LimitRange fills them in.",
	Fix: "Add a LimitRange to the namespace with a limit of type Container that sets defaultRequest (and default, the default limit). " +
		"Namespaces the input does not declare are checked only when listed under namespaces: or with namespaceChecks: all in .kubevet.yaml.",
	Example: `apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: shop
spec:
  limits:
  - type: Container
    defaultRequest: {cpu: 100m, memory: 128Mi}
    default: {memory: 256Mi}`,
	Target: namespaceTarget,
	Cross:  true,
	Run: func(p *check.Pass) {
		s, ok := namespaceSubject(p)
		if !ok {
			return
		}
		ranges := p.Graph.InNamespace("", "LimitRange", s.ns)
		for _, r := range ranges {
			lr, ok := r.Typed().(*corev1.LimitRange)
			if !ok {
				continue
			}
			for _, l := range lr.Spec.Limits {
				if l.Type == corev1.LimitTypeContainer && (len(l.Default) > 0 || len(l.DefaultRequest) > 0) {
					return
				}
			}
		}
		if len(ranges) > 0 {
			p.Report(s.path, "%s: LimitRange %q sets no default or defaultRequest for type Container, so containers without resources get none; add a Container limit with defaultRequest and default", s.name, ranges[0].Name)
			return
		}
		p.Report(s.path, "%s has workloads but no LimitRange: containers that set no resources run without requests or limits; add a LimitRange with a Container limit that sets defaultRequest and default", s.name)
	},
}
