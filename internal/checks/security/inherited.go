package security

import (
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
)

// Checks of the settings a container inherits from the pod's securityContext
// unless it sets its own. A finding on an inherited pod-level value is
// reported once, on the pod's field, naming the containers it affects; a
// finding on a container's own value, or on a value set nowhere, lands on the
// container.

// RunAsNonRoot reports containers that may run as root.
var RunAsNonRoot = &check.Check{
	ID:       "run-as-non-root",
	Title:    "Container may run as root",
	Severity: check.Warning,
	Refs:     []string{"SEC-11"},
	Why: "A process running as root (UID 0) in a container is root on the node as soon as it escapes through a kernel " +
		"or runtime bug, and owns whatever a host mount exposes. Unless the pod or the container sets runAsNonRoot: true " +
		"or a non-zero runAsUser, the image's USER decides, and an image without one runs as root. Pod Security Admission's " +
		"restricted level requires runAsNonRoot: true. Windows pods are not checked: runAsNonRoot does not apply there " +
		"the same way.",
	Fix: "Set securityContext.runAsNonRoot: true on the pod, which every container inherits, and runAsUser to a non-zero " +
		"UID if the image does not declare a numeric non-root USER.",
	Example: `spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		if skipWindows(p) {
			return
		}
		pt := p.Object.PodTemplate()
		var podRoot, podNotNonRoot podWide
		for _, c := range check.Containers(pt) {
			sc := check.EffectiveSecurity(pt, c)
			nonRoot, user := sc.RunAsNonRoot, sc.RunAsUser
			if isTrue(nonRoot.V) || (user.Set() && *user.V != 0) {
				continue
			}
			uid0 := user.Set() // and so 0
			switch {
			case uid0 && !user.FromPod:
				p.Report(user.Path(), "%s runs as root (UID 0): its runAsUser is 0; set a non-zero runAsUser and runAsNonRoot: true", c.Describe())
			case nonRoot.Set() && !nonRoot.FromPod && uid0:
				p.Report(nonRoot.Path(), "%s sets runAsNonRoot: false and inherits the pod's runAsUser: 0, so it runs as root (UID 0); set runAsNonRoot: true and a non-zero runAsUser", c.Describe())
			case nonRoot.Set() && !nonRoot.FromPod:
				p.Report(nonRoot.Path(), "%s sets runAsNonRoot: false%s and no runAsUser, so the image's USER decides, root by default; set runAsNonRoot: true", c.Describe(), overriding(pt.Spec))
			case uid0:
				podRoot.add(user.Path(), c)
			case nonRoot.Set():
				podNotNonRoot.add(nonRoot.Path(), c)
			default:
				p.Report(nonRoot.Path(), "%s may run as root: neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser, so the image's USER decides, root by default; set securityContext.runAsNonRoot: true", c.Describe())
			}
		}
		podRoot.report(p, "the pod's runAsUser is 0, so %s %s as root (UID 0); set a non-zero runAsUser and runAsNonRoot: true")
		podNotNonRoot.report(p, "the pod sets runAsNonRoot: false and no runAsUser, so %s %s as the image's USER, root by default; set runAsNonRoot: true")
	},
}

// overriding notes that a container's runAsNonRoot: false overrides the pod's
// true.
func overriding(spec *corev1.PodSpec) string {
	if sc := spec.SecurityContext; sc != nil && isTrue(sc.RunAsNonRoot) {
		return ", overriding the pod's runAsNonRoot: true,"
	}
	return ""
}

// SeccompProfile reports containers that run without a seccomp profile.
var SeccompProfile = &check.Check{
	ID:       "seccomp-profile",
	Title:    "Container runs without a seccomp profile",
	Severity: check.Warning,
	Refs:     []string{"SEC-11"},
	Why: "Without a seccomp profile a container may make every system call, including the rarely needed ones behind many " +
		"kernel exploits. The kubelet runs a container Unconfined unless the pod or the container sets a profile (or the " +
		"node's kubelet turns on seccompDefault, which is off by default). RuntimeDefault blocks the dangerous calls and " +
		"suits almost every application; Pod Security Admission's restricted level requires RuntimeDefault or Localhost. " +
		"Windows pods are not checked: seccomp is Linux-only.",
	Fix: "Set securityContext.seccompProfile.type: RuntimeDefault on the pod, which every container inherits; use " +
		"Localhost with a profile of your own when RuntimeDefault is too strict.",
	Example: `spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		if skipWindows(p) {
			return
		}
		pt := p.Object.PodTemplate()
		var pod podWide
		for _, c := range check.Containers(pt) {
			sp := check.EffectiveSecurity(pt, c).SeccompProfile
			switch {
			case !sp.Set():
				p.Report(sp.Path(), "%s has no seccomp profile: neither it nor the pod sets seccompProfile, so it runs Unconfined and may make every system call; set securityContext.seccompProfile.type: RuntimeDefault", c.Describe())
			case sp.V.Type == corev1.SeccompProfileTypeRuntimeDefault || sp.V.Type == corev1.SeccompProfileTypeLocalhost:
			case sp.FromPod:
				pod.add(sp.Path().Child("type"), c)
			default:
				p.Report(sp.Path().Child("type"), "%s sets seccompProfile.type: %s, so it may make every system call; use RuntimeDefault", c.Describe(), sp.V.Type)
			}
		}
		pod.report(p, "the pod's seccompProfile.type is not RuntimeDefault or Localhost, so %s %s without system call filtering; use RuntimeDefault")
	},
}

// AppArmorUnconfined reports containers whose AppArmor profile is
// Unconfined.
var AppArmorUnconfined = &check.Check{
	ID:       "apparmor-unconfined",
	Title:    "Container runs without AppArmor confinement",
	Severity: check.Warning,
	Refs:     []string{"SEC-11"},
	Why: "On nodes that run AppArmor (Ubuntu node images do), the container runtime confines every container with its " +
		"default profile, which among other things blocks mounts and writes to sensitive parts of /proc and /sys. " +
		"Unconfined removes that layer. Leaving the profile unset is fine: the runtime default applies. Pod Security " +
		"Admission's baseline level forbids Unconfined.",
	Fix: "Remove the Unconfined profile, set appArmorProfile.type: RuntimeDefault, or use Localhost with a profile of " +
		"your own. Remove the deprecated container.apparmor.security.beta.kubernetes.io annotation as well.",
	Example: `securityContext:
  appArmorProfile:
    type: RuntimeDefault`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		if skipWindows(p) {
			return
		}
		pt := p.Object.PodTemplate()
		var pod podWide
		for _, c := range check.Containers(pt) {
			ap := check.EffectiveSecurity(pt, c).AppArmor
			// The kubelet reads the container's field first, then the
			// deprecated per-container annotation, then the pod's field.
			if ap.Set() && !ap.FromPod {
				if ap.V.Type == corev1.AppArmorProfileTypeUnconfined {
					p.Report(ap.Path().Child("type"), "%s sets appArmorProfile.type: Unconfined, so AppArmor does not confine it; remove it or use RuntimeDefault", c.Describe())
				}
				continue
			}
			if key, v, ok := appArmorAnnotation(pt.Meta.Annotations, c.C.Name); ok {
				if v == corev1.DeprecatedAppArmorBetaProfileNameUnconfined {
					p.Report(pt.MetaPath.Child("annotations", key), "%s is unconfined by the annotation %s; remove the annotation, or set appArmorProfile.type: RuntimeDefault", c.Describe(), key)
				}
				continue
			}
			if ap.Set() && ap.V.Type == corev1.AppArmorProfileTypeUnconfined {
				pod.add(ap.Path().Child("type"), c)
			}
		}
		pod.report(p, "the pod's appArmorProfile.type is Unconfined, so %s %s without AppArmor confinement; remove it or use RuntimeDefault")
	},
}

// appArmorAnnotation finds the deprecated AppArmor annotation of the named
// container without building its key: the scan costs nothing on the usual
// pod template with few annotations.
func appArmorAnnotation(annotations map[string]string, name string) (key, value string, ok bool) {
	const prefix = corev1.DeprecatedAppArmorBetaContainerAnnotationKeyPrefix
	for k, v := range annotations {
		if len(k) == len(prefix)+len(name) && strings.HasPrefix(k, prefix) && k[len(prefix):] == name {
			return k, v, true
		}
	}
	return "", "", false
}

// WindowsHostProcess reports Windows HostProcess containers.
var WindowsHostProcess = &check.Check{
	ID:       "windows-host-process",
	Title:    "Windows container runs as a HostProcess container",
	Severity: check.Warning,
	Refs:     []string{"WIN-02"},
	Why: "A HostProcess container runs directly on the Windows node as a host process, with the node's network and " +
		"filesystem and, unless told otherwise, a SYSTEM-level account: it is Windows' privileged container. Pod " +
		"Security Admission's baseline level forbids it.",
	Fix: "Run the workload as an ordinary Windows container. Keep HostProcess for node agents (CNI, CSI, monitoring) in " +
		"a system namespace, with an exemption giving the reason.",
	Example: `securityContext:
  windowsOptions:
    hostProcess: false`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		var pod podWide
		for _, c := range check.Containers(pt) {
			hp := check.EffectiveSecurity(pt, c).WindowsHostProcess
			switch {
			case !isTrue(hp.V):
			case hp.FromPod:
				pod.add(hp.Path(), c)
			default:
				p.Report(hp.Path(), "%s is a HostProcess container: it runs on the Windows node as a host process, with the node's network and files; run it as an ordinary container", c.Describe())
			}
		}
		pod.report(p, "the pod sets windowsOptions.hostProcess: true, so %s %s directly on the Windows node, with the node's network and files; run the workload as ordinary containers")
	},
}
