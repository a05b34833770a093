package workload

import (
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// DefaultNamespace reports workloads in, or possibly in, the default
// namespace.
var DefaultNamespace = &check.Check{
	ID:       "default-namespace",
	Title:    "Workload runs in the default namespace",
	Severity: check.Warning,
	Refs:     []string{"WL-09"},
	Why: "The default namespace is shared by everything that names no namespace, so quotas, limit ranges, network policies and RBAC " +
		"cannot be scoped to one application there. A manifest that omits metadata.namespace lands in whatever namespace " +
		"kubectl's context or -n flag gives at apply time, often default.",
	Fix: "Set metadata.namespace to the application's own namespace.",
	Example: `metadata:
  name: web
  namespace: shop`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		o := p.Object
		switch {
		case o.NamespaceDefaulted:
			p.Report(manifest.NewPath("metadata", "namespace"), "%s names no namespace: it lands in the namespace kubectl is given at apply time, often default; set metadata.namespace", kindName(o))
		case o.Namespace == metav1.NamespaceDefault:
			p.Report(manifest.NewPath("metadata", "namespace"), "%s is in the default namespace, where quotas, policies and RBAC cannot be scoped to it; move it to a namespace of its own", kindName(o))
		}
	},
}

// nameLabel is the recommended label that names the application.
const nameLabel = "app.kubernetes.io/name"

// ownMeta reports whether the pod template's metadata is the object's own
// (a Pod), to check it once.
func ownMeta(o *manifest.Object) bool {
	_, ok := o.Typed().(*corev1.Pod)
	return ok
}

// RecommendedLabels reports workloads and pod templates without the
// app.kubernetes.io/name label.
var RecommendedLabels = &check.Check{
	ID:       "recommended-labels",
	Title:    "Workload or pod template lacks the app.kubernetes.io/name label",
	Severity: check.Warning,
	Refs:     []string{"WL-10"},
	Why: "app.kubernetes.io/name is the recommended label that names the application. Dashboards, cost reports, " +
		"kubectl selectors and policies group objects and pods by it; without it on the workload and on its pod template, " +
		"they cannot tell which application a pod belongs to. The rest of the recommended set is app.kubernetes.io/instance, " +
		"version, component, part-of and managed-by.",
	Fix: "Add app.kubernetes.io/name to metadata.labels of the workload and of its pod template.",
	Example: `metadata:
  labels:
    app.kubernetes.io/name: web
spec:
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		o := p.Object
		pt := o.PodTemplate()
		if v, ok := o.Labels[nameLabel]; !ok {
			p.Report(manifest.NewPath("metadata", "labels"), "%s has no %s label; add it to metadata.labels", kindName(o), nameLabel)
		} else if v == "" {
			p.Report(manifest.NewPath("metadata", "labels", nameLabel), "%s has an empty %s label; give it the application's name", kindName(o), nameLabel)
		}
		if ownMeta(o) {
			return
		}
		if v, ok := pt.Meta.Labels[nameLabel]; !ok {
			p.Report(pt.MetaPath.Child("labels"), "the pod template of %s has no %s label, so its pods have none; add it to %s", kindName(o), nameLabel, pt.MetaPath.Child("labels"))
		} else if v == "" {
			p.Report(pt.MetaPath.Child("labels", nameLabel), "the pod template of %s has an empty %s label; give it the application's name", kindName(o), nameLabel)
		}
	},
}

// RequiredLabels reports objects without the label keys the configuration
// requires.
var RequiredLabels = &check.Check{
	ID:       "required-labels",
	Title:    "Object lacks a required label",
	Severity: check.Error,
	Refs:     []string{"WL-10"},
	Why: "Platforms often require labels (owner, cost centre, application) on every object and deny pods without them, " +
		"as the Azure Policy \"Kubernetes cluster pods should use specified labels\" does. An object without them is rejected " +
		"or cannot be attributed. Pod templates are checked too, since their labels are the pods' labels.",
	Fix: "Add the required labels to metadata.labels, and to the pod template's metadata.labels for workloads.",
	Example: `# .kubevet.yaml
checks:
  required-labels:
    enabled: true
    labels: [app.kubernetes.io/name, owner]`,
	Target:   check.AllObjects,
	Disabled: true,
	Options: []check.Option{{
		Name:    "labels",
		Kind:    check.StringList,
		Default: []string{},
		Doc:     "Label keys every object, and every pod template, must carry. The check reports nothing while the list is empty.",
	}},
	Run: func(p *check.Pass) {
		keys := p.Options.Strings("labels")
		if len(keys) == 0 {
			return
		}
		o := p.Object
		if missing, n := missingLabels(o.Labels, keys); n > 0 {
			p.Report(manifest.NewPath("metadata", "labels"), "%s lacks the required %s %s; add %s to metadata.labels", kindName(o), plural(n, "label"), missing, plural(n, "it"))
		}
		pt := o.PodTemplate()
		if pt == nil || ownMeta(o) {
			return
		}
		if missing, n := missingLabels(pt.Meta.Labels, keys); n > 0 {
			path := pt.MetaPath.Child("labels")
			p.Report(path, "the pod template of %s lacks the required %s %s, so its pods are denied where policy requires them; add %s to %s", kindName(o), plural(n, "label"), missing, plural(n, "it"), path)
		}
	},
}

// missingLabels returns the keys absent from labels, quoted and joined, and
// how many there are; it allocates nothing when none is missing.
func missingLabels(labels map[string]string, keys []string) (string, int) {
	var b strings.Builder
	n := 0
	for _, k := range keys {
		if _, ok := labels[k]; ok {
			continue
		}
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(k))
		n++
	}
	return b.String(), n
}

// plural returns the plural of word ("label", "it") when n is not 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	if word == "it" {
		return "them"
	}
	return word + "s"
}

// NakedPod reports Pods written directly in manifests.
var NakedPod = &check.Check{
	ID:       "naked-pod",
	Title:    "Pod is not managed by a controller",
	Severity: check.Warning,
	Refs:     []string{"WL-11"},
	Why: "A Pod created on its own is not recreated when its node fails, is drained for an upgrade or runs short of resources, " +
		"and it cannot be scaled or rolled out. Pods owned by a controller (metadata.ownerReferences) and Helm test hooks are not reported.",
	Fix: "Run the pod from a Deployment (or a StatefulSet or DaemonSet), or from a Job if it runs to completion.",
	Example: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      containers:
      - name: app
        image: nginx:1.27`,
	Target: check.Kinds("Pod"),
	Run: func(p *check.Pass) {
		pod, ok := p.Object.Typed().(*corev1.Pod)
		if !ok || metav1.GetControllerOfNoCopy(pod) != nil || helmTest(pod.Annotations["helm.sh/hook"]) {
			return
		}
		if rp := pod.Spec.RestartPolicy; rp == corev1.RestartPolicyNever || rp == corev1.RestartPolicyOnFailure {
			p.Report(manifest.NewPath("kind"), "Pod %q is created directly: nothing runs it again if its node fails; run it from a Job", pod.Name)
			return
		}
		p.Report(manifest.NewPath("kind"), "Pod %q is created directly: nothing recreates it when its node fails or is drained; run it from a Deployment", pod.Name)
	},
}

// helmTest reports whether a helm.sh/hook annotation value makes the pod a
// Helm test, which Helm runs and deletes itself.
func helmTest(hooks string) bool {
	for h := range strings.SplitSeq(hooks, ",") {
		if strings.HasPrefix(strings.TrimSpace(h), "test") {
			return true
		}
	}
	return false
}
