package security

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks of pod-level settings.

// HostNamespaces reports pods that share the node's namespaces.
var HostNamespaces = &check.Check{
	ID:       "host-namespaces",
	Title:    "Pod shares the node's namespaces",
	Severity: check.Error,
	Refs:     []string{"SEC-11"},
	Why: "hostNetwork gives the pod the node's network stack: it can bind the node's ports, reach services listening " +
		"on the node's localhost, and NetworkPolicies cannot reliably tell its traffic from the node's. hostPID shows it every process of the " +
		"node, and as root lets it trace them or read their environment. hostIPC shares the node's IPC namespace and " +
		"shared memory. Pod Security Admission's baseline level forbids all three. " +
		"The hostNetwork of a pod of Windows HostProcess containers, which the API server requires, is left to windows-host-process.",
	Fix:     "Remove hostNetwork, hostPID and hostIPC, or set them to false. Expose the pod through a Service rather than the node's network.",
	Example: "spec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false",
	Target:  check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		s := pt.Spec
		if s.HostNetwork && !hostProcess(pt) {
			p.Report(pt.SpecPath.Child("hostNetwork"), "the pod uses the node's network namespace (hostNetwork: true): it can bind the node's ports and NetworkPolicies cannot reliably apply to it; remove hostNetwork and expose it through a Service")
		}
		if s.HostPID {
			p.Report(pt.SpecPath.Child("hostPID"), "the pod shares the node's process namespace (hostPID: true): it sees every process on the node; remove hostPID")
		}
		if s.HostIPC {
			p.Report(pt.SpecPath.Child("hostIPC"), "the pod shares the node's IPC namespace (hostIPC: true): it can reach the shared memory of the node's processes; remove hostIPC")
		}
	},
}

// hostProcess reports whether the pod runs Windows HostProcess containers.
// The API server requires hostNetwork: true of such a pod, so its
// hostNetwork is left to windows-host-process, which reports the
// HostProcess containers themselves.
func hostProcess(pt *manifest.PodTemplate) bool {
	for _, c := range check.Containers(pt) {
		if isTrue(check.EffectiveSecurity(pt, c).WindowsHostProcess.V) {
			return true
		}
	}
	return false
}

// HostPathVolume reports hostPath volumes.
var HostPathVolume = &check.Check{
	ID:       "host-path-volume",
	Title:    "Pod mounts a directory of the node",
	Severity: check.Warning,
	Refs:     []string{"SEC-11"},
	Why: "A hostPath volume mounts a file or directory of the node into the pod. A writable mount of /, /etc, /var/lib/kubelet " +
		"or the container runtime's socket is a direct route to the node, and data kept there ties the pod to one node. " +
		"Pod Security Admission's baseline level forbids hostPath volumes.",
	Fix: "Use an emptyDir for scratch space, a ConfigMap or Secret for configuration, or a PersistentVolumeClaim for data. " +
		"Node agents that need host paths belong in a system namespace, with an exemption giving the reason.",
	Example: "volumes:\n- name: scratch\n  emptyDir: {}",
	Target:  check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		for i := range pt.Spec.Volumes {
			v := &pt.Spec.Volumes[i]
			if v.HostPath == nil {
				continue
			}
			p.Report(pt.SpecPath.Child("volumes").Index(i).Child("hostPath"), "volume %q mounts the node's path %q (hostPath); use an emptyDir, ConfigMap, Secret or PersistentVolumeClaim instead", v.Name, v.HostPath.Path)
		}
	},
}

// ServiceAccountTokenAutomount reports pods that leave token automounting to
// the default.
var ServiceAccountTokenAutomount = &check.Check{
	ID:       "service-account-token-automount",
	Title:    "Pod does not decide whether to mount a service account token",
	Severity: check.Warning,
	Refs:     []string{"SEC-11"},
	Why: "Unless told otherwise, Kubernetes mounts a token of the pod's service account into every container. An " +
		"application that never calls the Kubernetes API does not need it, and whoever gets code execution in the " +
		"container can use it with every permission the service account has. The AKS checklist asks to turn automounting " +
		"off when the application needs no API access. An explicit true records that the application does.",
	Fix: "Set spec.automountServiceAccountToken: false in the pod template. If the application calls the Kubernetes API, " +
		"set it to true to record that decision, and give its service account only the permissions it needs. " +
		"A pod that does not set it is not reported when its ServiceAccount, in the input, sets automountServiceAccountToken: false: no token is mounted.",
	Example: "spec:\n  automountServiceAccountToken: false",
	Target:  check.PodSpecs,
	Cross:   true,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		if pt.Spec.AutomountServiceAccountToken != nil {
			return
		}
		sa := pt.Spec.ServiceAccountName
		if sa == "" {
			sa = "default"
		}
		if p.Graph != nil {
			if o := p.Graph.Get("", "ServiceAccount", p.Object.Namespace, sa); o != nil {
				if a, ok := o.Typed().(*corev1.ServiceAccount); ok && a.AutomountServiceAccountToken != nil && !*a.AutomountServiceAccountToken {
					return // the ServiceAccount turns automounting off
				}
			}
		}
		p.Report(pt.SpecPath.Child("automountServiceAccountToken"), "the pod does not set automountServiceAccountToken, so a token of service account %q is mounted into its containers unless the ServiceAccount turns that off; set it to false if the application does not call the Kubernetes API, or to true to record that it does", sa)
	},
}
