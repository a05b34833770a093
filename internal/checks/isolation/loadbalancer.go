package isolation

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// internalLBAnnotation asks the Azure cloud provider for a private load
// balancer IP; it reads only the exact value "true".
const internalLBAnnotation = "service.beta.kubernetes.io/azure-load-balancer-internal"

// webPorts are the ports that mark a Service as serving HTTP(S).
var webPorts = map[int32]bool{80: true, 443: true, 8080: true, 8443: true}

// publicWebLB returns the first web port of a public LoadBalancer Service,
// or 0.
func publicWebLB(o *manifest.Object) int32 {
	svc, ok := o.Typed().(*corev1.Service)
	if !ok || svc.Spec.Type != corev1.ServiceTypeLoadBalancer || o.Annotations[internalLBAnnotation] == "true" {
		return 0
	}
	for _, sp := range svc.Spec.Ports {
		if webPorts[sp.Port] {
			return sp.Port
		}
	}
	return 0
}

type publicLBsKey struct{}

// publicLBs returns the public LoadBalancer Services with a web port, in
// input order, and the index of each.
func publicLBs(g *graph.Graph) ([]*manifest.Object, map[*manifest.Object]int) {
	type lbs struct {
		list  []*manifest.Object
		index map[*manifest.Object]int
	}
	v := g.Memo(publicLBsKey{}, func(g *graph.Graph) any {
		r := lbs{index: map[*manifest.Object]int{}}
		for _, o := range g.Kind("", "Service") {
			if publicWebLB(o) != 0 {
				r.index[o] = len(r.list)
				r.list = append(r.list, o)
			}
		}
		return r
	}).(lbs)
	return v.list, v.index
}

// TooManyPublicLoadBalancers reports public HTTP(S) load balancers beyond
// the allowed number.
var TooManyPublicLoadBalancers = &check.Check{
	ID:       "too-many-public-load-balancers",
	Title:    "Several public LoadBalancer Services serve HTTP(S)",
	Severity: check.Warning,
	Refs:     []string{"NET-14"},
	Why: "Each public LoadBalancer Service takes a public IP and a load-balancing rule, and exposes one more endpoint to secure, monitor and patch. " +
		"Web applications share one ingress controller or Gateway better: one entry point for TLS, a WAF, routing by host and path.",
	Fix: "Route HTTP(S) applications through an Ingress (or a Gateway API Gateway and HTTPRoutes) on one ingress controller, and make their Services ClusterIP. " +
		"A LoadBalancer that must stay may be internal (service.beta.kubernetes.io/azure-load-balancer-internal: \"true\"). " +
		"The first max public LoadBalancers with port 80, 443, 8080 or 8443 in input order (typically the ingress controller's) are accepted.",
	Example: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  rules:
  - host: shop.contoso.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: web, port: {number: 80}}`,
	Target: check.Kinds("Service"),
	Options: []check.Option{{
		Name:    "max",
		Kind:    check.Int,
		Default: 1,
		Doc:     "How many public LoadBalancer Services with a web port the input may hold.",
	}},
	Cross: true,
	Run: func(p *check.Pass) {
		port := publicWebLB(p.Object)
		if port == 0 {
			return
		}
		max := p.Options.Int("max")
		list, index := publicLBs(p.Graph)
		i := index[p.Object]
		if i < max {
			return
		}
		var before []string
		for _, o := range list[:min(i, 3)] {
			before = append(before, o.Namespace+"/"+o.Name)
		}
		if i > 3 {
			before = append(before, fmt.Sprintf("%d more", i-3))
		}
		p.Report(manifest.NewPath("spec", "type"), "Service %q is public LoadBalancer number %d serving port %d (after %s; max is %d): put it behind an Ingress or Gateway on the shared ingress controller and make it ClusterIP, or make it internal",
			p.Object.Name, i+1, port, strings.Join(before, ", "), max)
	},
}
