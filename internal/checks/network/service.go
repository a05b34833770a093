package network

import (
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// internalLBAnnotation makes the Azure cloud provider give a LoadBalancer
// Service a private IP from the cluster's virtual network. The provider
// compares the value with the exact string "true".
const internalLBAnnotation = "service.beta.kubernetes.io/azure-load-balancer-internal"

// LoadBalancerPublic reports LoadBalancer Services that get a public IP.
var LoadBalancerPublic = &check.Check{
	ID:       "load-balancer-public",
	Title:    "LoadBalancer Service is exposed on the Internet",
	Severity: check.Warning,
	Refs:     []string{"NET-15"},
	Why: "On AKS a Service of type LoadBalancer gets a public IP on the cluster's Azure load balancer unless it asks for an internal one, " +
		"so every port it lists is open to the Internet. Azure Policy \"Kubernetes clusters should use internal load balancers\" denies it.",
	Fix: "Annotate the Service with service.beta.kubernetes.io/azure-load-balancer-internal: \"true\" (exactly that string). " +
		"If it must be public, list it as namespace/name in the allow option, put it behind an ingress or a WAF, and restrict spec.loadBalancerSourceRanges.",
	Example: `apiVersion: v1
kind: Service
metadata:
  name: api
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
spec:
  type: LoadBalancer`,
	Target: check.Kinds("Service"),
	Options: []check.Option{{
		Name:    "allow",
		Kind:    check.StringList,
		Default: []string{},
		Doc:     `Services allowed to be public, written namespace/name; namespace/* allows every Service of a namespace.`,
	}},
	Run: func(p *check.Pass) {
		svc, ok := p.Object.Typed().(*corev1.Service)
		if !ok || svc.Spec.Type != corev1.ServiceTypeLoadBalancer {
			return
		}
		v, set := p.Object.Annotations[internalLBAnnotation]
		if v == "true" || allowed(p.Options.Strings("allow"), p.Object.Namespace, p.Object.Name) {
			return
		}
		path := manifest.NewPath("metadata", "annotations").Child(internalLBAnnotation)
		if set {
			p.Report(path, "Service %q has %s set to %q, which the Azure cloud provider does not read as true: its load balancer is public; write \"true\"", p.Object.Name, internalLBAnnotation, v)
			return
		}
		p.Report(path, "Service %q of type LoadBalancer gets a public IP; annotate it %s: \"true\", or allow %s/%s in the check's allow option if it must be public",
			p.Object.Name, internalLBAnnotation, p.Object.Namespace, p.Object.Name)
	},
}

// allowed reports whether namespace/name is in list, as itself or as
// namespace/*.
func allowed(list []string, namespace, name string) bool {
	for _, e := range list {
		ns, n, ok := strings.Cut(strings.TrimSpace(e), "/")
		if ok && ns == namespace && (n == name || n == "*") {
			return true
		}
	}
	return false
}
