package isolation

import (
	"fmt"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	extv1beta1 "k8s.io/api/extensions/v1beta1"
	networkingv1 "k8s.io/api/networking/v1"
	networkingv1beta1 "k8s.io/api/networking/v1beta1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// ServiceSelectsNothing reports Services whose selector matches no pod
// template of their namespace.
var ServiceSelectsNothing = &check.Check{
	ID:       "service-selects-nothing",
	Title:    "Service selects no pod of its namespace",
	Severity: check.Warning,
	Why: "A Service sends traffic to the pods of its own namespace whose labels include every key and value of spec.selector. " +
		"When no pod template carries them (a typo, labels renamed, a workload in another namespace) the Service has no endpoints and every connection fails.",
	Fix: "Make spec.selector a subset of the pod template labels (spec.template.metadata.labels) of the workload it fronts, in the Service's namespace. " +
		"A Service without selector is not checked: its endpoints are managed by hand or it is an ExternalName. " +
		"The check runs only when the input holds workloads of that namespace, and not when the namespace holds a custom resource whose operator creates pods (a prometheus-operator Alertmanager, a Strimzi Kafka), as the input does not show their labels.",
	Example: `kind: Service
spec:
  selector: {app: web}   # spec.template.metadata.labels has app: web`,
	Target: check.Kinds("Service"),
	Cross:  true,
	Run: func(p *check.Pass) {
		svc, ok := p.Object.Typed().(*corev1.Service)
		ns := p.Object.Namespace
		if !ok || len(svc.Spec.Selector) == 0 || svc.Spec.Type == corev1.ServiceTypeExternalName || len(p.Graph.Workloads(ns)) == 0 {
			return
		}
		sel := graph.MapSelector(svc.Spec.Selector)
		if len(p.Graph.SelectWorkloads(ns, sel)) > 0 || len(p.Graph.OperatorObjects(ns)) > 0 {
			return
		}
		p.Report(manifest.NewPath("spec", "selector"), "Service %q selects pods labelled %s, but no pod template of namespace %q has all these labels%s, so it has no endpoints; fix the selector or the pod labels",
			p.Object.Name, sortedLabels(svc.Spec.Selector), ns, elsewhere(p.Graph, ns, sel))
	},
}

// backend is one Service backend of an Ingress, of any version.
type backend struct {
	service string
	// number or name is the Service port it names.
	number   int32
	name     string
	namePath manifest.Path
	portPath manifest.Path
}

// backendsOf returns the Service backends of an Ingress: its default
// backend, then each rule's paths. Resource backends are left out.
func backendsOf(o *manifest.Object) []backend {
	var out []backend
	rules := manifest.NewPath("spec", "rules")
	v1 := func(b *networkingv1.IngressBackend, at manifest.Path) {
		if b == nil || b.Service == nil {
			return
		}
		s := at.Child("service")
		bk := backend{service: b.Service.Name, number: b.Service.Port.Number, name: b.Service.Port.Name, namePath: s.Child("name")}
		bk.portPath = s.Child("port", "number")
		if bk.name != "" {
			bk.portPath = s.Child("port", "name")
		}
		out = append(out, bk)
	}
	beta := func(name string, port intstr.IntOrString, at manifest.Path) {
		if name == "" {
			return
		}
		bk := backend{service: name, namePath: at.Child("serviceName"), portPath: at.Child("servicePort")}
		if port.Type == intstr.Int {
			bk.number = port.IntVal
		} else {
			bk.name = port.StrVal
		}
		out = append(out, bk)
	}
	switch t := o.Typed().(type) {
	case *networkingv1.Ingress:
		v1(t.Spec.DefaultBackend, manifest.NewPath("spec", "defaultBackend"))
		for i, r := range t.Spec.Rules {
			if r.HTTP == nil {
				continue
			}
			for j := range r.HTTP.Paths {
				v1(&r.HTTP.Paths[j].Backend, rules.Index(i).Child("http", "paths").Index(j).Child("backend"))
			}
		}
	case *networkingv1beta1.Ingress:
		if b := t.Spec.Backend; b != nil {
			beta(b.ServiceName, b.ServicePort, manifest.NewPath("spec", "backend"))
		}
		for i, r := range t.Spec.Rules {
			if r.HTTP == nil {
				continue
			}
			for j, pth := range r.HTTP.Paths {
				beta(pth.Backend.ServiceName, pth.Backend.ServicePort, rules.Index(i).Child("http", "paths").Index(j).Child("backend"))
			}
		}
	case *extv1beta1.Ingress:
		if b := t.Spec.Backend; b != nil {
			beta(b.ServiceName, b.ServicePort, manifest.NewPath("spec", "backend"))
		}
		for i, r := range t.Spec.Rules {
			if r.HTTP == nil {
				continue
			}
			for j, pth := range r.HTTP.Paths {
				beta(pth.Backend.ServiceName, pth.Backend.ServicePort, rules.Index(i).Child("http", "paths").Index(j).Child("backend"))
			}
		}
	}
	return out
}

// servicePorts renders a Service's ports for messages: 80/http, 443.
func servicePorts(svc *corev1.Service) string {
	var out []string
	for _, sp := range svc.Spec.Ports {
		s := strconv.Itoa(int(sp.Port))
		if sp.Name != "" {
			s += "/" + sp.Name
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// IngressBackendMissing reports Ingress backends that name a Service or a
// Service port the namespace does not have.
var IngressBackendMissing = &check.Check{
	ID:       "ingress-backend-missing",
	Title:    "Ingress backend names a missing Service or Service port",
	Severity: check.Error,
	Why: "An Ingress backend sends traffic to a Service of the Ingress's own namespace, on a port of that Service (spec.ports[].port or its name, not the container's targetPort). " +
		"When either does not exist, the ingress controller answers 503 or 404 for every request of that path.",
	Fix: "Make service.name the name of a Service in the Ingress's namespace, and service.port.number one of its spec.ports[].port (or service.port.name one of their names). " +
		"The check runs only when the input holds Services of that namespace.",
	Example: `backend:
  service:
    name: web          # a Service of the same namespace
    port: {name: http} # one of its spec.ports`,
	Target: check.Kinds("Ingress.networking.k8s.io", "Ingress.extensions"),
	Cross:  true,
	Run: func(p *check.Pass) {
		ns := p.Object.Namespace
		services := p.Graph.InNamespace("", "Service", ns)
		if len(services) == 0 {
			return
		}
		for _, b := range backendsOf(p.Object) {
			so := p.Graph.Get("", "Service", ns, b.service)
			if so == nil {
				p.Report(b.namePath, "Ingress backend names Service %q, which namespace %q does not have (its Services: %s); name one of them: a backend reaches only Services of the Ingress's namespace",
					b.service, ns, names(services, 5))
				continue
			}
			svc, ok := so.Typed().(*corev1.Service)
			if !ok || b.name == "" && b.number == 0 || svc.Spec.Type == corev1.ServiceTypeExternalName && len(svc.Spec.Ports) == 0 {
				continue
			}
			found := false
			for _, sp := range svc.Spec.Ports {
				if b.name != "" && sp.Name == b.name || b.name == "" && sp.Port == b.number {
					found = true
					break
				}
			}
			if found {
				continue
			}
			port := fmt.Sprint(b.number)
			if b.name != "" {
				port = strconv.Quote(b.name)
			}
			hint := ""
			if b.name == "" {
				for _, sp := range svc.Spec.Ports {
					if sp.TargetPort.Type == intstr.Int && sp.TargetPort.IntVal == b.number {
						hint = fmt.Sprintf("; %d is the targetPort of its port %d, and a backend names the Service's port", b.number, sp.Port)
						break
					}
				}
			}
			p.Report(b.portPath, "Ingress backend names port %s of Service %q, which has no such port (its ports: %s)%s; name one of its ports",
				port, b.service, servicePorts(svc), hint)
		}
	},
}
