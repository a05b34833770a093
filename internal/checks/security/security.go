// Package security holds the checks of pod and container security settings
// (spec rule SEC-11 and its Windows counterpart WIN-02).
package security

import (
	"github.com/kubevet/kubevet/internal/check"
)

// Checks is the security domain's list, in catalog order.
var Checks = []*check.Check{
	Privileged,
}

// Privileged reports privileged containers.
var Privileged = &check.Check{
	ID:       "privileged-container",
	Title:    "Container runs privileged",
	Severity: check.Error,
	Refs:     []string{"SEC-11", "WIN-02"},
	Why: "A privileged container has every capability and access to all host devices: " +
		"escaping to the node is trivial, and from the node to the cluster. " +
		"Pod Security Admission's baseline level forbids it.",
	Fix: "Remove securityContext.privileged, or set it to false. Grant only the capabilities the process needs with securityContext.capabilities.add.",
	Example: `containers:
- name: app
  securityContext:
    privileged: false
    capabilities:
      drop: ["ALL"]`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		for _, c := range check.Containers(p.Object.PodTemplate) {
			sc := check.EffectiveSecurity(p.Object.PodTemplate, c)
			if sc.Privileged != nil && *sc.Privileged {
				p.Report(sc.SCPath.Child("privileged"), "%s runs privileged: it has full access to the node; set securityContext.privileged to false", c.Describe())
			}
		}
	},
}
