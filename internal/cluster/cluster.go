// Package cluster reads the objects of a live cluster for kubevet cluster.
// It is the only package besides the command that imports client-go, a
// heavy SDK: the engine and the checks see manifest.Objects built from
// typed API objects and never import it (TestCoreHasNoClientGo).
//
// Scans are read-only: they send get and list requests only. Lists are
// paginated and run concurrently with a bound; kinds the identity may not
// list are reported as notes and the rest is still checked.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	clusterchecks "github.com/kubevet/kubevet/internal/checks/cluster"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Access says how to reach a cluster, with kubectl's conventions.
type Access struct {
	// Kubeconfig is --kubeconfig; empty follows KUBECONFIG, then
	// ~/.kube/config, then the in-cluster configuration of a pod.
	Kubeconfig string
	// Context is --context; empty is the kubeconfig's current context.
	Context string
}

// RESTConfig resolves the client configuration the way kubectl does.
func RESTConfig(a Access) (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = a.Kubeconfig
	if a.Kubeconfig == "" && os.Getenv(clientcmd.RecommendedConfigPathEnvVar) == "" && inCluster() {
		if _, err := os.Stat(clientcmd.RecommendedHomeFile); err != nil {
			cfg, err := rest.InClusterConfig()
			if err != nil {
				return nil, fmt.Errorf("in-cluster configuration: %w", err)
			}
			return tune(cfg), nil
		}
	}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: a.Context}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	return tune(cfg), nil
}

func inCluster() bool {
	return os.Getenv("KUBERNETES_SERVICE_HOST") != "" && os.Getenv("KUBERNETES_SERVICE_PORT") != ""
}

// tune raises client-go's default client-side rate limit (5 requests a
// second), which would make a scan of a large cluster wait on itself; the
// server's priority and fairness still applies.
func tune(cfg *rest.Config) *rest.Config {
	if cfg.QPS == 0 {
		cfg.QPS, cfg.Burst = 50, 100
	}
	cfg.UserAgent = "kubevet"
	return cfg
}

// Options configure a scan.
type Options struct {
	// Namespace limits the namespaced kinds to one namespace; empty is all
	// namespaces.
	Namespace string
	// PageSize is the limit of each list request (500 when 0).
	PageSize int64
	// Parallel bounds the lists in flight (4 when 0).
	Parallel int
	// Progress receives progress lines (kinds listed, objects seen); nil
	// for none.
	Progress io.Writer
}

// Note says something about the scan that is not a finding: a kind that was
// not checked and why.
type Note struct {
	Kind    string // Kind.group, or "" for the whole scan
	Message string
}

// Result is what a scan read.
type Result struct {
	Objects []*manifest.Object
	Notes   []Note
	// ServerVersion is the API server's version (v1.37.2).
	ServerVersion string
}

// Scan lists every kind kubevet checks and converts the objects.
func Scan(ctx context.Context, cfg *rest.Config, opt Options) (*Result, error) {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	md, err := metadata.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	if opt.PageSize <= 0 {
		opt.PageSize = 500
	}
	if opt.Parallel <= 0 {
		opt.Parallel = 4
	}
	res := &Result{}
	v, err := cs.Discovery().ServerVersion()
	if err != nil {
		return nil, fmt.Errorf("reaching the API server: %w", err)
	}
	res.ServerVersion = v.GitVersion

	kinds := append(Kinds(md), customKinds(cs.Discovery(), dyn)...)
	var forbiddenCustom []string
	var (
		mu      sync.Mutex
		perKind = make([][]*manifest.Object, len(kinds))
		seen    atomic.Int64
		done    atomic.Int64
		first   error
		wg      sync.WaitGroup
		sem     = make(chan struct{}, opt.Parallel)
	)
	progress := func() {
		if opt.Progress != nil {
			mu.Lock()
			fmt.Fprintf(opt.Progress, "\rkubevet: listed %d of %d kinds, %d objects", done.Load(), len(kinds), seen.Load())
			mu.Unlock()
		}
	}
	for i, k := range kinds {
		if opt.Namespace != "" && !k.Namespaced && k.GVK.Kind != "Node" && k.GVK.Kind != "Namespace" {
			continue // cluster-wide objects are out of a one-namespace scan, but for the nodes pods run on
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			objs, err := listAll(ctx, cs, k, opt, func(n int) { seen.Add(int64(n)); progress() })
			done.Add(1)
			progress()
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				perKind[i] = objs
			case k.custom && apierrors.IsForbidden(err):
				forbiddenCustom = append(forbiddenCustom, k.Name())
			case apierrors.IsForbidden(err):
				res.Notes = append(res.Notes, Note{Kind: k.Name(), Message: fmt.Sprintf("%s not checked: forbidden (the identity may not list %s)", k.Name(), k.Resource)})
			case errors.As(err, new(decodeError)):
				res.Notes = append(res.Notes, Note{Kind: k.Name(), Message: fmt.Sprintf("%s not checked: %v", k.Name(), err)})
			case apierrors.IsNotFound(err):
				res.Notes = append(res.Notes, Note{Kind: k.Name(), Message: fmt.Sprintf("%s not checked: the API server does not serve %s", k.Name(), k.GVK.GroupVersion())})
			case first == nil:
				first = fmt.Errorf("listing %s: %w", k.Resource, err)
			}
		}()
	}
	wg.Wait()
	if opt.Progress != nil {
		fmt.Fprintln(opt.Progress)
	}
	if first != nil {
		return nil, first
	}
	if len(forbiddenCustom) > 0 {
		sort.Strings(forbiddenCustom)
		res.Notes = append(res.Notes, Note{Kind: "~custom", Message: fmt.Sprintf("%d custom kinds not checked: forbidden (%s); grant get and list on those that carry pod templates to check them", len(forbiddenCustom), strings.Join(forbiddenCustom, ", "))})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := 0
	for _, objs := range perKind {
		n += len(objs)
	}
	res.Objects = make([]*manifest.Object, 0, n)
	for _, objs := range perKind {
		res.Objects = append(res.Objects, objs...)
	}
	sort.Slice(res.Notes, func(i, j int) bool { return res.Notes[i].Kind < res.Notes[j].Kind })
	return res, nil
}

// listAll lists one kind page by page.
func listAll(ctx context.Context, cs kubernetes.Interface, k Kind, opt Options, seen func(int)) ([]*manifest.Object, error) {
	ns := metav1.NamespaceAll
	if k.Namespaced {
		ns = opt.Namespace
	}
	if k.GVK.Kind == "Namespace" && opt.Namespace != "" {
		o, err := cs.CoreV1().Namespaces().Get(ctx, opt.Namespace, metav1.GetOptions{})
		if err != nil {
			return nil, err
		}
		obj, err := convert(k.GVK, o)
		if err != nil {
			return nil, err
		}
		return []*manifest.Object{obj}, nil
	}
	var out []*manifest.Object
	lo := metav1.ListOptions{Limit: opt.PageSize}
	probe := k.custom && !wholeCustomKinds[k.Name()]
	if probe {
		lo.Limit = 1 // one object tells whether the kind carries pod templates
	}
	for {
		items, cont, err := k.list(ctx, cs, ns, lo)
		if err != nil {
			return nil, err
		}
		if probe {
			if len(items) == 0 || !hasPodTemplate(items[0]) {
				return nil, nil
			}
			probe, lo.Limit = false, opt.PageSize
		}
		for _, it := range items {
			o, err := convert(k.GVK, it)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
		}
		seen(len(items))
		if cont == "" {
			return out, nil
		}
		lo.Continue = cont
	}
}

// convert drops what no check reads (managed fields, the last applied
// configuration, status but for the parts checks use) and makes the object.
func convert(gvk schema.GroupVersionKind, obj runtime.Object) (*manifest.Object, error) {
	if u, ok := obj.(*unstructured.Unstructured); ok {
		unstructured.RemoveNestedField(u.Object, "metadata", "managedFields")
		unstructured.RemoveNestedField(u.Object, "metadata", "annotations", lastApplied)
		unstructured.RemoveNestedField(u.Object, "status")
		o, err := manifest.FromUnstructured(u.Object)
		if err != nil {
			return nil, decodeError{err}
		}
		return o, nil
	}
	if m, ok := obj.(metav1.Object); ok {
		m.SetManagedFields(nil)
		if a := m.GetAnnotations(); a != nil {
			if _, ok := a[lastApplied]; ok {
				delete(a, lastApplied)
			}
		}
	}
	quiet(obj)
	switch t := obj.(type) {
	case *corev1.Pod:
		if metav1.GetControllerOfNoCopy(t) != nil {
			// A controller's pods and ReplicaSets repeat its pod template:
			// they are checked once, through their owner, and stay in the
			// input only for the checks of where pods run.
			obj = &clusterchecks.Placement{ObjectMeta: t.ObjectMeta, NodeName: t.Spec.NodeName, Phase: t.Status.Phase}
		}
	case *appsv1.ReplicaSet:
		if metav1.GetControllerOfNoCopy(t) != nil {
			obj = &clusterchecks.Placement{ObjectMeta: t.ObjectMeta}
		}
	}
	return manifest.FromTyped(gvk, obj), nil
}

// decodeError says a custom object could not be read as kubevet reads
// manifests.
type decodeError struct{ err error }

func (e decodeError) Error() string { return e.err.Error() }
func (e decodeError) Unwrap() error { return e.err }

const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"
