package cluster

import (
	"context"
	"slices"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
)

// wholeCustomKinds are custom kinds that checks read although they carry
// no pod template (KEDA's ScaledObject counts as an autoscaler).
var wholeCustomKinds = map[string]bool{"ScaledObject.keda.sh": true}

// customGroup reports whether an API group is a custom one: not one of
// Kubernetes' own (the core group, apps, batch, *.k8s.io, ...).
func customGroup(g string) bool {
	return strings.Contains(g, ".") && !strings.HasSuffix(g, ".k8s.io")
}

// customKinds returns the custom kinds the server serves and lets be
// listed, in their preferred versions. Discovery sends get requests only; a
// group that fails discovery is left out.
func customKinds(dc discovery.DiscoveryInterface, dyn dynamic.Interface) []Kind {
	lists, _ := dc.ServerPreferredResources() // partial results come with an error
	var out []Kind
	for _, l := range lists {
		gv, err := schema.ParseGroupVersion(l.GroupVersion)
		if err != nil || !customGroup(gv.Group) {
			continue
		}
		for _, r := range l.APIResources {
			if strings.Contains(r.Name, "/") || !slices.Contains(r.Verbs, "list") {
				continue
			}
			gvr := gv.WithResource(r.Name)
			out = append(out, Kind{
				GVK: gv.WithKind(r.Kind), Resource: r.Name, Namespaced: r.Namespaced, custom: true,
				list: func(ctx context.Context, _ kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
					l, err := dyn.Resource(gvr).Namespace(ns).List(ctx, o)
					if err != nil {
						return nil, "", err
					}
					return ptrs(l.Items), l.GetContinue(), nil
				},
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// hasPodTemplate reports whether a custom object carries
// spec.template.spec.containers, as Argo Rollouts and the like do.
func hasPodTemplate(obj runtime.Object) bool {
	u, ok := obj.(*unstructured.Unstructured)
	if !ok {
		return false
	}
	_, found, _ := unstructured.NestedSlice(u.Object, "spec", "template", "spec", "containers")
	return found
}
