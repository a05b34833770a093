package network

import (
	"strings"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

const sslPassthroughAnnotation = "nginx.ingress.kubernetes.io/ssl-passthrough"

// ingressNginxControllers returns the ingress-nginx controller workloads of
// the input, and whether any of them runs with --enable-ssl-passthrough.
// It is computed once per run.
func ingressNginxControllers(g *graph.Graph) (controllers []*manifest.Object, passthrough bool) {
	type result struct {
		controllers []*manifest.Object
		passthrough bool
	}
	r := g.Memo("network.ingressNginxControllers", func(g *graph.Graph) any {
		var res result
		for _, o := range g.Objects() {
			if !o.HasPodTemplate() {
				continue
			}
			pt := o.PodTemplate()
			if pt == nil {
				continue
			}
			for _, c := range pt.Spec.Containers {
				if !isIngressNginx(c.Image, c.Args) {
					continue
				}
				res.controllers = append(res.controllers, o)
				for _, a := range append(append([]string{}, c.Command...), c.Args...) {
					if a == "--enable-ssl-passthrough" || a == "--enable-ssl-passthrough=true" {
						res.passthrough = true
					}
				}
				break
			}
		}
		return res
	}).(result)
	return r.controllers, r.passthrough
}

// isIngressNginx recognises the ingress-nginx controller container by its
// image (registry.k8s.io/ingress-nginx/controller, and mirrors of it) or by
// the controller's entry point in its arguments.
func isIngressNginx(image string, args []string) bool {
	if strings.Contains(image, "ingress-nginx/controller") {
		return true
	}
	for _, a := range args {
		if strings.HasSuffix(a, "/nginx-ingress-controller") {
			return true
		}
	}
	return false
}

// SSLPassthrough reports ssl-passthrough annotations that the ingress-nginx
// controller of the input does not honour.
var SSLPassthrough = &check.Check{
	ID:       "ingress-ssl-passthrough-disabled",
	Title:    "ssl-passthrough annotation while the controller runs without --enable-ssl-passthrough",
	Severity: check.Warning,
	Refs:     []string{"NET-18"},
	Why: "SSL passthrough is off by default in ingress-nginx: without the controller flag --enable-ssl-passthrough the annotation is ignored, " +
		"the controller terminates TLS itself, and traffic the team meant to stay encrypted end to end is decrypted at the ingress.",
	Fix: "Start the ingress-nginx controller with --enable-ssl-passthrough (Helm: controller.extraArgs.enable-ssl-passthrough: \"\"), " +
		"or remove the annotation and re-encrypt with nginx.ingress.kubernetes.io/backend-protocol: HTTPS.",
	Example: `containers:
- name: controller
  image: registry.k8s.io/ingress-nginx/controller:v1.13.0
  args:
  - /nginx-ingress-controller
  - --enable-ssl-passthrough`,
	Target: ingressTarget,
	Cross:  true,
	Run: func(p *check.Pass) {
		v, ok := p.Object.Annotations[sslPassthroughAnnotation]
		if !ok || !strings.EqualFold(strings.TrimSpace(v), "true") {
			return
		}
		controllers, passthrough := ingressNginxControllers(p.Graph)
		if len(controllers) == 0 || passthrough {
			return // the controller is not in this input: nothing to compare with
		}
		c := controllers[0]
		p.Report(manifest.NewPath("metadata", "annotations").Child(sslPassthroughAnnotation),
			"ssl-passthrough is set but the ingress-nginx controller %s/%s/%s runs without --enable-ssl-passthrough: the annotation is ignored and TLS ends at the controller; add the flag or drop the annotation",
			c.Kind, c.Namespace, c.Name)
	},
}
