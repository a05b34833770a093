package testserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
)

// Bind binds user to a ClusterRole in every namespace.
func Bind(ctx context.Context, cs kubernetes.Interface, user, clusterRole string) error {
	_, err := cs.RbacV1().ClusterRoleBindings().Create(ctx, &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: user + "-" + clusterRole},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: clusterRole},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}},
	}, metav1.CreateOptions{})
	return err
}

// Aggregate fills an aggregated ClusterRole (view, edit, admin) with the
// rules of the ClusterRoles its aggregationRule selects, as the controller
// manager's clusterrole-aggregation controller does; the test server runs
// no controller manager, so that the built-in view role is empty until
// then.
func Aggregate(ctx context.Context, cs kubernetes.Interface, name string) error {
	cr, err := cs.RbacV1().ClusterRoles().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	if cr.AggregationRule == nil {
		return fmt.Errorf("ClusterRole %s is not aggregated", name)
	}
	var rules []rbacv1.PolicyRule
	for _, sel := range cr.AggregationRule.ClusterRoleSelectors {
		l, err := cs.RbacV1().ClusterRoles().List(ctx, metav1.ListOptions{LabelSelector: metav1.FormatLabelSelector(&sel)})
		if err != nil {
			return err
		}
		for _, r := range l.Items {
			if r.Name != name {
				rules = append(rules, r.Rules...)
			}
		}
	}
	cr.Rules = rules
	_, err = cs.RbacV1().ClusterRoles().Update(ctx, cr, metav1.UpdateOptions{})
	return err
}

// ApplyClusterRole creates the ClusterRole of a manifest file (such as
// deploy/clusterrole.yaml) and returns its name.
func ApplyClusterRole(ctx context.Context, cs kubernetes.Interface, file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var cr rbacv1.ClusterRole
	if err := yaml.NewYAMLOrJSONDecoder(f, 4096).Decode(&cr); err != nil {
		return "", fmt.Errorf("%s: %w", file, err)
	}
	if cr.Kind != "ClusterRole" {
		return "", fmt.Errorf("%s: first document is a %s, not a ClusterRole", file, cr.Kind)
	}
	_, err = cs.RbacV1().ClusterRoles().Create(ctx, &cr, metav1.CreateOptions{})
	return cr.Name, err
}

// Node creates a Node with labels and taints and sets its kubelet version
// (status is written separately, as a kubelet does).
func Node(ctx context.Context, cs kubernetes.Interface, name, kubelet string, labels map[string]string, taints ...corev1.Taint) error {
	n, err := cs.CoreV1().Nodes().Create(ctx, &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec:       corev1.NodeSpec{Taints: taints},
	}, metav1.CreateOptions{})
	if err != nil {
		return err
	}
	n.Status.NodeInfo.KubeletVersion = kubelet
	_, err = cs.CoreV1().Nodes().UpdateStatus(ctx, n, metav1.UpdateOptions{})
	return err
}

// App is a Deployment with its ReplicaSet, Pods (on the given nodes, in
// turn), Service and, when pdb is set, PodDisruptionBudget, linked by
// ownerReferences as the controllers would link them.
type App struct {
	Namespace, Name string
	Replicas        int32
	Nodes           []string
	PDB             bool
	Image           string
}

var tru = true

func labelsOf(name string) map[string]string {
	return map[string]string{"app.kubernetes.io/name": name}
}

// Create creates the app's objects.
func (a App) Create(ctx context.Context, cs kubernetes.Interface) error {
	img := a.Image
	if img == "" {
		img = "registry.k8s.io/pause:3.10"
	}
	tmpl := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labelsOf(a.Name)},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: img}}},
	}
	d, err := cs.AppsV1().Deployments(a.Namespace).Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: a.Name, Labels: labelsOf(a.Name)},
		Spec: appsv1.DeploymentSpec{
			Replicas: &a.Replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labelsOf(a.Name)},
			Template: tmpl,
		},
	}, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("deployment %s/%s: %w", a.Namespace, a.Name, err)
	}
	rs, err := cs.AppsV1().ReplicaSets(a.Namespace).Create(ctx, &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: a.Name + "-5d8f", Labels: labelsOf(a.Name),
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: d.Name, UID: d.UID, Controller: &tru}}},
		Spec: appsv1.ReplicaSetSpec{Replicas: &a.Replicas, Selector: d.Spec.Selector, Template: tmpl},
	}, metav1.CreateOptions{})
	if err != nil {
		return fmt.Errorf("replicaset %s/%s: %w", a.Namespace, a.Name, err)
	}
	for i := range int(a.Replicas) {
		p := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s-5d8f-%d", a.Name, i), Labels: labelsOf(a.Name),
				OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs.Name, UID: rs.UID, Controller: &tru}}},
			Spec: tmpl.Spec,
		}
		if len(a.Nodes) > 0 {
			p.Spec.NodeName = a.Nodes[i%len(a.Nodes)]
		}
		if _, err := cs.CoreV1().Pods(a.Namespace).Create(ctx, p, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("pod %s/%s: %w", a.Namespace, p.Name, err)
		}
	}
	if _, err := cs.CoreV1().Services(a.Namespace).Create(ctx, &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: a.Name, Labels: labelsOf(a.Name)},
		Spec:       corev1.ServiceSpec{Selector: labelsOf(a.Name), Ports: []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(8080)}}},
	}, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("service %s/%s: %w", a.Namespace, a.Name, err)
	}
	if a.PDB {
		one := intstr.FromInt32(1)
		if _, err := cs.PolicyV1().PodDisruptionBudgets(a.Namespace).Create(ctx, &policyv1.PodDisruptionBudget{
			ObjectMeta: metav1.ObjectMeta{Name: a.Name},
			Spec:       policyv1.PodDisruptionBudgetSpec{MaxUnavailable: &one, Selector: d.Spec.Selector},
		}, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("pdb %s/%s: %w", a.Namespace, a.Name, err)
		}
	}
	return nil
}

// Namespace creates a namespace.
func Namespace(ctx context.Context, cs kubernetes.Interface, name string) error {
	_, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	return err
}

// Scale is the size of a generated cluster.
type Scale struct {
	Namespaces, Deployments, PodsPerDeployment, Nodes int
	// Parallel bounds the requests in flight.
	Parallel int
}

// Populate creates a cluster of the given scale: nodes, namespaces, and
// Deployments spread evenly over them, each with its ReplicaSet, Pods on
// the nodes, a Service and a PodDisruptionBudget.
func Populate(ctx context.Context, cs kubernetes.Interface, s Scale) error {
	if s.Parallel <= 0 {
		s.Parallel = 32
	}
	var nodes []string
	for i := range s.Nodes {
		name := fmt.Sprintf("aks-pool-%02d", i)
		zone := fmt.Sprintf("westeurope-%d", i%3+1)
		if err := Node(ctx, cs, name, Version, map[string]string{"kubernetes.azure.com/mode": "user", "topology.kubernetes.io/zone": zone}); err != nil {
			return err
		}
		nodes = append(nodes, name)
	}
	for i := range s.Namespaces {
		if err := Namespace(ctx, cs, fmt.Sprintf("team-%02d", i)); err != nil {
			return err
		}
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		errs  []error
		sem   = make(chan struct{}, s.Parallel)
		nodeI = 0
	)
	for i := range s.Deployments {
		a := App{
			Namespace: fmt.Sprintf("team-%02d", i%s.Namespaces),
			Name:      fmt.Sprintf("app-%04d", i),
			Replicas:  int32(s.PodsPerDeployment),
			Nodes:     []string{nodes[nodeI%len(nodes)], nodes[(nodeI+1)%len(nodes)]},
			PDB:       true,
		}
		nodeI++
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := a.Create(ctx, cs); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Fixture creates the small cluster the tests check, as admin:
//
//   - the ClusterRole of clusterRoleFile bound to KubevetUser, and the
//     built-in view ClusterRole bound to ViewerUser;
//   - nodes aks-system-1 (system pool, not tainted, kubelet v1.33.5) and
//     aks-user-1 (user pool, v1.37.2), both in zone westeurope-1;
//   - namespace shop with Deployments web (2 pods, both on aks-system-1,
//     with a PDB) and api (3 pods over both nodes), their ReplicaSets,
//     Services, a ConfigMap and a Secret;
//   - the Kubernetes dashboard (1 pod on aks-user-1) in its namespace;
//   - a Pod without owner, debug, in namespace default;
//   - custom kinds: an argoproj.io Rollout canary in shop whose pod
//     template runs privileged, and an example.com Widget without pod
//     template; KubevetUser may list both.

func Fixture(ctx context.Context, cs kubernetes.Interface, dyn dynamic.Interface, clusterRoleFile string) error {
	role, err := ApplyClusterRole(ctx, cs, clusterRoleFile)
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error { return Bind(ctx, cs, KubevetUser, role) },
		func() error { return Aggregate(ctx, cs, "view") },
		func() error { return Bind(ctx, cs, ViewerUser, "view") },
		func() error {
			return Node(ctx, cs, "aks-system-1", "v1.33.5", map[string]string{"kubernetes.azure.com/mode": "system", "topology.kubernetes.io/zone": "westeurope-1"})
		},
		func() error {
			return Node(ctx, cs, "aks-user-1", Version, map[string]string{"kubernetes.azure.com/mode": "user", "topology.kubernetes.io/zone": "westeurope-1"})
		},
		func() error { return Namespace(ctx, cs, "shop") },
		func() error {
			return App{Namespace: "shop", Name: "web", Replicas: 2, Nodes: []string{"aks-system-1"}, PDB: true}.Create(ctx, cs)
		},
		func() error {
			return App{Namespace: "shop", Name: "api", Replicas: 3, Nodes: []string{"aks-user-1", "aks-user-1", "aks-system-1"}}.Create(ctx, cs)
		},
		func() error { return Namespace(ctx, cs, "kubernetes-dashboard") },
		func() error {
			return App{Namespace: "kubernetes-dashboard", Name: "kubernetes-dashboard", Replicas: 1, Nodes: []string{"aks-user-1"}, Image: "docker.io/kubernetesui/dashboard:v2.7.0"}.Create(ctx, cs)
		},
		func() error {
			_, err := cs.CoreV1().ConfigMaps("shop").Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "settings"}, Data: map[string]string{"k": "v"}}, metav1.CreateOptions{})
			return err
		},
		func() error {
			_, err := cs.CoreV1().Secrets("shop").Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "db"}, StringData: map[string]string{"password": "s3cret"}}, metav1.CreateOptions{})
			return err
		},
		func() error {
			_, err := cs.CoreV1().Pods("default").Create(ctx, &corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: "debug"},
				Spec:       corev1.PodSpec{NodeName: "aks-user-1", Containers: []corev1.Container{{Name: "sh", Image: "busybox:1.37"}}},
			}, metav1.CreateOptions{})
			return err
		},
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return customFixture(ctx, cs, dyn)
}

// crd defines a namespaced custom kind that keeps whatever fields it is given.
func crd(group, kind, plural string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
		"metadata": map[string]any{"name": plural + "." + group},
		"spec": map[string]any{
			"group": group, "scope": "Namespaced",
			"names": map[string]any{"plural": plural, "singular": strings.ToLower(kind), "kind": kind, "listKind": kind + "List"},
			"versions": []any{map[string]any{
				"name": "v1alpha1", "served": true, "storage": true,
				"schema": map[string]any{"openAPIV3Schema": map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
			}},
		},
	}}
}

func customFixture(ctx context.Context, cs kubernetes.Interface, dyn dynamic.Interface) error {
	crds := dyn.Resource(schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"})
	for _, c := range []*unstructured.Unstructured{crd("argoproj.io", "Rollout", "rollouts"), crd("example.com", "Widget", "widgets")} {
		if _, err := crds.Create(ctx, c, metav1.CreateOptions{}); err != nil {
			return fmt.Errorf("CRD %s: %w", c.GetName(), err)
		}
	}
	if _, err := cs.RbacV1().ClusterRoles().Create(ctx, &rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: "kubevet-custom-reader"},
		Rules:      []rbacv1.PolicyRule{{APIGroups: []string{"argoproj.io", "example.com"}, Resources: []string{"rollouts", "widgets"}, Verbs: []string{"get", "list"}}},
	}, metav1.CreateOptions{}); err != nil {
		return err
	}
	if err := Bind(ctx, cs, KubevetUser, "kubevet-custom-reader"); err != nil {
		return err
	}
	objs := []struct {
		gvr schema.GroupVersionResource
		obj map[string]any
	}{
		{schema.GroupVersionResource{Group: "argoproj.io", Version: "v1alpha1", Resource: "rollouts"}, map[string]any{
			"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
			"metadata": map[string]any{"name": "canary", "namespace": "shop"},
			"spec": map[string]any{
				"replicas": int64(2),
				"selector": map[string]any{"matchLabels": map[string]any{"app": "canary"}},
				"template": map[string]any{
					"metadata": map[string]any{"labels": map[string]any{"app": "canary"}},
					"spec": map[string]any{"containers": []any{map[string]any{
						"name": "app", "image": "nginx:1.27", "securityContext": map[string]any{"privileged": true},
					}}},
				},
			},
		}},
		{schema.GroupVersionResource{Group: "example.com", Version: "v1alpha1", Resource: "widgets"}, map[string]any{
			"apiVersion": "example.com/v1alpha1", "kind": "Widget",
			"metadata": map[string]any{"name": "w", "namespace": "shop"},
			"spec":     map[string]any{"size": int64(3)},
		}},
	}
	// A new CRD is served once it is established: retry until then.
	for _, o := range objs {
		var err error
		for range 100 {
			if _, err = dyn.Resource(o.gvr).Namespace("shop").Create(ctx, &unstructured.Unstructured{Object: o.obj}, metav1.CreateOptions{}); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", o.gvr.Resource, err)
		}
	}
	return nil
}

// Shared starts one server with Fixture for a test binary: tests call
// Get, TestMain calls Close. When the binaries are missing, Get skips
// the test, or fails it on CI (CI set), where they must have been built.
type Shared struct {
	// ClusterRoleFile is deploy/clusterrole.yaml, relative to the test.
	ClusterRoleFile string

	once sync.Once
	srv  *Server
	dir  string
	err  error
}

// Get returns the server, starting it on first use.
func (s *Shared) Get(t interface {
	Helper()
	Skip(...any)
	Fatal(...any)
}) *Server {
	t.Helper()
	s.once.Do(func() {
		s.dir, s.err = os.MkdirTemp("", "kubevet-apiserver-")
		if s.err != nil {
			return
		}
		if s.srv, s.err = Start(s.dir); s.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cs, err := kubernetes.NewForConfig(s.srv.Config(AdminToken))
		if err != nil {
			s.err = err
			return
		}
		dyn, err := dynamic.NewForConfig(s.srv.Config(AdminToken))
		if err == nil {
			err = Fixture(ctx, cs, dyn, s.ClusterRoleFile)
		}
		s.err = err
	})
	if errors.Is(s.err, ErrMissing) && !OnCI() {
		t.Skip(s.err)
	}
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s.srv
}

// Close stops the server and removes its folder.
func (s *Shared) Close() {
	if s.srv != nil {
		s.srv.Stop()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// OnCI reports whether the tests run on CI, where the API server tests
// must run rather than skip.
func OnCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false" && v != "0"
}
