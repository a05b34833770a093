package identity

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/image"
	"github.com/kubevet/kubevet/internal/checks/references"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Azure Workload Identity's pod label and ServiceAccount annotation. The
// webhook's objectSelector matches the label value "true" exactly.
const (
	useLabel           = "azure.workload.identity/use"
	clientIDAnnotation = "azure.workload.identity/client-id"
	clientIDEnv        = "AZURE_CLIENT_ID"
)

// serviceAccount returns the ServiceAccount the pod runs as, from the
// input (same namespace; "default" when the pod names none), or nil.
func serviceAccount(p *check.Pass) (sa *manifest.Object, name string, path manifest.Path, named bool) {
	name, path, named = references.ServiceAccountName(p.Object.PodTemplate())
	return p.Graph.Get("", "ServiceAccount", p.Object.Namespace, name), name, path, named
}

// labelPath is where the pod template's use label is, or would go.
func labelPath(pt *manifest.PodTemplate) manifest.Path {
	if _, ok := pt.Meta.Labels[useLabel]; ok {
		return pt.MetaPath.Child("labels", useLabel)
	}
	if pt.Meta.Labels != nil {
		return pt.MetaPath.Child("labels")
	}
	return pt.MetaPath
}

// WorkloadIdentityLabelMissing reports pods whose ServiceAccount is set up
// for workload identity but that lack the label the webhook selects.
var WorkloadIdentityLabelMissing = &check.Check{
	ID:       "workload-identity-label-missing",
	Title:    "Pod runs as a workload identity ServiceAccount without the azure.workload.identity/use label",
	Severity: check.Error,
	Refs:     []string{"IAM-08"},
	Why: "The Azure Workload Identity webhook mutates only pods labelled azure.workload.identity/use: \"true\" (the AKS documentation marks the label " +
		"required): without it the pod gets no projected token and no AZURE_CLIENT_ID, AZURE_TENANT_ID or AZURE_FEDERATED_TOKEN_FILE, and " +
		"the Azure SDK fails to authenticate although its ServiceAccount carries azure.workload.identity/client-id. " +
		"The check looks up the pod's ServiceAccount (default when none is named) in the pod's namespace in the input. " +
		"The label is on the pod template, not on the ServiceAccount or the Deployment, and its value must be the string \"true\".",
	Fix: "Add the label azure.workload.identity/use: \"true\" to the pod template's metadata.labels.",
	Example: `spec:
  template:
    metadata:
      labels:
        azure.workload.identity/use: "true"
    spec:
      serviceAccountName: orders`,
	Target: check.PodSpecs,
	Cross:  true,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		sa, name, _, _ := serviceAccount(p)
		if sa == nil || sa.Annotations[clientIDAnnotation] == "" {
			return
		}
		v, ok := pt.Meta.Labels[useLabel]
		switch {
		case v == "true":
			return
		case ok:
			p.Report(labelPath(pt), "label %s is %q, but the workload identity webhook selects only \"true\": ServiceAccount %q has client ID %s, yet the pod gets no Azure token; set the label to \"true\"",
				useLabel, v, name, sa.Annotations[clientIDAnnotation])
		default:
			p.Report(labelPath(pt), "the pod runs as ServiceAccount %q, which has %s %s, but the pod template lacks the label %s: \"true\", so the webhook injects no Azure token; add the label",
				name, clientIDAnnotation, sa.Annotations[clientIDAnnotation], useLabel)
		}
	},
}

// WorkloadIdentitySAMissing reports pods labelled for workload identity
// whose ServiceAccount has no client ID.
var WorkloadIdentitySAMissing = &check.Check{
	ID:       "workload-identity-sa-missing",
	Title:    "Pod labelled for workload identity runs as a ServiceAccount without a client ID",
	Severity: check.Warning,
	Refs:     []string{"IAM-08"},
	Why: "The Azure Workload Identity webhook takes the managed identity's client ID from the azure.workload.identity/client-id annotation of the pod's " +
		"ServiceAccount. A pod labelled azure.workload.identity/use: \"true\" whose ServiceAccount lacks it gets a token but no AZURE_CLIENT_ID, " +
		"and the Azure SDK cannot tell which identity to sign in as. The check looks up the ServiceAccount (default when none is named) in the " +
		"pod's namespace; when the input has ServiceAccounts in that namespace but not that one, it reports the ServiceAccount missing. " +
		"Pods whose containers all set AZURE_CLIENT_ID themselves are not reported (the webhook does not override it).",
	Fix: "Annotate the ServiceAccount with azure.workload.identity/client-id: <the managed identity's client ID>, and run the pod as that ServiceAccount.",
	Example: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: orders
  namespace: shop
  annotations:
    azure.workload.identity/client-id: 6e1f2b7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b`,
	Target: check.PodSpecs,
	Cross:  true,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		if pt.Meta.Labels[useLabel] != "true" || setsClientID(pt) {
			return
		}
		sa, name, path, named := serviceAccount(p)
		if !named {
			path = labelPath(pt)
		}
		ns := p.Object.Namespace
		switch {
		case sa != nil:
			if sa.Annotations[clientIDAnnotation] != "" {
				return
			}
			p.Report(path, "the pod is labelled %s: \"true\" but its ServiceAccount %q has no %s annotation, so the webhook injects no AZURE_CLIENT_ID; annotate the ServiceAccount with the managed identity's client ID",
				useLabel, name, clientIDAnnotation)
		case len(p.Graph.InNamespace("", "ServiceAccount", ns)) == 0:
			return
		case name == "default":
			p.Report(path, "the pod is labelled %s: \"true\" but runs as the default ServiceAccount of namespace %s, which has no %s annotation; set serviceAccountName to an annotated ServiceAccount",
				useLabel, ns, clientIDAnnotation)
		default:
			p.Report(path, "the pod is labelled %s: \"true\" but its ServiceAccount %q is not defined in namespace %s (the input defines other ServiceAccounts there); add it with the %s annotation",
				useLabel, name, ns, clientIDAnnotation)
		}
	},
}

// setsClientID reports whether every init and regular container sets
// AZURE_CLIENT_ID itself.
func setsClientID(pt *manifest.PodTemplate) bool {
	n := 0
	for _, c := range pt.Containers() {
		if c.Kind == check.Ephemeral {
			continue
		}
		n++
		found := false
		for _, e := range c.C.Env {
			found = found || e.Name == clientIDEnv
		}
		if !found {
			return false
		}
	}
	return n > 0
}

// acrSuffixes are the login server domains of Azure Container Registry in
// the public, China and US Government clouds.
var acrSuffixes = []string{".azurecr.io", ".azurecr.cn", ".azurecr.us"}

func isACR(host string) bool {
	for _, s := range acrSuffixes {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

// ACRPullSecret reports pull secrets used for images of Azure Container
// Registry.
var ACRPullSecret = &check.Check{
	ID:       "acr-pull-secret",
	Title:    "Pod pulls from Azure Container Registry with a pull secret",
	Severity: check.Warning,
	Refs:     []string{"IAM-10"},
	Why: "An AKS cluster attached to a registry (az aks update --attach-acr) pulls from it with the kubelet's managed identity, which holds AcrPull: " +
		"no password is stored in the cluster. A pull secret for ACR holds an admin password, a token or a service principal secret that " +
		"must be rotated and can leak from any namespace that holds it. " +
		"The check reads the pod's imagePullSecrets, or when the pod names none, those of its ServiceAccount (the API server copies them into the pod). " +
		"When the Secret is in the input, the check reads the registry hosts of its .dockerconfigjson or .dockercfg (never the credentials) " +
		"and stays quiet if none is an ACR.",
	Fix: "Attach the registry to the cluster (az aks update --attach-acr <registry>, or an AcrPull role assignment for the kubelet identity), " +
		"then remove the imagePullSecrets entry and the Secret.",
	Example: `spec:
  containers:
    - name: app
      image: myacr.azurecr.io/orders:1.4.2
  # no imagePullSecrets: the kubelet identity has AcrPull on myacr`,
	Target: check.PodSpecs,
	Cross:  true,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		var acr []string
		for _, c := range pt.Containers() {
			if h, ok := image.RegistryHost(c.C.Image); ok && isACR(h) {
				acr = append(acr, h)
			}
		}
		if len(acr) == 0 {
			return
		}
		acr = unique(acr)
		images := "images from " + describeList(acr)
		refs := pt.Spec.ImagePullSecrets
		paths := make([]manifest.Path, len(refs))
		for i := range refs {
			paths[i] = pt.SpecPath.Child("imagePullSecrets").Index(i)
		}
		via := ""
		if len(refs) == 0 {
			sa, name, path, _ := serviceAccount(p)
			t, ok := saOf(sa)
			if !ok || len(t.ImagePullSecrets) == 0 {
				return
			}
			refs = t.ImagePullSecrets
			paths = make([]manifest.Path, len(refs))
			for i := range refs {
				paths[i] = path
			}
			via = " of its ServiceAccount " + strconv.Quote(name)
		}
		for i, r := range refs {
			if r.Name == "" {
				continue
			}
			held := ""
			if s := p.Graph.Get("", "Secret", p.Object.Namespace, r.Name); s != nil {
				if hosts, ok := registryHosts(s); ok {
					var a []string
					for _, h := range hosts {
						if isACR(h) {
							a = append(a, h)
						}
					}
					if len(a) == 0 {
						continue // a secret for another registry
					}
					held = " (it holds credentials for " + describeList(a) + ")"
				}
			}
			p.Report(paths[i], "the pod pulls %s with pull secret %q%s%s: attach the registry to the cluster so that the kubelet identity pulls with AcrPull, and remove the secret",
				images, r.Name, via, held)
		}
	},
}

func saOf(o *manifest.Object) (*corev1.ServiceAccount, bool) {
	if o == nil {
		return nil, false
	}
	t, ok := o.Typed().(*corev1.ServiceAccount)
	return t, ok
}

// registryHosts returns the registry hosts a docker config Secret holds
// credentials for (lower case, without scheme, port or path), sorted. It
// reads only the keys of the auths map.
func registryHosts(o *manifest.Object) ([]string, bool) {
	s, ok := o.Typed().(*corev1.Secret)
	if !ok {
		return nil, false
	}
	var raw []byte
	var auths map[string]json.RawMessage
	switch s.Type {
	case corev1.SecretTypeDockerConfigJson:
		raw = secretValue(s, corev1.DockerConfigJsonKey)
		var cfg struct {
			Auths map[string]json.RawMessage `json:"auths"`
		}
		if json.Unmarshal(raw, &cfg) != nil {
			return nil, false
		}
		auths = cfg.Auths
	case corev1.SecretTypeDockercfg:
		raw = secretValue(s, corev1.DockerConfigKey)
		if json.Unmarshal(raw, &auths) != nil {
			return nil, false
		}
	default:
		return nil, false
	}
	var hosts []string
	for k := range auths {
		h := strings.ToLower(k)
		if _, rest, ok := strings.Cut(h, "://"); ok {
			h = rest
		}
		h, _, _ = strings.Cut(h, "/")
		if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
			h = h[:i]
		}
		if h != "" {
			hosts = append(hosts, h)
		}
	}
	return unique(hosts), true
}

// secretValue returns a key of a Secret, from stringData (which the API
// server merges over data) or data.
func secretValue(s *corev1.Secret, key string) []byte {
	if v, ok := s.StringData[key]; ok {
		return []byte(v)
	}
	return s.Data[key]
}

func unique(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
