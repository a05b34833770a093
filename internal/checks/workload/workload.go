// Package workload holds the checks of how workloads run: probes, graceful
// shutdown, resource requests and limits, namespaces, labels and naked pods
// (spec rules WL-01 to WL-11 and WIN-03).
package workload

import (
	"iter"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the workload domain's list, in catalog order.
var Checks = []*check.Check{
	LivenessProbe,
	ReadinessProbe,
	StartupProbe,
	InitContainerProbe,
	PreStopHook,
	ResourceRequests,
	MemoryLimit,
	WindowsMemoryLimit,
	CPULimit,
	MemoryRequestEqualsLimit,
	CPURequestHigh,
	RequestsExceedLimits,
	DefaultNamespace,
	RecommendedLabels,
	RequiredLabels,
	NakedPod,
}

// ctr is one container of a pod spec. Its path is looked up only when a
// finding needs it, in the list the pod template builds once.
type ctr struct {
	kind check.ContainerKind
	// index is the position in containers or initContainers.
	index   int
	c       *corev1.Container
	sidecar bool
}

func (k ctr) path(pt *manifest.PodTemplate) manifest.Path {
	// The paths the pod template lists once for every check.
	cs := pt.Containers()
	if k.kind == check.Init {
		return cs[k.index].Path
	}
	return cs[len(pt.Spec.InitContainers)+k.index].Path
}

func (k ctr) describe() string {
	return check.Container{Kind: k.kind, C: k.c, Sidecar: k.sidecar}.Describe()
}

// regular yields the regular containers of spec.
func regular(spec *corev1.PodSpec) iter.Seq[ctr] {
	return func(yield func(ctr) bool) {
		for i := range spec.Containers {
			if !yield(ctr{kind: check.Regular, index: i, c: &spec.Containers[i]}) {
				return
			}
		}
	}
}

// runnable yields the init containers (sidecars included), then the regular
// ones. Ephemeral containers are left out: they may set neither resources
// nor probes, and the API server refuses them when a pod is created.
func runnable(spec *corev1.PodSpec) iter.Seq[ctr] {
	return func(yield func(ctr) bool) {
		for i := range spec.InitContainers {
			c := &spec.InitContainers[i]
			sidecar := c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
			if !yield(ctr{kind: check.Init, index: i, c: c, sidecar: sidecar}) {
				return
			}
		}
		for i := range spec.Containers {
			if !yield(ctr{kind: check.Regular, index: i, c: &spec.Containers[i]}) {
				return
			}
		}
	}
}

// podLevelResources reports whether the target Kubernetes version honours
// the pod-level spec.resources (beta and on by default since 1.34; older API
// servers drop the field). An unset version means the latest.
func podLevelResources(s *check.Settings) bool {
	v := strings.TrimPrefix(s.KubernetesVersion, "v")
	if v == "" {
		return true
	}
	minor, ok := strings.CutPrefix(v, "1.")
	if !ok {
		return true
	}
	n, err := strconv.Atoi(minor)
	return err != nil || n >= 34
}

// kindName names the object in messages: Deployment "web".
func kindName(o *manifest.Object) string {
	return o.Kind + " " + strconv.Quote(o.Name)
}
