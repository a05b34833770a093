package references

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	appsv1beta1 "k8s.io/api/apps/v1beta1"
	appsv1beta2 "k8s.io/api/apps/v1beta2"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Kinds of object a pod template refers to by name, in its own namespace.
const (
	ConfigMap = "ConfigMap"
	Secret    = "Secret"
	Claim     = "PersistentVolumeClaim"
)

// Ref is one reference of a pod template to an object of its namespace.
type Ref struct {
	Kind string
	Name string
	// Path is the field that names the object.
	Path manifest.Path
	// Optional references (optional: true) let the pod start without the
	// object.
	Optional bool
	// Volume is the name of the volume the reference is in, if any.
	Volume string
	// From says where the reference is, for messages.
	From string
}

// PodRefs returns the references of a pod template to ConfigMaps, Secrets
// and PersistentVolumeClaims: volumes (with projected sources),
// env valueFrom and envFrom of every container, and imagePullSecrets.
func PodRefs(pt *manifest.PodTemplate) []Ref {
	var out []Ref
	add := func(r Ref) {
		if r.Name != "" {
			out = append(out, r)
		}
	}
	spec := pt.Spec
	vols := pt.SpecPath.Child("volumes")
	for i := range spec.Volumes {
		v := &spec.Volumes[i]
		vp := vols.Index(i)
		from := fmt.Sprintf("volume %q", v.Name)
		vol := func(r Ref) { r.Volume, r.From = v.Name, from; add(r) }
		switch {
		case v.ConfigMap != nil:
			base := vp.Child("configMap")
			opt := isTrue(v.ConfigMap.Optional)
			vol(Ref{Kind: ConfigMap, Name: v.ConfigMap.Name, Path: base.Child("name"), Optional: opt})
		case v.Secret != nil:
			base := vp.Child("secret")
			opt := isTrue(v.Secret.Optional)
			vol(Ref{Kind: Secret, Name: v.Secret.SecretName, Path: base.Child("secretName"), Optional: opt})
		case v.PersistentVolumeClaim != nil:
			vol(Ref{Kind: Claim, Name: v.PersistentVolumeClaim.ClaimName, Path: vp.Child("persistentVolumeClaim", "claimName")})
		case v.Projected != nil:
			srcs := vp.Child("projected", "sources")
			for j, s := range v.Projected.Sources {
				switch {
				case s.ConfigMap != nil:
					base := srcs.Index(j).Child("configMap")
					opt := isTrue(s.ConfigMap.Optional)
					vol(Ref{Kind: ConfigMap, Name: s.ConfigMap.Name, Path: base.Child("name"), Optional: opt})
				case s.Secret != nil:
					base := srcs.Index(j).Child("secret")
					opt := isTrue(s.Secret.Optional)
					vol(Ref{Kind: Secret, Name: s.Secret.Name, Path: base.Child("name"), Optional: opt})
				}
			}
		case v.AzureFile != nil:
			vol(Ref{Kind: Secret, Name: v.AzureFile.SecretName, Path: vp.Child("azureFile", "secretName")})
		case v.CSI != nil && v.CSI.NodePublishSecretRef != nil:
			vol(Ref{Kind: Secret, Name: v.CSI.NodePublishSecretRef.Name, Path: vp.Child("csi", "nodePublishSecretRef", "name")})
		}
	}
	for _, c := range pt.Containers() {
		for k, e := range c.C.EnvFrom {
			ep := c.Path.Child("envFrom").Index(k)
			from := fmt.Sprintf("envFrom of %s", c.Describe())
			if e.ConfigMapRef != nil {
				add(Ref{Kind: ConfigMap, Name: e.ConfigMapRef.Name, Path: ep.Child("configMapRef", "name"), Optional: isTrue(e.ConfigMapRef.Optional), From: from})
			}
			if e.SecretRef != nil {
				add(Ref{Kind: Secret, Name: e.SecretRef.Name, Path: ep.Child("secretRef", "name"), Optional: isTrue(e.SecretRef.Optional), From: from})
			}
		}
		for k, e := range c.C.Env {
			if e.ValueFrom == nil {
				continue
			}
			vp := c.Path.Child("env").Index(k).Child("valueFrom")
			from := fmt.Sprintf("env %s of %s", e.Name, c.Describe())
			if r := e.ValueFrom.ConfigMapKeyRef; r != nil {
				base := vp.Child("configMapKeyRef")
				add(Ref{Kind: ConfigMap, Name: r.Name, Path: base.Child("name"), Optional: isTrue(r.Optional), From: from})
			}
			if r := e.ValueFrom.SecretKeyRef; r != nil {
				base := vp.Child("secretKeyRef")
				add(Ref{Kind: Secret, Name: r.Name, Path: base.Child("name"), Optional: isTrue(r.Optional), From: from})
			}
		}
	}
	ips := pt.SpecPath.Child("imagePullSecrets")
	for i, s := range spec.ImagePullSecrets {
		add(Ref{Kind: Secret, Name: s.Name, Path: ips.Index(i).Child("name"), From: "imagePullSecrets"})
	}
	return out
}

func isTrue(b *bool) bool { return b != nil && *b }

// ServiceAccountName returns the ServiceAccount a pod runs as ("default"
// when none is named; the deprecated serviceAccount field counts when
// serviceAccountName is empty, as the API server defaults one from the
// other), the field that names it (spec.serviceAccountName when none
// does), and whether the pod names it.
func ServiceAccountName(pt *manifest.PodTemplate) (string, manifest.Path, bool) {
	switch {
	case pt.Spec.ServiceAccountName != "":
		return pt.Spec.ServiceAccountName, pt.SpecPath.Child("serviceAccountName"), true
	case pt.Spec.DeprecatedServiceAccount != "":
		return pt.Spec.DeprecatedServiceAccount, pt.SpecPath.Child("serviceAccount"), true
	}
	return "default", pt.SpecPath.Child("serviceAccountName"), false
}

// ClaimTemplates returns a StatefulSet's volumeClaimTemplates.
func ClaimTemplates(o *manifest.Object) []corev1.PersistentVolumeClaim {
	switch t := o.Typed().(type) {
	case *appsv1.StatefulSet:
		return t.Spec.VolumeClaimTemplates
	case *appsv1beta2.StatefulSet:
		return t.Spec.VolumeClaimTemplates
	case *appsv1beta1.StatefulSet:
		return t.Spec.VolumeClaimTemplates
	}
	return nil
}

// statefulSetClaim reports whether a claim name is one a StatefulSet of the
// namespace creates from its volumeClaimTemplates:
// <template>-<statefulset>-<ordinal>.
func statefulSetClaim(g *graph.Graph, ns, name string) (*manifest.Object, bool) {
	for _, s := range g.InNamespace("apps", "StatefulSet", ns) {
		for _, t := range ClaimTemplates(s) {
			rest, ok := strings.CutPrefix(name, t.Name+"-"+s.Name+"-")
			if ok && allDigits(rest) {
				return s, true
			}
		}
	}
	return nil, false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// madeSecret reports whether an object of the input other than a Secret
// creates the Secret ns/name, and names it: a SealedSecret (its controller
// unseals it to a Secret of the same name), a cert-manager Certificate
// (spec.secretName), an ExternalSecret (spec.target.name, by default its
// own name) or a SecretProviderClass of the Secrets Store CSI driver
// (spec.secretObjects[].secretName). An object of those kinds whose spec
// cannot be read counts as making any name in its namespace.
func madeSecret(g *graph.Graph, ns, name string) (string, bool) {
	m := g.Memo(madeKey{}, buildMade).(made)
	if by, ok := m.names[graph.Key{Namespace: ns, Name: name}]; ok {
		return by, true
	}
	by, ok := m.any[ns]
	return by, ok
}

type madeKey struct{}

// made indexes the Secrets that objects of the input create, once per
// graph: by namespace and name, and the namespaces where an unreadable
// object may create any.
type made struct {
	names map[graph.Key]string
	any   map[string]string
}

func buildMade(g *graph.Graph) any {
	m := made{names: map[graph.Key]string{}, any: map[string]string{}}
	for _, o := range g.Kind("bitnami.com", "SealedSecret") {
		m.names[graph.Key{Namespace: o.Namespace, Name: o.Name}] = "SealedSecret/" + o.Name
	}
	for _, mk := range secretMakers {
		for _, o := range g.Kind(mk.group, mk.kind) {
			by := mk.kind + "/" + o.Name
			u, err := o.Unstructured()
			if err != nil {
				m.any[o.Namespace] = by
				continue
			}
			spec, _ := u["spec"].(map[string]any)
			for _, n := range mk.names(spec, o.Name) {
				m.names[graph.Key{Namespace: o.Namespace, Name: n}] = by
			}
		}
	}
	return m
}

// secretMakers are the kinds that create Secrets under names of their spec.
var secretMakers = []struct {
	group, kind string
	names       func(spec map[string]any, own string) []string
}{
	{"cert-manager.io", "Certificate", func(spec map[string]any, _ string) []string {
		n, _ := spec["secretName"].(string)
		return []string{n}
	}},
	{"external-secrets.io", "ExternalSecret", func(spec map[string]any, own string) []string {
		target, _ := spec["target"].(map[string]any)
		if n, _ := target["name"].(string); n != "" {
			return []string{n}
		}
		return []string{own}
	}},
	{"secrets-store.csi.x-k8s.io", "SecretProviderClass", func(spec map[string]any, _ string) []string {
		objs, _ := spec["secretObjects"].([]any)
		var out []string
		for _, o := range objs {
			m, _ := o.(map[string]any)
			if n, _ := m["secretName"].(string); n != "" {
				out = append(out, n)
			}
		}
		return out
	}},
}

// rootCAConfigMap is the ConfigMap Kubernetes publishes in every namespace
// (the cluster's CA bundle, used by projected service account volumes).
const rootCAConfigMap = "kube-root-ca.crt"
