package workload

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// hasRequest reports whether the container requests the resource once the
// API server has defaulted it: a request left out takes the limit's value.
func hasRequest(r *corev1.ResourceRequirements, name corev1.ResourceName) bool {
	_, req := r.Requests[name]
	_, lim := r.Limits[name]
	return req || lim
}

// podResources returns the pod-level spec.resources when they apply: the
// target version honours them and the pod does not run on Windows, which
// does not support them.
func podResources(p *check.Pass, spec *corev1.PodSpec) *corev1.ResourceRequirements {
	if spec.Resources == nil || !podLevelResources(p.Settings) || check.TargetsWindows(spec) {
		return nil
	}
	return spec.Resources
}

// podRequests reports whether the pod-level spec.resources request the
// resource (directly or through its limit, as for containers), which the
// containers then need not request one by one.
func podRequests(p *check.Pass, spec *corev1.PodSpec, name corev1.ResourceName) bool {
	r := podResources(p, spec)
	return r != nil && hasRequest(r, name)
}

// podLimits reports whether the pod-level spec.resources limit the resource.
func podLimits(p *check.Pass, spec *corev1.PodSpec, name corev1.ResourceName) bool {
	r := podResources(p, spec)
	if r == nil {
		return false
	}
	_, ok := r.Limits[name]
	return ok
}

func resourcesPath(pt *manifest.PodTemplate, k ctr, field string, name corev1.ResourceName) manifest.Path {
	return k.path(pt).Child("resources", field, string(name))
}

// ResourceRequests reports containers without CPU or memory requests.
var ResourceRequests = &check.Check{
	ID:       "resource-requests",
	Title:    "Container does not request CPU or memory",
	Severity: check.Warning,
	Refs:     []string{"WL-06"},
	Why: "The scheduler places pods by their requests. A container that requests no CPU or memory can land on a node that is already full, " +
		"gets the smallest share of CPU under contention, and is among the first evicted when the node runs short of memory. " +
		"A request left out while its limit is set defaults to the limit, and pod-level spec.resources (Kubernetes 1.34) count too.",
	Fix: "Set resources.requests.cpu and resources.requests.memory to what the container uses under normal load.",
	Example: `containers:
- name: app
  resources:
    requests:
      cpu: 250m
      memory: 256Mi
    limits:
      memory: 256Mi`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		spec := pt.Spec
		for k := range runnable(spec) {
			cpu := hasRequest(&k.c.Resources, corev1.ResourceCPU) || podRequests(p, spec, corev1.ResourceCPU)
			mem := hasRequest(&k.c.Resources, corev1.ResourceMemory) || podRequests(p, spec, corev1.ResourceMemory)
			switch {
			case !cpu && !mem:
				p.Report(k.path(pt).Child("resources", "requests"), "%s requests neither CPU nor memory: the scheduler reserves nothing for it; set resources.requests.cpu and resources.requests.memory", k.describe())
			case !cpu:
				p.Report(resourcesPath(pt, k, "requests", corev1.ResourceCPU), "%s requests no CPU: the scheduler reserves none for it; set resources.requests.cpu", k.describe())
			case !mem:
				p.Report(resourcesPath(pt, k, "requests", corev1.ResourceMemory), "%s requests no memory: the scheduler reserves none for it and it is evicted first; set resources.requests.memory", k.describe())
			}
		}
	},
}

// MemoryLimit reports Linux containers without a memory limit.
var MemoryLimit = &check.Check{
	ID:       "memory-limit",
	Title:    "Container has no memory limit",
	Severity: check.Warning,
	Refs:     []string{"WL-06"},
	Why: "Without a memory limit a container can use all the memory of its node: a leak then gets other pods OOM-killed or evicted " +
		"instead of only the leaking container. Pods that target Windows are left to windows-memory-limit.",
	Fix: "Set resources.limits.memory, usually equal to resources.requests.memory, or a pod-level spec.resources.limits.memory (Kubernetes 1.34).",
	Example: `containers:
- name: app
  resources:
    requests:
      memory: 256Mi
    limits:
      memory: 256Mi`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		spec := pt.Spec
		if check.TargetsWindows(spec) || podLimits(p, spec, corev1.ResourceMemory) {
			return
		}
		for k := range runnable(spec) {
			if _, ok := k.c.Resources.Limits[corev1.ResourceMemory]; !ok {
				p.Report(resourcesPath(pt, k, "limits", corev1.ResourceMemory), "%s has no memory limit: a leak can take the node's memory from other pods; set resources.limits.memory", k.describe())
			}
		}
	},
}

// WindowsMemoryLimit reports Windows containers without a memory limit.
var WindowsMemoryLimit = &check.Check{
	ID:       "windows-memory-limit",
	Title:    "Windows container has no memory limit",
	Severity: check.Error,
	Refs:     []string{"WIN-03"},
	Why: "Windows has no out-of-memory killer: once a node's memory is overcommitted, processes page to disk instead of being killed, " +
		"and every pod on the node slows down. A container's memory limit is what bounds it. " +
		"A pod targets Windows through spec.os.name, a kubernetes.io/os nodeSelector or a required node affinity.",
	Fix: "Set resources.limits.memory on every container of pods that run on Windows nodes.",
	Example: `spec:
  nodeSelector:
    kubernetes.io/os: windows
  containers:
  - name: app
    resources:
      requests:
        memory: 1Gi
      limits:
        memory: 1Gi`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		spec := pt.Spec
		if !check.TargetsWindows(spec) {
			return
		}
		for k := range runnable(spec) {
			if _, ok := k.c.Resources.Limits[corev1.ResourceMemory]; !ok {
				p.Report(resourcesPath(pt, k, "limits", corev1.ResourceMemory), "%s runs on Windows without a memory limit: Windows pages to disk instead of killing it, slowing the whole node; set resources.limits.memory", k.describe())
			}
		}
	},
}

// CPULimit reports containers without a CPU limit.
var CPULimit = &check.Check{
	ID:       "cpu-limit",
	Title:    "Container has no CPU limit",
	Severity: check.Info,
	Refs:     []string{"WL-06"},
	Why: "Without a CPU limit a container may use any idle CPU of its node. That avoids throttling, but a busy or runaway container " +
		"slows its neighbours beyond their requests, and policies such as Azure Policy's container limits deny it. Whether to limit CPU is a policy choice.",
	Fix: "Set resources.limits.cpu (or a pod-level spec.resources.limits.cpu on Kubernetes 1.34), or disable this check if your platform prefers unlimited CPU.",
	Example: `containers:
- name: app
  resources:
    requests:
      cpu: 250m
    limits:
      cpu: "1"`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		spec := pt.Spec
		if podLimits(p, spec, corev1.ResourceCPU) {
			return
		}
		for k := range runnable(spec) {
			if _, ok := k.c.Resources.Limits[corev1.ResourceCPU]; !ok {
				p.Report(resourcesPath(pt, k, "limits", corev1.ResourceCPU), "%s has no CPU limit: it can take idle CPU from its neighbours; set resources.limits.cpu if your platform requires it", k.describe())
			}
		}
	},
}

// MemoryRequestEqualsLimit reports memory requests below the limit.
var MemoryRequestEqualsLimit = &check.Check{
	ID:       "memory-request-equals-limit",
	Title:    "Memory request differs from the memory limit",
	Severity: check.Info,
	Refs:     []string{"WL-06"},
	Why: "Memory cannot be taken back from a process. A container that uses more than its request counts on memory the scheduler promised to nobody: " +
		"when the node runs short it is evicted or OOM-killed first, whatever its limit. Equal request and limit make its memory guaranteed. " +
		"A request left out defaults to the limit and is not reported.",
	Fix: "Set resources.requests.memory equal to resources.limits.memory.",
	Example: `containers:
- name: app
  resources:
    requests:
      memory: 512Mi
    limits:
      memory: 512Mi`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		for k := range runnable(pt.Spec) {
			req, ok := k.c.Resources.Requests[corev1.ResourceMemory]
			if !ok {
				continue
			}
			lim, ok := k.c.Resources.Limits[corev1.ResourceMemory]
			// A request above the limit is requests-exceed-limits.
			if !ok || req.Cmp(lim) >= 0 {
				continue
			}
			p.Report(resourcesPath(pt, k, "requests", corev1.ResourceMemory), "%s requests %s of memory but may use up to %s: above its request it is evicted first; set requests.memory equal to limits.memory", k.describe(), req.String(), lim.String())
		}
	},
}

// oneCore is the CPU request above which cpu-request-high reports.
var oneCore = resource.MustParse("1")

// CPURequestHigh reports CPU requests above one core.
var CPURequestHigh = &check.Check{
	ID:       "cpu-request-high",
	Title:    "Container requests more than one CPU",
	Severity: check.Info,
	Refs:     []string{"WL-06"},
	Why: "A request reserves CPU on a node whether it is used or not. Unless the application runs several threads that keep busy, " +
		"a request above one core wastes capacity and makes the pod harder to schedule; run more replicas instead. " +
		"A request left out defaults to the limit, so a limit above one core with no request is reported too.",
	Fix: "Keep resources.requests.cpu at 1 or below unless the application is known to use several cores; scale out with replicas.",
	Example: `containers:
- name: app
  resources:
    requests:
      cpu: 500m`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		for k := range runnable(pt.Spec) {
			r := &k.c.Resources
			if q, ok := r.Requests[corev1.ResourceCPU]; ok {
				if q.Cmp(oneCore) > 0 {
					p.Report(resourcesPath(pt, k, "requests", corev1.ResourceCPU), "%s requests %s CPU, more than one core: keep it at 1 or below unless the application uses several cores", k.describe(), q.String())
				}
			} else if q, ok := r.Limits[corev1.ResourceCPU]; ok && q.Cmp(oneCore) > 0 {
				p.Report(resourcesPath(pt, k, "limits", corev1.ResourceCPU), "%s has a CPU limit of %s and no request, so it requests %s CPU, more than one core: set resources.requests.cpu to what it needs", k.describe(), q.String(), q.String())
			}
		}
	},
}

// RequestsExceedLimits reports requests greater than their limits.
var RequestsExceedLimits = &check.Check{
	ID:       "requests-exceed-limits",
	Title:    "Resource request exceeds its limit",
	Severity: check.Error,
	Refs:     []string{"WL-06"},
	Why: "A request must not be greater than the limit of the same resource: the API server rejects such a pod, " +
		"so a workload's pods are never created. This holds for containers and for the pod-level spec.resources.",
	Fix: "Lower the request or raise the limit so that the request is at most the limit.",
	Example: `resources:
  requests:
    memory: 256Mi
  limits:
    memory: 512Mi`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		spec := pt.Spec
		for k := range runnable(spec) {
			for _, name := range exceeding(&k.c.Resources) {
				req, lim := k.c.Resources.Requests[name], k.c.Resources.Limits[name]
				p.Report(resourcesPath(pt, k, "requests", name), "%s requests %s %s, more than its limit %s: the API server rejects the pod; lower the request or raise the limit", k.describe(), req.String(), name, lim.String())
			}
		}
		if spec.Resources != nil {
			for _, name := range exceeding(spec.Resources) {
				req, lim := spec.Resources.Requests[name], spec.Resources.Limits[name]
				p.Report(pt.SpecPath.Child("resources", "requests", string(name)), "the pod requests %s %s, more than its limit %s: the API server rejects it; lower the request or raise the limit", req.String(), name, lim.String())
			}
		}
	},
}

// exceeding returns, sorted, the resources whose request is greater than
// their limit; nil (no allocation) when there are none.
func exceeding(r *corev1.ResourceRequirements) []corev1.ResourceName {
	var out []corev1.ResourceName
	for name, req := range r.Requests {
		if lim, ok := r.Limits[name]; ok && req.Cmp(lim) > 0 {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
