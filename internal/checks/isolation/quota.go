package isolation

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
)

// Quota keys that bound CPU and memory, as WL-07 lists them.
var (
	cpuKeys    = []corev1.ResourceName{corev1.ResourceRequestsCPU, corev1.ResourceCPU}
	memoryKeys = []corev1.ResourceName{corev1.ResourceRequestsMemory, corev1.ResourceMemory, corev1.ResourceLimitsMemory}
)

func hasAny(hard corev1.ResourceList, keys []corev1.ResourceName) bool {
	for _, k := range keys {
		if _, ok := hard[k]; ok {
			return true
		}
	}
	return false
}

// ResourceQuotaMissing reports namespaces whose CPU or memory no quota bounds.
var ResourceQuotaMissing = &check.Check{
	ID:       "resource-quota-missing",
	Title:    "Namespace has no ResourceQuota on CPU and memory",
	Severity: check.Warning,
	Refs:     []string{"WL-07"},
	Why: "Without a ResourceQuota one namespace can request every CPU and byte of memory of the cluster: a runaway deployment or an autoscaler " +
		"starves the other teams' pods and triggers node scale-out that someone pays for. A quota also makes the API server reject pods without requests.",
	Fix: "Add a ResourceQuota to the namespace whose spec.hard sets requests.cpu (or cpu) and requests.memory (or memory, or limits.memory). " +
		"A quota limited by scopes or a scopeSelector bounds only some pods and does not count. " +
		"Namespaces the input does not declare are checked only when listed under namespaces: or with namespaceChecks: all in .kubevet.yaml.",
	Example: `apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
  namespace: shop
spec:
  hard:
    requests.cpu: "8"
    requests.memory: 16Gi
    limits.memory: 32Gi`,
	Target: namespaceTarget,
	Cross:  true,
	Run: func(p *check.Pass) {
		s, ok := namespaceSubject(p)
		if !ok {
			return
		}
		quotas := p.Graph.InNamespace("", "ResourceQuota", s.ns)
		// Quotas add up: one may bound CPU and another memory.
		var cpu, mem bool
		var scoped, partial string
		for _, q := range quotas {
			rq, ok := q.Typed().(*corev1.ResourceQuota)
			if !ok {
				continue
			}
			if len(rq.Spec.Scopes) > 0 || rq.Spec.ScopeSelector != nil {
				if scoped == "" {
					scoped = q.Name
				}
				continue
			}
			c, m := hasAny(rq.Spec.Hard, cpuKeys), hasAny(rq.Spec.Hard, memoryKeys)
			cpu, mem = cpu || c, mem || m
			if (c || m) && partial == "" {
				partial = q.Name
			}
		}
		switch {
		case cpu && mem:
			return
		case cpu || mem:
			has, lacks := "CPU", "memory (requests.memory, memory or limits.memory)"
			if mem {
				has, lacks = "memory", "CPU (requests.cpu or cpu)"
			}
			p.Report(s.path, "%s: ResourceQuota %q bounds only %s; add %s to its spec.hard", s.name, partial, has, lacks)
		case scoped != "":
			p.Report(s.path, "%s: ResourceQuota %q is limited by scopes or a scopeSelector and bounds only some pods, and no other quota bounds CPU and memory; add a ResourceQuota without scopes that sets requests.cpu and requests.memory", s.name, scoped)
		case len(quotas) > 0:
			p.Report(s.path, "%s: its ResourceQuota %q bounds neither CPU nor memory; set requests.cpu and requests.memory in its spec.hard", s.name, quotas[0].Name)
		default:
			p.Report(s.path, "%s has workloads but no ResourceQuota: nothing bounds the CPU and memory it can take from other namespaces; add a ResourceQuota with requests.cpu and requests.memory", s.name)
		}
	},
}
