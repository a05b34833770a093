package network

import (
	"strings"

	extv1beta1 "k8s.io/api/extensions/v1beta1"
	networkingv1 "k8s.io/api/networking/v1"
	networkingv1beta1 "k8s.io/api/networking/v1beta1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// ingressTarget matches the Ingress of every version k8s.io/api types:
// networking.k8s.io/v1, and the removed networking.k8s.io/v1beta1 and
// extensions/v1beta1 (still found in old charts).
var ingressTarget = check.Kinds("Ingress.networking.k8s.io", "Ingress.extensions")

// ingress is an Ingress of any version, reduced to what the checks read.
type ingress struct {
	// hosts holds the host of each rule, by rule index.
	hosts []string
	// tls holds the hosts of each spec.tls entry.
	tls [][]string
	// defaultBackend is the path of the catch-all backend, when set.
	defaultBackend *manifest.Path
}

var rulesPath = manifest.NewPath("spec", "rules")

// ingressOf returns o's Ingress view, or false when o is not a typed Ingress.
func ingressOf(o *manifest.Object) (ingress, bool) {
	var in ingress
	switch t := o.Typed().(type) {
	case *networkingv1.Ingress:
		for _, r := range t.Spec.Rules {
			in.hosts = append(in.hosts, r.Host)
		}
		for _, tl := range t.Spec.TLS {
			in.tls = append(in.tls, tl.Hosts)
		}
		if t.Spec.DefaultBackend != nil {
			p := manifest.NewPath("spec", "defaultBackend")
			in.defaultBackend = &p
		}
	case *networkingv1beta1.Ingress:
		for _, r := range t.Spec.Rules {
			in.hosts = append(in.hosts, r.Host)
		}
		for _, tl := range t.Spec.TLS {
			in.tls = append(in.tls, tl.Hosts)
		}
		if t.Spec.Backend != nil {
			p := manifest.NewPath("spec", "backend")
			in.defaultBackend = &p
		}
	case *extv1beta1.Ingress:
		for _, r := range t.Spec.Rules {
			in.hosts = append(in.hosts, r.Host)
		}
		for _, tl := range t.Spec.TLS {
			in.tls = append(in.tls, tl.Hosts)
		}
		if t.Spec.Backend != nil {
			p := manifest.NewPath("spec", "backend")
			in.defaultBackend = &p
		}
	default:
		return in, false
	}
	return in, true
}

// IngressHostMissing reports Ingress rules that match every host name.
var IngressHostMissing = &check.Check{
	ID:       "ingress-host-missing",
	Title:    "Ingress rule matches every host name",
	Severity: check.Warning,
	Refs:     []string{"NET-16"},
	Why: "A rule without host, and an Ingress-level default backend, answer requests for any host name that reaches the controller, " +
		"including names nobody approved and raw IP addresses; such a rule cannot be matched by a TLS certificate either. " +
		"Azure Policy \"Kubernetes cluster ingress should specify host\" asks for a host on every rule.",
	Fix: "Give every rule a host, and route through rules rather than spec.defaultBackend.",
	Example: `spec:
  rules:
  - host: shop.contoso.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: web, port: {number: 80}}`,
	Target: ingressTarget,
	Run: func(p *check.Pass) {
		in, ok := ingressOf(p.Object)
		if !ok {
			return
		}
		for i, h := range in.hosts {
			if h == "" {
				p.Report(rulesPath.Index(i), "Ingress %q: spec.rules[%d] has no host, so it answers for every host name; set host", p.Object.Name, i)
			}
		}
		if in.defaultBackend != nil {
			p.Report(*in.defaultBackend, "Ingress %q has a default backend: it answers for every host name no rule matches; route through rules with a host instead", p.Object.Name)
		}
	},
}

// IngressHostAllowed reports Ingress hosts outside the configured list.
var IngressHostAllowed = &check.Check{
	ID:       "ingress-host-allowed",
	Title:    "Ingress host is not an approved host name",
	Severity: check.Error,
	Refs:     []string{"NET-16"},
	Why: "Ingress host names decide which domains the cluster answers for. A team that claims a host outside the organisation's " +
		"approved domains can take traffic meant for another application, or publish a service under a name nobody manages.",
	Fix: "Use a host under one of the approved domains, or add the host to the check's hosts option.",
	Example: `# .kubevet.yaml
checks:
  ingress-host-allowed:
    enabled: true
    hosts: ["*.contoso.com", "contoso.com"]`,
	Target: ingressTarget,
	Options: []check.Option{{
		Name:    "hosts",
		Kind:    check.StringList,
		Default: []string{},
		Doc: "Approved host names. An exact name (api.contoso.com) allows that name only; *.contoso.com allows every name below contoso.com " +
			"at any depth (a.contoso.com, a.b.contoso.com) and the wildcard hosts *.contoso.com and *.a.contoso.com, but not contoso.com itself. " +
			"A wildcard Ingress host is allowed only by a *. entry that covers it. The check reports nothing while the list is empty.",
	}},
	Disabled: true,
	Run: func(p *check.Pass) {
		list := p.Options.Strings("hosts")
		if len(list) == 0 {
			return
		}
		in, ok := ingressOf(p.Object)
		if !ok {
			return
		}
		for i, h := range in.hosts {
			if h == "" || hostAllowed(list, h) {
				continue
			}
			p.Report(rulesPath.Index(i).Child("host"), "Ingress host %q is not an approved host name (%s); use an approved domain or add it to the check's hosts option", h, strings.Join(list, ", "))
		}
	},
}

// hostAllowed reports whether host is allowed by an entry of list: an equal
// name, or a *.domain entry with host below domain at any depth. A wildcard
// host *.x is the set of names below x, so *.domain covers it when x is
// domain or below it.
func hostAllowed(list []string, host string) bool {
	name := strings.TrimPrefix(host, "*") // "*.a.com" → ".a.com"
	for _, e := range list {
		e = strings.TrimSpace(e)
		if strings.EqualFold(e, host) {
			return true
		}
		domain, ok := strings.CutPrefix(e, "*.")
		if ok && domain != "" && hasSuffixFold(name, "."+domain) {
			return true
		}
	}
	return false
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// IngressTLS reports Ingress hosts served without TLS.
var IngressTLS = &check.Check{
	ID:       "ingress-tls",
	Title:    "Ingress host is served without TLS",
	Severity: check.Warning,
	Refs:     []string{"NET-18"},
	Why: "An Ingress terminates TLS only for the hosts listed in spec.tls[].hosts; any other host is served over plain HTTP, " +
		"so credentials and session cookies cross the network in clear text. Azure Policy \"Kubernetes clusters should be accessible only over HTTPS\" denies it.",
	Fix: "List every rule host under spec.tls[].hosts with the Secret of a certificate that covers it. " +
		"A wildcard TLS host (*.contoso.com) covers exactly one label: shop.contoso.com, not a.shop.contoso.com nor contoso.com.",
	Example: `spec:
  tls:
  - hosts: [shop.contoso.com]
    secretName: shop-tls
  rules:
  - host: shop.contoso.com`,
	Target: ingressTarget,
	Run: func(p *check.Pass) {
		in, ok := ingressOf(p.Object)
		if !ok {
			return
		}
		for i, h := range in.hosts {
			if h == "" {
				// Reported by ingress-host-missing; without any TLS entry
				// the rule is plain HTTP as well.
				if len(in.tls) == 0 {
					p.Report(rulesPath.Index(i), "Ingress %q: spec.rules[%d] is served over plain HTTP, the Ingress has no spec.tls; give the rule a host and list it under spec.tls[].hosts", p.Object.Name, i)
				}
				continue
			}
			if !tlsCovered(in.tls, h) {
				p.Report(rulesPath.Index(i).Child("host"), "Ingress host %q is not listed in spec.tls[].hosts, so it is served over plain HTTP; add it to a spec.tls entry", h)
			}
		}
	},
}

// tlsCovered reports whether a TLS host of tls covers host.
func tlsCovered(tls [][]string, host string) bool {
	for _, hosts := range tls {
		for _, t := range hosts {
			if tlsCovers(t, host) {
				return true
			}
		}
	}
	return false
}

// tlsCovers reports whether TLS host t covers rule host h: the same name, or
// t is *.domain and h is exactly one label below domain, as certificate
// wildcards match (RFC 6125).
func tlsCovers(t, h string) bool {
	if strings.EqualFold(t, h) {
		return true
	}
	suffix, ok := strings.CutPrefix(t, "*")
	if !ok || len(suffix) < 2 || suffix[0] != '.' || !hasSuffixFold(h, suffix) {
		return false
	}
	label := h[:len(h)-len(suffix)]
	return label != "" && label != "*" && !strings.Contains(label, ".")
}

// backendProtocolAnnotation selects how ingress-nginx talks to the backend.
const backendProtocolAnnotation = "nginx.ingress.kubernetes.io/backend-protocol"

// backendProtocols are the values ingress-nginx accepts (v1.9 and later:
// AJP was removed in v1.9, kubernetes/ingress-nginx#10158). The controller
// upper-cases the value before matching it.
var backendProtocols = map[string]bool{
	"HTTP": true, "HTTPS": true, "AUTO_HTTP": true, "GRPC": true, "GRPCS": true, "FCGI": true,
}

// IngressBackendProtocol reports invalid ingress-nginx backend protocols.
var IngressBackendProtocol = &check.Check{
	ID:       "ingress-backend-protocol",
	Title:    "ingress-nginx backend-protocol annotation has an invalid value",
	Severity: check.Error,
	Refs:     []string{"NET-18"},
	Why: "ingress-nginx ignores a backend-protocol it does not know and talks plain HTTP to the backend, " +
		"so a service that expects TLS (end-to-end re-encryption) or gRPC fails, or traffic meant to be re-encrypted leaves the controller in clear text. " +
		"Valid values are HTTP, HTTPS, AUTO_HTTP, GRPC, GRPCS and FCGI; AJP was removed in ingress-nginx 1.9.",
	Fix: "Set nginx.ingress.kubernetes.io/backend-protocol to one of HTTP, HTTPS, AUTO_HTTP, GRPC, GRPCS or FCGI, written in upper case.",
	Example: `metadata:
  annotations:
    nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"`,
	Target: ingressTarget,
	Run: func(p *check.Pass) {
		v, ok := p.Object.Annotations[backendProtocolAnnotation]
		if !ok {
			return
		}
		path := manifest.NewPath("metadata", "annotations").Child(backendProtocolAnnotation)
		norm := strings.ToUpper(strings.TrimSpace(v))
		switch {
		case backendProtocols[v]:
		case backendProtocols[norm]:
			p.ReportSeverity(check.Warning, path, "backend-protocol %q works because ingress-nginx upper-cases it, but write it as %q as documented", v, norm)
		case norm == "AJP":
			p.Report(path, "backend-protocol AJP was removed in ingress-nginx 1.9: the controller falls back to HTTP; serve HTTP from the backend, or put an HTTP-to-AJP proxy in front of it")
		default:
			p.Report(path, "backend-protocol %q is not a value ingress-nginx knows: it falls back to plain HTTP; use one of HTTP, HTTPS, AUTO_HTTP, GRPC, GRPCS, FCGI", v)
		}
	},
}
