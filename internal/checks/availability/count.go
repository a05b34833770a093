package availability

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// replicaCount is how many pods a workload runs for the checks of this
// domain: its spec.replicas, or, when autoscalers target it, the minimum
// they keep (an HPA owns the count and overwrites spec.replicas).
type replicaCount struct {
	N int32
	// By is the autoscaler whose minimum gave N, or nil.
	By *Scaler
	// Set is whether spec.replicas is written (it defaults to 1).
	Set bool
}

// effectiveReplicas counts the pods of a Deployment, StatefulSet,
// ReplicaSet or ReplicationController. With several autoscalers (a
// conflict the HPA controller reports), the highest minimum counts. A
// minimum of 0 (KEDA's default, scale to zero) counts as 1: when the
// workload runs at all it runs at least one pod.
//
// spec.replicas: 0 disables an HPA (the controller leaves a target scaled
// to zero alone), so the count is then 0 unless a KEDA ScaledObject, which
// activates a workload from zero itself, targets it.
func effectiveReplicas(g *graph.Graph, w *manifest.Object) replicaCount {
	n, set := replicasOf(w)
	if scalers := ScalersOf(g, w); len(scalers) > 0 {
		best, keda := scalers[0], false
		for _, s := range scalers {
			if s.Min > best.Min {
				best = s
			}
			keda = keda || s.Object.Kind == "ScaledObject"
		}
		if set && n == 0 && !keda {
			return replicaCount{N: 0, Set: true}
		}
		return replicaCount{N: max(best.Min, 1), By: &best, Set: set}
	}
	return replicaCount{N: n, Set: set}
}

// String says "3 replicas", or "2 replicas (the minimum of
// HorizontalPodAutoscaler/web)".
func (c replicaCount) String() string {
	s := fmt.Sprintf("%d replicas", c.N)
	if c.N == 1 {
		s = "1 replica"
	}
	if c.By != nil {
		s += fmt.Sprintf(" (the minimum of %s/%s)", c.By.Object.Kind, c.By.Object.Name)
	}
	return s
}

// replicasOf returns spec.replicas of a replicated kind (1 when unset, as
// the API defaults it); set is false when the field is absent or the kind
// has no replica count.
func replicasOf(o *manifest.Object) (n int32, set bool) {
	var p *int32
	switch t := o.Typed().(type) {
	case *appsv1.Deployment:
		p = t.Spec.Replicas
	case *appsv1.StatefulSet:
		p = t.Spec.Replicas
	case *appsv1.ReplicaSet:
		p = t.Spec.Replicas
	case *corev1.ReplicationController:
		p = t.Spec.Replicas
	case nil:
		if o.Kind != "Rollout" || o.Group() != "argoproj.io" {
			return 0, false
		}
		// Argo Rollouts: spec.replicas as in a Deployment.
		u, err := o.Unstructured()
		if err != nil {
			return 0, false
		}
		spec, _ := u["spec"].(map[string]any)
		switch v := spec["replicas"].(type) {
		case int64:
			n := int32(v)
			p = &n
		case float64:
			n := int32(v)
			p = &n
		}
	default:
		return 0, false
	}
	if p == nil {
		return 1, false
	}
	return *p, true
}

// podCount is what the disruption controller counts for one object a PDB
// selects: Scale is the replicas of a controller it finds the scale of
// (Deployment, StatefulSet, ReplicaSet, ReplicationController), Pods the
// pods it expects to run. A bare Pod counts as one unmanaged pod (no scale).
// Known is false for kinds whose pod count a manifest does not tell
// (DaemonSet, Job, custom kinds).
type podCount struct {
	Scale, Pods int32
	Known       bool
}

func podCountOf(g *graph.Graph, o *manifest.Object) podCount {
	switch o.Typed().(type) {
	case *appsv1.Deployment, *appsv1.StatefulSet, *appsv1.ReplicaSet, *corev1.ReplicationController:
		n := effectiveReplicas(g, o).N
		return podCount{Scale: n, Pods: n, Known: true}
	case *corev1.Pod:
		return podCount{Pods: 1, Known: true}
	}
	return podCount{}
}
