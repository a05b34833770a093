package manifest

import corev1 "k8s.io/api/core/v1"

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
	Path Path
	// Sidecar is true for an init container with restartPolicy Always.
	Sidecar bool
}

// Describe names the container in messages: `container "web"`, or
// `sidecar container "log"` for an init container that runs as a sidecar, as
// every check calls it.
func (c Container) Describe() string {
	kind := c.Kind.String()
	if c.Sidecar {
		kind = "sidecar container"
	}
	return kind + " \"" + c.C.Name + "\""
}

// Containers returns the init, regular and ephemeral containers of the
// template with their paths. It is computed once and shared: callers must
// not modify it.
func (pt *PodTemplate) Containers() []Container {
	pt.once.Do(pt.listContainers)
	return pt.containers
}

func (pt *PodTemplate) listContainers() {
	s := pt.Spec
	out := make([]Container, 0, len(s.Containers)+len(s.InitContainers)+len(s.EphemeralContainers))
	if len(s.InitContainers) > 0 {
		base := pt.SpecPath.Child("initContainers")
		for i := range s.InitContainers {
			c := &s.InitContainers[i]
			sidecar := c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
			out = append(out, Container{Kind: Init, C: c, Path: base.Index(i), Sidecar: sidecar})
		}
	}
	base := pt.SpecPath.Child("containers")
	for i := range s.Containers {
		out = append(out, Container{Kind: Regular, C: &s.Containers[i], Path: base.Index(i)})
	}
	if len(s.EphemeralContainers) > 0 {
		base := pt.SpecPath.Child("ephemeralContainers")
		for i := range s.EphemeralContainers {
			c := corev1.Container(s.EphemeralContainers[i].EphemeralContainerCommon)
			out = append(out, Container{Kind: Ephemeral, C: &c, Path: base.Index(i)})
		}
	}
	pt.containers = out
}
