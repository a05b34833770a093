package availability

import (
	"fmt"
	"strings"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "sigs.k8s.io/json"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

var hpas = check.Kinds("HorizontalPodAutoscaler.autoscaling")

// HPAMissing reports replicated workloads that no autoscaler targets.
var HPAMissing = &check.Check{
	ID:       "hpa-missing",
	Title:    "Workload has no HorizontalPodAutoscaler or KEDA ScaledObject",
	Severity: check.Info,
	Refs:     []string{"SCL-02"},
	Why: "A fixed replica count is either too many pods at night or too few at peak. " +
		"A HorizontalPodAutoscaler (or a KEDA ScaledObject, which drives one) adapts the count to the load, and with the cluster autoscaler the nodes follow.",
	Fix: "Add an autoscaling/v2 HorizontalPodAutoscaler whose scaleTargetRef names the workload (with CPU or memory requests set on its containers), " +
		"or a KEDA ScaledObject. Ignore this check for workloads that must keep a fixed size.",
	Example: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 70}`,
	Target: replicated,
	Cross:  true,
	Run: func(p *check.Pass) {
		o := p.Object
		if n, set := replicasOf(o); set && n == 0 {
			return // scaled to zero on purpose
		}
		if len(ScalersOf(p.Graph, o)) > 0 {
			return
		}
		n, _ := replicasOf(o)
		p.Report(workloadPath(o), "no HorizontalPodAutoscaler or KEDA ScaledObject in namespace %s targets %s/%s, so it keeps %s whatever the load; add an HPA (or a ScaledObject) whose scaleTargetRef names it",
			o.Namespace, o.Kind, o.Name, plural(int(n), "replica"))
	},
}

// hpaOf returns the HPA o in its typed autoscaling/v2 or v1 form. HPAs of
// autoscaling/v2beta2 and v2beta1 (served up to Kubernetes 1.25 and still
// common in repositories), which k8s.io/api no longer carries and kubevet
// reads as custom kinds, are read into the autoscaling/v2 type: their
// scaleTargetRef, minReplicas and maxReplicas are the same fields, v2beta2's
// metrics are v2's, and v2beta1's resource metrics (targetAverageUtilization
// or targetAverageValue) are converted. Whether the version is still served
// is api-removed's business.
func hpaOf(o *manifest.Object) any {
	switch t := o.Typed().(type) {
	case *autoscalingv2.HorizontalPodAutoscaler, *autoscalingv1.HorizontalPodAutoscaler:
		return t
	}
	if o.Kind != "HorizontalPodAutoscaler" || (o.APIVersion != "autoscaling/v2beta2" && o.APIVersion != "autoscaling/v2beta1") {
		return nil
	}
	data := o.JSON()
	var h autoscalingv2.HorizontalPodAutoscaler
	if data == nil || kjson.UnmarshalCaseSensitivePreserveInts(data, &h) != nil {
		return nil
	}
	if o.APIVersion == "autoscaling/v2beta1" {
		var b v2beta1HPA
		if kjson.UnmarshalCaseSensitivePreserveInts(data, &b) != nil {
			return nil
		}
		h.Spec.Metrics = make([]autoscalingv2.MetricSpec, len(b.Spec.Metrics))
		for i, m := range b.Spec.Metrics {
			h.Spec.Metrics[i].Type = autoscalingv2.MetricSourceType(m.Type)
			if r := m.Resource; r != nil {
				h.Spec.Metrics[i].Resource = &autoscalingv2.ResourceMetricSource{Name: r.Name, Target: r.target()}
			}
			if r := m.ContainerResource; r != nil {
				h.Spec.Metrics[i].ContainerResource = &autoscalingv2.ContainerResourceMetricSource{Name: r.Name, Container: r.Container, Target: r.target()}
			}
		}
	}
	return &h
}

// v2beta1HPA holds the resource metrics of an autoscaling/v2beta1 HPA,
// written differently from v2's.
type v2beta1HPA struct {
	Spec struct {
		Metrics []struct {
			Type              string           `json:"type"`
			Resource          *v2beta1Resource `json:"resource"`
			ContainerResource *v2beta1Resource `json:"containerResource"`
		} `json:"metrics"`
	} `json:"spec"`
}

type v2beta1Resource struct {
	Name                     corev1.ResourceName `json:"name"`
	Container                string              `json:"container"`
	TargetAverageUtilization *int32              `json:"targetAverageUtilization"`
}

func (r *v2beta1Resource) target() autoscalingv2.MetricTarget {
	if r.TargetAverageUtilization != nil {
		return autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: r.TargetAverageUtilization}
	}
	return autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType}
}

// hpaRef is an HPA's scaleTargetRef, of either version.
type hpaRef struct {
	APIVersion, Kind, Name string
}

// group is the API group the reference names. Without apiVersion the HPA
// controller cannot map the kind; the usual group of the kind is assumed,
// so that such an HPA is judged on its other fields.
func (r hpaRef) group() string {
	if r.APIVersion == "" {
		if r.Kind == "ReplicationController" {
			return ""
		}
		return "apps"
	}
	gv, err := schema.ParseGroupVersion(r.APIVersion)
	if err != nil {
		return r.APIVersion
	}
	return gv.Group
}

func hpaRefOf(o *manifest.Object) (hpaRef, bool) {
	switch t := hpaOf(o).(type) {
	case *autoscalingv2.HorizontalPodAutoscaler:
		r := t.Spec.ScaleTargetRef
		return hpaRef{r.APIVersion, r.Kind, r.Name}, true
	case *autoscalingv1.HorizontalPodAutoscaler:
		r := t.Spec.ScaleTargetRef
		return hpaRef{r.APIVersion, r.Kind, r.Name}, true
	}
	return hpaRef{}, false
}

// HPATargetMissing reports HPAs whose target is not in the input while the
// input holds other objects of that kind in that namespace.
var HPATargetMissing = &check.Check{
	ID:       "hpa-target-missing",
	Title:    "HorizontalPodAutoscaler targets a workload that does not exist",
	Severity: check.Error,
	Refs:     []string{"SCL-02"},
	Why: "An HPA scales only the object its scaleTargetRef names, in its own namespace. A misspelt or renamed target leaves the HPA failing " +
		"(FailedGetScale) and the real workload at a fixed size. kubevet reports this only when the input holds other objects of that kind " +
		"in that namespace, since otherwise the target may be deployed from elsewhere.",
	Fix: "Make scaleTargetRef name the workload exactly: apiVersion apps/v1, its kind and its name, in the HPA's namespace.",
	Example: `spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}`,
	Target: hpas,
	Cross:  true,
	Run: func(p *check.Pass) {
		o := p.Object
		ref, ok := hpaRefOf(o)
		if !ok {
			return
		}
		switch ref.Kind {
		case "Deployment", "StatefulSet", "ReplicaSet":
		default:
			return
		}
		g := p.Graph
		refPath := manifest.NewPath("spec", "scaleTargetRef")
		if ref.APIVersion == "" {
			// The HPA controller maps the kind in the group of apiVersion:
			// none means the core group, which has no such kind.
			p.Report(refPath, "scaleTargetRef names %s/%s without apiVersion: the HPA controller then looks for %s in the core API group, where it does not exist, and never scales it; set apiVersion: apps/v1",
				ref.Kind, ref.Name, ref.Kind)
			return
		}
		group := ref.group()
		if g.Get(group, ref.Kind, o.Namespace, ref.Name) != nil {
			return
		}
		if group != "apps" {
			if w := g.Get("apps", ref.Kind, o.Namespace, ref.Name); w != nil {
				p.Report(refPath.Child("apiVersion"), "scaleTargetRef names %s %s/%s, but the %s is %s, and %s does not serve that kind: the HPA cannot find it; set apiVersion: apps/v1",
					ref.APIVersion, ref.Kind, ref.Name, ref.Kind, w.APIVersion, ref.APIVersion)
				return
			}
		}
		present := g.InNamespace(group, ref.Kind, o.Namespace)
		if len(present) == 0 {
			return // the target may be deployed from elsewhere
		}
		// A few names, in input order: enough to spot a typo, and
		// constant time however many workloads the namespace has.
		names := make([]string, 0, 6)
		for _, w := range present[:min(len(present), 5)] {
			names = append(names, w.Name)
		}
		if len(present) > 5 {
			names = append(names, "...")
		}
		p.Report(refPath.Child("name"), "scaleTargetRef names %s/%s, which namespace %s does not have in the input (its %ss: %s): the HPA scales nothing; name the workload exactly",
			ref.Kind, ref.Name, o.Namespace, ref.Kind, strings.Join(names, ", "))
	},
}

// resourceMetric is a metric that needs the target's requests: a Resource
// or ContainerResource metric with a Utilization target.
type resourceMetric struct {
	Resource  corev1.ResourceName
	Container string // for ContainerResource
	Path      manifest.Path
	// Default is set when the metric is the API's default (no metric
	// given: 80% CPU utilization).
	Default bool
}

// utilizationMetrics lists the HPA's metrics that compute utilization, a
// share of the pods' requests. AverageValue and Value targets need no
// request. autoscaling/v2 without metrics, and autoscaling/v1 without
// targetCPUUtilizationPercentage, default to 80% CPU utilization.
func utilizationMetrics(o *manifest.Object) []resourceMetric {
	switch t := hpaOf(o).(type) {
	case *autoscalingv2.HorizontalPodAutoscaler:
		base := manifest.NewPath("spec", "metrics")
		if len(t.Spec.Metrics) == 0 {
			return []resourceMetric{{Resource: corev1.ResourceCPU, Path: base, Default: true}}
		}
		var out []resourceMetric
		for i, m := range t.Spec.Metrics {
			switch {
			case m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil && m.Resource.Target.Type == autoscalingv2.UtilizationMetricType:
				out = append(out, resourceMetric{Resource: m.Resource.Name, Path: base.Index(i)})
			case m.Type == autoscalingv2.ContainerResourceMetricSourceType && m.ContainerResource != nil && m.ContainerResource.Target.Type == autoscalingv2.UtilizationMetricType:
				out = append(out, resourceMetric{Resource: m.ContainerResource.Name, Container: m.ContainerResource.Container, Path: base.Index(i)})
			}
		}
		return out
	case *autoscalingv1.HorizontalPodAutoscaler:
		return []resourceMetric{{Resource: corev1.ResourceCPU, Path: manifest.NewPath("spec", "targetCPUUtilizationPercentage"), Default: t.Spec.TargetCPUUtilizationPercentage == nil}}
	}
	return nil
}

// kedaUtilization reads a KEDA ScaledObject: its target and its cpu and
// memory triggers whose metric type (trigger.metricType, or the deprecated
// metadata.type) is Utilization; metadata.containerName makes it a
// container metric. KEDA turns them into the HPA's Resource and
// ContainerResource metrics.
func kedaUtilization(o *manifest.Object) (hpaRef, []resourceMetric, bool) {
	u, err := o.Unstructured()
	if err != nil {
		return hpaRef{}, nil, false
	}
	spec, _ := u["spec"].(map[string]any)
	ref, _ := spec["scaleTargetRef"].(map[string]any)
	var r hpaRef
	r.Name, _ = ref["name"].(string)
	r.Kind, _ = ref["kind"].(string)
	r.APIVersion, _ = ref["apiVersion"].(string)
	if r.Kind == "" {
		r.Kind = "Deployment" // KEDA's default target kind
	}
	triggers, _ := spec["triggers"].([]any)
	base := manifest.NewPath("spec", "triggers")
	var out []resourceMetric
	for i, t := range triggers {
		tr, _ := t.(map[string]any)
		typ, _ := tr["type"].(string)
		if typ != "cpu" && typ != "memory" {
			continue
		}
		md, _ := tr["metadata"].(map[string]any)
		mt, _ := tr["metricType"].(string)
		if mt == "" {
			mt, _ = md["type"].(string)
		}
		if mt != string(autoscalingv2.UtilizationMetricType) {
			continue
		}
		c, _ := md["containerName"].(string)
		out = append(out, resourceMetric{Resource: corev1.ResourceName(typ), Container: c, Path: base.Index(i)})
	}
	return r, out, true
}

// HPAResourceRequests reports HPAs that scale on CPU or memory utilization
// of pods that do not request that resource.
var HPAResourceRequests = &check.Check{
	ID:       "hpa-resource-requests",
	Title:    "HorizontalPodAutoscaler scales on utilization of a resource its target does not request",
	Severity: check.Error,
	Refs:     []string{"SCL-02"},
	Why: "Utilization is usage divided by request. If a container the metric covers has no request for the resource, the HPA cannot compute it " +
		"(\"missing request for cpu\") and does not scale at all. A request defaults to the limit when only the limit is set, " +
		"and to a LimitRange's default of the namespace. " +
		"A Resource metric covers every container and restartable init (sidecar) container, unless the pod sets pod-level resources; " +
		"a ContainerResource metric covers the container it names. An HPA without metrics scales on 80% CPU utilization. " +
		"KEDA ScaledObjects' cpu and memory triggers with metricType Utilization become such metrics.",
	Fix: "Set resources.requests for the resource on every container the metric covers (or pod-level resources), " +
		"or use a target of type AverageValue, which needs no request.",
	Example: `spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests: {cpu: 250m, memory: 256Mi}`,
	Target: check.Kinds("HorizontalPodAutoscaler.autoscaling", "ScaledObject.keda.sh"),
	Cross:  true,
	Run: func(p *check.Pass) {
		o := p.Object
		var ref hpaRef
		var metrics []resourceMetric
		if o.Kind == "ScaledObject" {
			var ok bool
			if ref, metrics, ok = kedaUtilization(o); !ok {
				return
			}
		} else {
			var ok bool
			if ref, ok = hpaRefOf(o); !ok {
				return
			}
			metrics = utilizationMetrics(o)
		}
		if len(metrics) == 0 {
			return
		}
		target := p.Graph.Get(ref.group(), ref.Kind, o.Namespace, ref.Name)
		if target == nil || target.PodTemplate() == nil || target.PodTemplate().Spec == nil {
			return
		}
		spec := target.PodTemplate().Spec
		tname := target.Kind + "/" + target.Name
		who := "the HPA"
		if o.Kind == "ScaledObject" {
			who = "the ScaledObject"
		}
		for _, m := range metrics {
			what := fmt.Sprintf("%s utilization", m.Resource)
			if m.Default {
				what = fmt.Sprintf("%s utilization (the default metric, at 80%%)", m.Resource)
			}
			missing, found := missingRequests(spec, m.Resource, m.Container)
			if found && len(missing) > 0 && limitRangeDefault(p.Graph, o.Namespace, m.Resource) {
				continue // the LimitRanger gives the containers a request
			}
			switch {
			case !found:
				p.Report(m.Path, "%s scales on %s of container %q, which %s does not have: it cannot compute the metric and does not scale; name one of its containers", who, what, m.Container, tname)
			case len(missing) > 0 && m.Container == "" && podLevelRequests(spec):
				p.Report(m.Path, "%s scales on %s, but neither the pod-level resources nor any container of %s request %s: it cannot compute utilization and does not scale; set spec.template.spec.resources.requests.%s",
					who, what, tname, m.Resource, m.Resource)
			case len(missing) > 0:
				note := ""
				if m.Container != "" && podLevelRequests(spec) {
					note = " (a container metric reads the container's own request, not the pod-level one)"
				}
				p.Report(m.Path, "%s scales on %s, but %s of %s %s no %s request, no %s limit it would default to, and no LimitRange default in namespace %s%s: it cannot compute utilization and does not scale; set resources.requests.%s, or use a target of type AverageValue",
					who, what, containerList(missing), tname, hasHave(len(missing)), m.Resource, m.Resource, o.Namespace, note, m.Resource)
			}
		}
	},
}

// limitRangeDefault reports whether a LimitRange of the namespace in the
// input gives containers without a request for r one: the LimitRanger
// admission plugin sets it from a Container item's defaultRequest, and the
// API defaults defaultRequest from default (itself defaulted from max), or
// else from min. Any of the four for r is enough. A LimitRange only the
// cluster holds is unknown: the finding's message mentions it.
func limitRangeDefault(g *graph.Graph, ns string, r corev1.ResourceName) bool {
	for _, o := range g.InNamespace("", "LimitRange", ns) {
		lr, ok := o.Typed().(*corev1.LimitRange)
		if !ok {
			continue
		}
		for _, it := range lr.Spec.Limits {
			if it.Type != corev1.LimitTypeContainer {
				continue
			}
			for _, l := range []corev1.ResourceList{it.DefaultRequest, it.Default, it.Max, it.Min} {
				if _, ok := l[r]; ok {
					return true
				}
			}
		}
	}
	return false
}

// missingRequests returns the containers whose request for r the HPA
// needs and does not find, as the HPA controller looks them up
// (pkg/controller/podautoscaler, calculateRequests): for a named container,
// that container among the regular and restartable init containers
// (found is false if there is none); otherwise, when the pod sets
// pod-level requests, the pod's requests (pod-level over the containers'
// aggregate); otherwise every regular and restartable init container. A
// container or pod-level request defaults to its limit.
func missingRequests(spec *corev1.PodSpec, r corev1.ResourceName, container string) (missing []string, found bool) {
	covered := make([]*corev1.Container, 0, len(spec.Containers)+len(spec.InitContainers))
	for i := range spec.Containers {
		covered = append(covered, &spec.Containers[i])
	}
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			covered = append(covered, c)
		}
	}
	if container != "" {
		for _, c := range covered {
			if c.Name == container {
				if requests(c.Resources.Requests, c.Resources.Limits, r) {
					return nil, true
				}
				return []string{c.Name}, true
			}
		}
		return nil, false
	}
	if podLevelRequests(spec) {
		if requests(spec.Resources.Requests, spec.Resources.Limits, r) {
			return nil, true
		}
		for _, c := range spec.Containers {
			if requests(c.Resources.Requests, c.Resources.Limits, r) {
				return nil, true
			}
		}
		for _, c := range spec.InitContainers {
			if requests(c.Resources.Requests, c.Resources.Limits, r) {
				return nil, true
			}
		}
		for _, c := range spec.Containers {
			missing = append(missing, c.Name)
		}
		return missing, true
	}
	for _, c := range covered {
		if !requests(c.Resources.Requests, c.Resources.Limits, r) {
			missing = append(missing, c.Name)
		}
	}
	return missing, true
}

// requests reports whether a request for r is set or defaults from a limit.
func requests(req, lim corev1.ResourceList, r corev1.ResourceName) bool {
	if _, ok := req[r]; ok {
		return true
	}
	_, ok := lim[r]
	return ok
}

// podLevelRequests reports whether the pod sets pod-level requests of a
// resource that pod-level resources support (cpu, memory, hugepages),
// after the API's defaulting of pod-level requests from pod-level limits.
func podLevelRequests(spec *corev1.PodSpec) bool {
	if spec.Resources == nil {
		return false
	}
	for _, l := range []corev1.ResourceList{spec.Resources.Requests, spec.Resources.Limits} {
		for name := range l {
			if name == corev1.ResourceCPU || name == corev1.ResourceMemory || strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix) {
				return true
			}
		}
	}
	return false
}

func containerList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) == 1 {
		return "container " + q[0]
	}
	return "containers " + strings.Join(q, ", ")
}

func hasHave(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}
