package cluster

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
)

// Kind is one kind a scan lists.
type Kind struct {
	GVK        schema.GroupVersionKind
	Resource   string
	Namespaced bool
	// custom kinds are listed only when their first object carries a pod
	// template (see customKinds).
	custom bool
	list   func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error)
}

// Name is Kind or Kind.group, as in the check targets.
func (k Kind) Name() string {
	if k.GVK.Group == "" {
		return k.GVK.Kind
	}
	return k.GVK.Kind + "." + k.GVK.Group
}

// ptrs makes runtime.Objects of list items without copying them.
func ptrs[T any, P interface {
	*T
	runtime.Object
}](items []T) []runtime.Object {
	out := make([]runtime.Object, len(items))
	for i := range items {
		out[i] = P(&items[i])
	}
	return out
}

type lister = func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error)

func kind(group, version, k, resource string, namespaced bool, list lister) Kind {
	return Kind{GVK: schema.GroupVersionKind{Group: group, Version: version, Kind: k}, Resource: resource, Namespaced: namespaced, list: list}
}

// Kinds returns the kinds a scan lists: the built-in kinds kubevet has
// checks for. Secrets are read as metadata only (md), so that no secret
// value ever leaves the API server.
func Kinds(md metadata.Interface) []Kind {
	return []Kind{
		kind("", "v1", "Namespace", "namespaces", false, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.CoreV1().Namespaces().List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("", "v1", "Node", "nodes", false, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.CoreV1().Nodes().List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("", "v1", "Pod", "pods", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.CoreV1().Pods(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("apps", "v1", "Deployment", "deployments", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.AppsV1().Deployments(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("apps", "v1", "ReplicaSet", "replicasets", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.AppsV1().ReplicaSets(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("apps", "v1", "StatefulSet", "statefulsets", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.AppsV1().StatefulSets(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("apps", "v1", "DaemonSet", "daemonsets", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.AppsV1().DaemonSets(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("batch", "v1", "Job", "jobs", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.BatchV1().Jobs(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("batch", "v1", "CronJob", "cronjobs", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.BatchV1().CronJobs(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("", "v1", "Service", "services", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.CoreV1().Services(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("", "v1", "ServiceAccount", "serviceaccounts", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.CoreV1().ServiceAccounts(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("", "v1", "ConfigMap", "configmaps", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.CoreV1().ConfigMaps(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			for i := range l.Items {
				l.Items[i].Data, l.Items[i].BinaryData = nil, nil // only their names are referenced
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("", "v1", "Secret", "secrets", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := md.Resource(corev1.SchemeGroupVersion.WithResource("secrets")).Namespace(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			out := make([]runtime.Object, len(l.Items))
			for i := range l.Items {
				out[i] = &corev1.Secret{ObjectMeta: l.Items[i].ObjectMeta}
			}
			return out, l.Continue, nil
		}),
		kind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.CoreV1().PersistentVolumeClaims(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("", "v1", "ResourceQuota", "resourcequotas", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.CoreV1().ResourceQuotas(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("", "v1", "LimitRange", "limitranges", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.CoreV1().LimitRanges(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.NetworkingV1().NetworkPolicies(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("networking.k8s.io", "v1", "Ingress", "ingresses", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.NetworkingV1().Ingresses(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.PolicyV1().PodDisruptionBudgets(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.AutoscalingV2().HorizontalPodAutoscalers(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("rbac.authorization.k8s.io", "v1", "Role", "roles", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.RbacV1().Roles(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.RbacV1().RoleBindings(ns).List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.RbacV1().ClusterRoles().List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
		kind("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, func(ctx context.Context, cs kubernetes.Interface, ns string, o metav1.ListOptions) ([]runtime.Object, string, error) {
			l, err := cs.RbacV1().ClusterRoleBindings().List(ctx, o)
			if err != nil {
				return nil, "", err
			}
			return ptrs(l.Items), l.Continue, nil
		}),
	}
}

// quiet drops status that no check reads. Pods keep their phase and Nodes
// their node info (kubelet version).
func quiet(obj runtime.Object) {
	switch t := obj.(type) {
	case *corev1.Pod:
		t.Status = corev1.PodStatus{Phase: t.Status.Phase}
	case *corev1.Node:
		t.Status = corev1.NodeStatus{NodeInfo: t.Status.NodeInfo}
	case *appsv1.Deployment:
		t.Status = appsv1.DeploymentStatus{}
	case *appsv1.ReplicaSet:
		t.Status = appsv1.ReplicaSetStatus{}
	case *appsv1.StatefulSet:
		t.Status = appsv1.StatefulSetStatus{}
	case *appsv1.DaemonSet:
		t.Status = appsv1.DaemonSetStatus{}
	case *batchv1.Job:
		t.Status = batchv1.JobStatus{}
	case *batchv1.CronJob:
		t.Status = batchv1.CronJobStatus{}
	case *corev1.Service:
		t.Status = corev1.ServiceStatus{}
	case *corev1.Namespace:
		t.Status = corev1.NamespaceStatus{}
	case *policyv1.PodDisruptionBudget:
		t.Status = policyv1.PodDisruptionBudgetStatus{}
	case *autoscalingv2.HorizontalPodAutoscaler:
		t.Status = autoscalingv2.HorizontalPodAutoscalerStatus{}
	case *networkingv1.Ingress:
		t.Status = networkingv1.IngressStatus{}
	}
}
