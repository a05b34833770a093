// Package availability holds the checks of replicas, spreading, disruption
// budgets and autoscaling (spec rules DR-10, DR-11, DR-12, SCL-02). They
// look across objects: a Deployment together with the PDBs and HPAs that
// select or target it.
package availability

import (
	"fmt"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the availability domain's list, in catalog order.
var Checks = []*check.Check{
	Replicas,
	Spread,
	PDBMissing,
	PDBBlocksEviction,
	PDBSelectsNothing,
	PDBV1beta1,
	HPAMissing,
	HPAResourceRequests,
	HPATargetMissing,
}

// replicated targets the kinds whose replica count the user sets (Argo
// Rollouts too: a Rollout replaces a Deployment).
var replicated = check.Kinds("Deployment.apps", "StatefulSet.apps", "Rollout.argoproj.io")

// Scaler is an autoscaler that targets a workload: an HPA or a KEDA
// ScaledObject.
type Scaler struct {
	Object *manifest.Object
	// Min is the minimum replicas the scaler keeps (1 when unset, as both
	// default it).
	Min int32
}

// ScalersOf returns the HPAs (autoscaling/v2, v1 and the v2beta versions) and KEDA ScaledObjects
// of the workload's namespace whose scaleTargetRef names it. The targets of
// every autoscaler are indexed once per graph.
func ScalersOf(g *graph.Graph, w *manifest.Object) []Scaler {
	idx := g.Memo(scalerIndexKey{}, buildScalerIndex).(map[scaleTarget][]scalerRef)
	refs := idx[scaleTarget{w.Namespace, w.Kind, w.Name}]
	if len(refs) == 0 {
		return nil
	}
	group := w.Group()
	var out []Scaler
	for _, r := range refs {
		if r.anyGroup || r.group == group {
			out = append(out, r.Scaler)
		}
	}
	return out
}

type scalerIndexKey struct{}

// scaleTarget is what a scaleTargetRef names, in the autoscaler's namespace.
type scaleTarget struct{ ns, kind, name string }

type scalerRef struct {
	Scaler
	group    string
	anyGroup bool // the reference gives no apiVersion
}

func buildScalerIndex(g *graph.Graph) any {
	idx := map[scaleTarget][]scalerRef{}
	add := func(s Scaler, apiVersion, kind, name string) {
		r := scalerRef{Scaler: s, anyGroup: apiVersion == ""}
		if !r.anyGroup {
			gv, err := schema.ParseGroupVersion(apiVersion)
			if err != nil {
				return
			}
			r.group = gv.Group
		}
		k := scaleTarget{s.Object.Namespace, kind, name}
		idx[k] = append(idx[k], r)
	}
	for _, h := range g.Kind("autoscaling", "HorizontalPodAutoscaler") {
		switch t := hpaOf(h).(type) {
		case *autoscalingv2.HorizontalPodAutoscaler:
			r := t.Spec.ScaleTargetRef
			add(Scaler{Object: h, Min: minOr1(t.Spec.MinReplicas)}, r.APIVersion, r.Kind, r.Name)
		case *autoscalingv1.HorizontalPodAutoscaler:
			r := t.Spec.ScaleTargetRef
			add(Scaler{Object: h, Min: minOr1(t.Spec.MinReplicas)}, r.APIVersion, r.Kind, r.Name)
		}
	}
	for _, so := range g.Kind("keda.sh", "ScaledObject") {
		u, err := so.Unstructured()
		if err != nil {
			continue
		}
		spec, _ := u["spec"].(map[string]any)
		ref, _ := spec["scaleTargetRef"].(map[string]any)
		name, _ := ref["name"].(string)
		kind, _ := ref["kind"].(string)
		apiVersion, _ := ref["apiVersion"].(string)
		if kind == "" {
			kind = "Deployment" // KEDA's default target kind
		}
		min := int32(0) // KEDA's default minReplicaCount is 0
		if n, ok := spec["minReplicaCount"].(int64); ok {
			min = int32(n)
		}
		add(Scaler{Object: so, Min: min}, apiVersion, kind, name)
	}
	return idx
}

func minOr1(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}

// Replicas reports workloads that run a single replica.
var Replicas = &check.Check{
	ID:       "single-replica",
	Title:    "Workload runs a single replica",
	Severity: check.Warning,
	Refs:     []string{"DR-10"},
	Why: "With one replica, every node drain, upgrade, eviction or crash takes the application down until a new pod is scheduled and ready. " +
		"AKS node-image and Kubernetes upgrades drain every node in turn.",
	Fix: "Set spec.replicas to 2 or more, or let a HorizontalPodAutoscaler (or KEDA ScaledObject) with minReplicas of at least 2 manage it.",
	Example: `spec:
  replicas: 3`,
	Target: replicated,
	Cross:  true,
	Run: func(p *check.Pass) {
		n, set := replicasOf(p.Object)
		if n == 0 && set {
			return // scaled to zero on purpose
		}
		// An autoscaler owns the count: spec.replicas: 3 under an HPA with
		// minReplicas: 1 runs one pod when the load is low.
		c := effectiveReplicas(p.Graph, p.Object)
		if c.N >= 2 {
			return
		}
		path := manifest.NewPath("spec", "replicas")
		what := fmt.Sprintf("spec.replicas is %d", n)
		if !set {
			what = "spec.replicas is not set (it defaults to 1)"
		}
		if s := c.By; s != nil {
			p.Report(path, "%s %s and %s/%s keeps as few as %d; raise its minimum replicas to at least 2", p.Object.Kind, what, s.Object.Kind, s.Object.Name, s.Min)
			return
		}
		p.Report(path, "%s %s: one pod means downtime on every node drain or crash; run at least 2 replicas", p.Object.Kind, what)
	},
}
