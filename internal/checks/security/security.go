// Package security holds the checks of pod and container security settings
// (spec rule SEC-11 and its Windows counterpart WIN-02).
//
// Every container check looks at regular, init and ephemeral containers and
// reads the container's settings through check.EffectiveSecurity, which
// resolves them against the pod's as the kubelet does, once per container.
// These checks run on every object: paths, names and messages are built only
// when a finding is reported, so a quiet object costs no allocation beyond
// check.Containers.
package security

import (
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the security domain's list, in catalog order.
var Checks = []*check.Check{
	Privileged,
	PrivilegeEscalation,
	RunAsNonRoot,
	CapabilitiesAdded,
	CapabilitiesNotDropped,
	ReadOnlyRootFilesystem,
	SeccompProfile,
	AppArmorUnconfined,
	HostNamespaces,
	HostPathVolume,
	HostPort,
	ServiceAccountTokenAutomount,
	WindowsHostProcess,
}

// Privileged reports privileged containers.
var Privileged = &check.Check{
	ID:       "privileged-container",
	Title:    "Container runs privileged",
	Severity: check.Error,
	Refs:     []string{"SEC-11", "WIN-02"},
	Why: "A privileged container has every capability and access to all host devices: " +
		"escaping to the node is trivial, and from the node to the cluster. " +
		"Pod Security Admission's baseline level forbids it. Windows nodes do not support privileged containers at all.",
	Fix: "Remove securityContext.privileged, or set it to false. Grant only the capabilities the process needs with securityContext.capabilities.add.",
	Example: `containers:
- name: app
  securityContext:
    privileged: false
    capabilities:
      drop: ["ALL"]`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		for _, c := range check.Containers(pt) {
			sc := check.EffectiveSecurity(pt, c)
			if !isTrue(sc.Privileged) {
				continue
			}
			path := sc.SCPath("privileged")
			if check.TargetsWindows(pt.Spec) {
				p.Report(path, "%s runs privileged, which Windows does not support (the API server rejects it when spec.os.name is windows); remove securityContext.privileged", c.Describe())
				continue
			}
			p.Report(path, "%s runs privileged: it has full access to the node; set securityContext.privileged to false", c.Describe())
		}
	},
}

// skipWindows reports whether the pod targets Windows, which the checks of
// Linux-only settings skip: there the settings have no effect, and with
// spec.os.name: windows the API server rejects them, so the advice could not
// be followed.
func skipWindows(p *check.Pass) bool {
	return check.TargetsWindows(p.Object.PodTemplate().Spec)
}

func isTrue(b *bool) bool { return b != nil && *b }

// capIs reports whether c names the capability name, ignoring case and a
// leading CAP_, as container runtimes do.
func capIs(c corev1.Capability, name string) bool {
	s := string(c)
	if len(s) > 4 && strings.EqualFold(s[:4], "CAP_") {
		s = s[4:]
	}
	return strings.EqualFold(s, name)
}

// podWide gathers the containers that inherit one pod-level setting, so that
// the setting is reported once, on the pod's field, naming them all, rather
// than once per container on the same line.
type podWide struct {
	path  manifest.Path
	names []string
}

func (w *podWide) add(path manifest.Path, c check.Container) {
	w.path = path
	w.names = append(w.names, c.Describe())
}

// report reports the setting if any container inherits it. format takes
// two verbs: the containers' names, then "runs" or "run" to agree with them.
func (w *podWide) report(p *check.Pass, format string) {
	if len(w.names) == 0 {
		return
	}
	n := len(w.names)
	names, verb := w.names[0], "runs"
	if n > 1 {
		names = strings.Join(w.names[:n-1], ", ") + " and " + w.names[n-1]
		verb = "run"
	}
	p.Report(w.path, format, names, verb)
}
