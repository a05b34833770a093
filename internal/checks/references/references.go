// Package references holds the checks of dangling references: a pod
// template that names a ServiceAccount, ConfigMap, Secret or
// PersistentVolumeClaim its namespace does not define, and a claim that
// names a StorageClass the cluster does not have (spec rule STO-03). They
// look across objects, and speak only about namespaces (and kinds) the
// input claims: a ConfigMap missing from an input that holds no ConfigMap
// of that namespace is assumed to be managed elsewhere.
package references

import (
	"strconv"
	"strings"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the references domain's list, in catalog order.
var Checks = []*check.Check{
	ServiceAccountMissing,
	ConfigMapMissing,
	SecretMissing,
	PVCMissing,
	StorageClassMissing,
}

// ServiceAccountMissing reports pods that run as a ServiceAccount their
// namespace does not define.
var ServiceAccountMissing = &check.Check{
	ID:       "service-account-missing",
	Title:    "Pod runs as a ServiceAccount the input does not define",
	Severity: check.Error,
	Why: "The API server refuses to create a pod whose ServiceAccount does not exist: the Deployment, StatefulSet or Job then " +
		"creates no pod at all, and the error shows only in the events of its ReplicaSet or Job. " +
		"The check runs only for namespaces where the input defines ServiceAccounts (it then owns them); the default ServiceAccount always exists.",
	Fix: "Add the ServiceAccount to the manifests of that namespace, or correct spec.serviceAccountName.",
	Example: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: orders
  namespace: shop
---
# in the Deployment
spec:
  template:
    spec:
      serviceAccountName: orders`,
	Target: check.PodSpecs,
	Cross:  true,
	Run: func(p *check.Pass) {
		name, path, named := ServiceAccountName(p.Object.PodTemplate())
		ns := p.Object.Namespace
		if !named || name == "default" || p.Graph.Get("", "ServiceAccount", ns, name) != nil {
			return
		}
		sas := p.Graph.InNamespace("", "ServiceAccount", ns)
		if len(sas) == 0 {
			return
		}
		p.Report(path, "ServiceAccount %q is not defined in namespace %s, where the input defines %s: the API server will refuse to create the pods; add it or fix the name",
			name, ns, describeObjects(sas))
	},
}

// ConfigMapMissing reports references to ConfigMaps that the namespace
// does not define.
var ConfigMapMissing = &check.Check{
	ID:       "config-map-missing",
	Title:    "Pod refers to a ConfigMap the input does not define",
	Severity: check.Error,
	Why: "A pod whose volume, env valueFrom or envFrom names a missing ConfigMap does not start: " +
		"it stays in ContainerCreating (volumes) or CreateContainerConfigError (environment) until the ConfigMap appears. " +
		"References marked optional: true are quiet. The check runs only for namespaces where the input defines ConfigMaps; " +
		"kube-root-ca.crt, which Kubernetes publishes in every namespace, always exists.",
	Fix: "Add the ConfigMap to the manifests of that namespace, correct the name, or mark the reference optional: true if the pod can run without it.",
	Example: `envFrom:
  - configMapRef:
      name: orders-config
      optional: true`,
	Target: check.PodSpecs,
	Cross:  true,
	Run:    func(p *check.Pass) { dangling(p, ConfigMap) },
}

// SecretMissing reports references to Secrets that the namespace does not
// define.
var SecretMissing = &check.Check{
	ID:       "secret-missing",
	Title:    "Pod refers to a Secret the input does not define",
	Severity: check.Error,
	Why: "A pod whose volume, env valueFrom or envFrom names a missing Secret does not start: " +
		"it stays in ContainerCreating (volumes) or CreateContainerConfigError (environment). A missing image pull secret makes the " +
		"kubelet pull without credentials, which fails for a private registry. References marked optional: true are quiet. " +
		"The check runs only for namespaces where the input defines Secrets, and counts the Secrets that objects of the input create: " +
		"SealedSecrets (same name), cert-manager Certificates (spec.secretName), ExternalSecrets (spec.target.name) and SecretProviderClasses (spec.secretObjects).",
	Fix: "Add the Secret to the manifests of that namespace, or the object that creates it; correct the name; or mark the reference optional: true if the pod can run without it.",
	Example: `env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: orders-db
        key: password`,
	Target: check.PodSpecs,
	Cross:  true,
	Run:    func(p *check.Pass) { dangling(p, Secret) },
}

// PVCMissing reports volumes that claim a PersistentVolumeClaim the
// namespace does not define.
var PVCMissing = &check.Check{
	ID:       "pvc-missing",
	Title:    "Pod mounts a PersistentVolumeClaim the input does not define",
	Severity: check.Error,
	Why: "A pod whose volume names a missing PersistentVolumeClaim stays Pending, unschedulable, until the claim exists. " +
		"The check runs only for namespaces where the input defines claims. Claims that a StatefulSet creates from its " +
		"volumeClaimTemplates (<template>-<statefulset>-<ordinal>) count, and so do a StatefulSet's own volumes named after a template.",
	Fix: "Add the PersistentVolumeClaim to the manifests of that namespace, correct claimName, or give a StatefulSet a volumeClaimTemplate.",
	Example: `volumes:
  - name: data
    persistentVolumeClaim:
      claimName: orders-data`,
	Target: check.PodSpecs,
	Cross:  true,
	Run:    func(p *check.Pass) { dangling(p, Claim) },
}

// dangling reports the references of p's pod template to objects of kind
// that its namespace does not define.
func dangling(p *check.Pass, kind string) {
	o := p.Object
	ns := o.Namespace
	declared := len(p.Graph.InNamespace("", kind, ns)) > 0
	var templates map[string]bool
	if kind == Claim {
		for _, t := range ClaimTemplates(o) {
			if templates == nil {
				templates = map[string]bool{}
			}
			templates[t.Name] = true
		}
	}
	for _, r := range PodRefs(o.PodTemplate()) {
		if r.Kind != kind || r.Optional || p.Graph.Get("", kind, ns, r.Name) != nil {
			continue
		}
		if !declared || exists(p.Graph, kind, ns, r.Name) || templates[r.Volume] && r.Volume != "" {
			continue
		}
		fix := "add it or fix the name"
		if kind != Claim && r.From != "imagePullSecrets" {
			fix = "add it, fix the name, or mark the reference optional: true"
		}
		p.Report(r.Path, "%s names %s %q, which namespace %s does not define (the input defines %s): %s; %s",
			r.From, kind, r.Name, ns, describeObjects(p.Graph.InNamespace("", kind, ns)), consequence(kind, r), fix)
	}
}

// exists reports whether the object ns/name of kind exists although the
// input does not define it.
func exists(g *graph.Graph, kind, ns, name string) bool {
	switch kind {
	case ConfigMap:
		return name == rootCAConfigMap
	case Secret:
		_, ok := madeSecret(g, ns, name)
		return ok
	case Claim:
		_, ok := statefulSetClaim(g, ns, name)
		return ok
	}
	return false
}

func consequence(kind string, r Ref) string {
	switch {
	case kind == Claim:
		return "the pod stays Pending"
	case r.From == "imagePullSecrets":
		return "the kubelet pulls without credentials, which fails for a private registry"
	case r.Volume != "":
		return "the pod stays in ContainerCreating"
	}
	return "the container fails with CreateContainerConfigError"
}

// describeObjects names up to three objects: `"a", "b" and 2 more`.
func describeObjects(objs []*manifest.Object) string {
	const max = 3
	var names []string
	for i, o := range objs {
		if i == max {
			break
		}
		names = append(names, strconv.Quote(o.Name))
	}
	s := strings.Join(names, ", ")
	if n := len(objs) - max; n > 0 {
		s += " and " + strconv.Itoa(n) + " more"
	}
	return s
}
