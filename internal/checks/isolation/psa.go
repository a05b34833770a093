package isolation

import (
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// psaEnforce is the Pod Security Admission label that rejects pods above a
// level.
const psaEnforce = "pod-security.kubernetes.io/enforce"

// NamespacePodSecurity reports Namespaces that Pod Security Admission does
// not restrict.
var NamespacePodSecurity = &check.Check{
	ID:       "namespace-pod-security",
	Title:    "Namespace does not enforce a Pod Security Standard",
	Severity: check.Warning,
	Refs:     []string{"SEC-11"},
	Why: "Pod Security Admission, built into Kubernetes since 1.25 (PodSecurityPolicy's replacement), rejects privileged, host-namespace and root pods " +
		"only in namespaces labelled pod-security.kubernetes.io/enforce. Without the label, or with enforce: privileged, any pod is admitted. " +
		"A value that is not a level (Restricted, strict) makes Pod Security Admission reject the Namespace itself.",
	Fix: "Label the Namespace pod-security.kubernetes.io/enforce: restricted (or baseline, which the check accepts, where restricted is not yet possible). " +
		"Try the level first with the warn and audit labels. System namespaces are exempt.",
	Example: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/warn: restricted`,
	Target: check.Kinds("Namespace"),
	Cross:  true,
	Run: func(p *check.Pass) {
		o := p.Object
		if !p.Settings.NamespaceInScope(o.Name, true) {
			return
		}
		labels := manifest.NewPath("metadata", "labels")
		switch v, ok := o.Labels[psaEnforce]; {
		case !ok:
			p.Report(labels, "Namespace %q has no %s label, so Pod Security Admission admits any pod, privileged ones included; label it %s: restricted (or baseline)", o.Name, psaEnforce, psaEnforce)
		case v == "privileged":
			p.Report(labels.Child(psaEnforce), "Namespace %q enforces the privileged Pod Security level, which admits any pod; enforce restricted (or baseline)", o.Name)
		case v != "baseline" && v != "restricted":
			p.Report(labels.Child(psaEnforce), "Namespace %q sets %s: %q, which is not a Pod Security level (privileged, baseline or restricted, in lower case): Pod Security Admission rejects the Namespace; set it to restricted (or baseline)", o.Name, psaEnforce, v)
		}
	},
}
