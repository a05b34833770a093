package check

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/manifest"
)

// ContainerKind tells regular, init and ephemeral containers apart.
type ContainerKind int

// Container kinds.
const (
	Regular ContainerKind = iota
	Init
	Ephemeral
)

func (k ContainerKind) String() string {
	return [...]string{"container", "init container", "ephemeral container"}[k]
}

// Container is one container of a pod spec with its path.
type Container struct {
	Kind ContainerKind
	// C is the container. Ephemeral containers are converted; their
	// fields are the same.
	C *corev1.Container
	// Path is the container's path in the object
	// (spec.template.spec.containers[0]).
	Path manifest.Path
	// Sidecar is true for an init container with restartPolicy Always.
	Sidecar bool
}

// Containers returns every container of the object's pod spec: regular, init
// and ephemeral, each with its path.
func Containers(pt *manifest.PodTemplate) []Container {
	if pt == nil {
		return nil
	}
	s := pt.Spec
	out := make([]Container, 0, len(s.Containers)+len(s.InitContainers)+len(s.EphemeralContainers))
	for i := range s.InitContainers {
		c := &s.InitContainers[i]
		sidecar := c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
		out = append(out, Container{Kind: Init, C: c, Path: pt.SpecPath.Child("initContainers").Index(i), Sidecar: sidecar})
	}
	for i := range s.Containers {
		out = append(out, Container{Kind: Regular, C: &s.Containers[i], Path: pt.SpecPath.Child("containers").Index(i)})
	}
	for i := range s.EphemeralContainers {
		c := corev1.Container(s.EphemeralContainers[i].EphemeralContainerCommon)
		out = append(out, Container{Kind: Ephemeral, C: &c, Path: pt.SpecPath.Child("ephemeralContainers").Index(i)})
	}
	return out
}

// Describe names the container in messages: `container "web"`.
func (c Container) Describe() string {
	return c.Kind.String() + " \"" + c.C.Name + "\""
}

// Value is a resolved setting and the path it comes from: the container's
// field, the pod's, or (when unset in both) the container's field path.
type Value[T any] struct {
	V *T
	// Path is where the value is set, or where the container would set it.
	Path manifest.Path
	// FromPod is true when the value is inherited from the pod's
	// securityContext.
	FromPod bool
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
	// SCPath is the container's securityContext path.
	SCPath manifest.Path
}

// EffectiveSecurity resolves c's security context against the pod's.
func EffectiveSecurity(pt *manifest.PodTemplate, c Container) Security {
	scPath := c.Path.Child("securityContext")
	podPath := pt.SpecPath.Child("securityContext")
	csc := c.C.SecurityContext
	if csc == nil {
		csc = &corev1.SecurityContext{}
	}
	psc := pt.Spec.SecurityContext
	if psc == nil {
		psc = &corev1.PodSecurityContext{}
	}
	s := Security{SCPath: scPath}
	s.RunAsNonRoot = pick(csc.RunAsNonRoot, psc.RunAsNonRoot, scPath.Child("runAsNonRoot"), podPath.Child("runAsNonRoot"))
	s.RunAsUser = pick(csc.RunAsUser, psc.RunAsUser, scPath.Child("runAsUser"), podPath.Child("runAsUser"))
	s.SeccompProfile = pick(csc.SeccompProfile, psc.SeccompProfile, scPath.Child("seccompProfile"), podPath.Child("seccompProfile"))
	s.AppArmor = pick(csc.AppArmorProfile, psc.AppArmorProfile, scPath.Child("appArmorProfile"), podPath.Child("appArmorProfile"))
	var cw, pw *bool
	if csc.WindowsOptions != nil {
		cw = csc.WindowsOptions.HostProcess
	}
	if psc.WindowsOptions != nil {
		pw = psc.WindowsOptions.HostProcess
	}
	s.WindowsHostProcess = pick(cw, pw, scPath.Child("windowsOptions", "hostProcess"), podPath.Child("windowsOptions", "hostProcess"))
	s.Privileged = csc.Privileged
	s.AllowPrivilegeEscalation = csc.AllowPrivilegeEscalation
	s.ReadOnlyRootFilesystem = csc.ReadOnlyRootFilesystem
	s.Capabilities = csc.Capabilities
	return s
}

func pick[T any](c, p *T, cPath, pPath manifest.Path) Value[T] {
	if c != nil {
		return Value[T]{V: c, Path: cPath}
	}
	if p != nil {
		return Value[T]{V: p, Path: pPath, FromPod: true}
	}
	return Value[T]{Path: cPath}
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
		if pod, ok := o.Typed.(*corev1.Pod); ok && pod.Spec.RestartPolicy != "" && pod.Spec.RestartPolicy != corev1.RestartPolicyAlways {
			return false
		}
	}
	return o.PodTemplate != nil
}
