package check

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/manifest"
)

// ContainerKind tells regular, init and ephemeral containers apart.
type ContainerKind = manifest.ContainerKind

// Container kinds.
const (
	Regular   = manifest.Regular
	Init      = manifest.Init
	Ephemeral = manifest.Ephemeral
)

// Container is one container of a pod spec with its path.
type Container = manifest.Container

// Containers returns every container of the object's pod spec: init,
// regular and ephemeral, each with its path. The list is built once per
// object and shared by every check: do not modify it.
func Containers(pt *manifest.PodTemplate) []Container {
	if pt == nil {
		return nil
	}
	return pt.Containers()
}

// Value is a resolved setting and where it comes from: the container's
// field, the pod's, or (when unset in both) the container's field.
type Value[T any] struct {
	V *T
	// FromPod is true when the value is inherited from the pod's
	// securityContext.
	FromPod bool
	base    manifest.Path // the container's path, or the pod spec's
	field   []string      // the field below securityContext; shared, never written
}

// Path is where the value is set, or where the container would set it. It
// is built on demand, because most values are never reported: resolving
// costs no allocation.
func (v Value[T]) Path() manifest.Path {
	return v.base.Field("securityContext", v.field...)
}

// Set reports whether the value is set at either level.
func (v Value[T]) Set() bool { return v.V != nil }

// Security is a container's effective security context, resolved the way
// the kubelet resolves it: a container setting wins over the pod's, and the
// pod's applies where the container says nothing.
type Security struct {
	RunAsNonRoot   Value[bool]
	RunAsUser      Value[int64]
	SeccompProfile Value[corev1.SeccompProfile]
	AppArmor       Value[corev1.AppArmorProfile]
	// Container-only settings.
	Privileged               *bool
	AllowPrivilegeEscalation *bool
	ReadOnlyRootFilesystem   *bool
	Capabilities             *corev1.Capabilities
	WindowsHostProcess       Value[bool]

	container manifest.Path
}

// SCPath is the container's securityContext path, or the path of the
// keys below it when given.
func (s Security) SCPath(below ...string) manifest.Path {
	return s.container.Field("securityContext", below...)
}

// The fields EffectiveSecurity resolves, below securityContext, and the
// empty contexts that stand for missing ones. Never written.
var (
	fieldRunAsNonRoot = []string{"runAsNonRoot"}
	fieldRunAsUser    = []string{"runAsUser"}
	fieldSeccomp      = []string{"seccompProfile"}
	fieldAppArmor     = []string{"appArmorProfile"}
	fieldHostProcess  = []string{"windowsOptions", "hostProcess"}
	noContainerSC     corev1.SecurityContext
	noPodSC           corev1.PodSecurityContext
)

// EffectiveSecurity resolves c's security context against the pod's.
func EffectiveSecurity(pt *manifest.PodTemplate, c Container) Security {
	csc := c.C.SecurityContext
	if csc == nil {
		csc = &noContainerSC
	}
	psc := pt.Spec.SecurityContext
	if psc == nil {
		psc = &noPodSC
	}
	s := Security{container: c.Path}
	s.RunAsNonRoot = pick(csc.RunAsNonRoot, psc.RunAsNonRoot, c.Path, pt.SpecPath, fieldRunAsNonRoot)
	s.RunAsUser = pick(csc.RunAsUser, psc.RunAsUser, c.Path, pt.SpecPath, fieldRunAsUser)
	s.SeccompProfile = pick(csc.SeccompProfile, psc.SeccompProfile, c.Path, pt.SpecPath, fieldSeccomp)
	s.AppArmor = pick(csc.AppArmorProfile, psc.AppArmorProfile, c.Path, pt.SpecPath, fieldAppArmor)
	var cw, pw *bool
	if csc.WindowsOptions != nil {
		cw = csc.WindowsOptions.HostProcess
	}
	if psc.WindowsOptions != nil {
		pw = psc.WindowsOptions.HostProcess
	}
	s.WindowsHostProcess = pick(cw, pw, c.Path, pt.SpecPath, fieldHostProcess)
	s.Privileged = csc.Privileged
	s.AllowPrivilegeEscalation = csc.AllowPrivilegeEscalation
	s.ReadOnlyRootFilesystem = csc.ReadOnlyRootFilesystem
	s.Capabilities = csc.Capabilities
	return s
}

// pick resolves one setting: the container's value c, else the pod's p.
// cBase and pBase are the container's and the pod spec's paths.
func pick[T any](c, p *T, cBase, pBase manifest.Path, field []string) Value[T] {
	if c != nil {
		return Value[T]{V: c, base: cBase, field: field}
	}
	if p != nil {
		return Value[T]{V: p, FromPod: true, base: pBase, field: field}
	}
	return Value[T]{base: cBase, field: field}
}

// TargetsWindows reports whether the pod is meant for Windows nodes: its
// spec.os.name, its nodeSelector kubernetes.io/os, or a required node
// affinity that allows only windows.
func TargetsWindows(spec *corev1.PodSpec) bool {
	if spec.OS != nil {
		return spec.OS.Name == corev1.Windows
	}
	if spec.NodeSelector[corev1.LabelOSStable] == "windows" {
		return true
	}
	a := spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return false
	}
	terms := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
	if len(terms) == 0 {
		return false
	}
	// Every term (they are ORed) must restrict the OS to windows.
	for _, t := range terms {
		windowsOnly := false
		for _, e := range t.MatchExpressions {
			if e.Key == corev1.LabelOSStable && e.Operator == corev1.NodeSelectorOpIn && len(e.Values) == 1 && e.Values[0] == "windows" {
				windowsOnly = true
			}
		}
		if !windowsOnly {
			return false
		}
	}
	return true
}

// LongRunning reports whether the object runs pods that are meant to keep
// running (not Jobs, CronJobs or bare Pods that run to completion).
func LongRunning(o *manifest.Object) bool {
	switch o.Kind {
	case "Job", "CronJob":
		return false
	case "Pod":
		if pod, ok := o.Typed().(*corev1.Pod); ok && pod.Spec.RestartPolicy != "" && pod.Spec.RestartPolicy != corev1.RestartPolicyAlways {
			return false
		}
	}
	return o.HasPodTemplate()
}
