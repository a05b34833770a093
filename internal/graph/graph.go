// Package graph indexes every object of one run by kind, namespace, name and
// pod labels, so that checks can look across objects (a Deployment and its
// PodDisruptionBudget, a namespace and its NetworkPolicies) in time linear
// in the input. Selectors are evaluated with apimachinery's labels package,
// exactly as Kubernetes evaluates them; what an empty or missing selector
// means differs by API and is the caller's to decide (see SelectorOf).
package graph

import (
	"sort"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"

	"github.com/kubevet/kubevet/internal/manifest"
)

// Key names an object.
type Key struct {
	Group, Kind, Namespace, Name string
}

type kindKey struct{ group, kind string }

type nsKind struct {
	ns string
	kindKey
}

// Graph is the index. Build it with New; it is read-only afterwards and safe
// for concurrent readers.
type Graph struct {
	all      []*manifest.Object
	byKey    map[Key]*manifest.Object
	byKind   map[kindKey][]*manifest.Object
	byNSKind map[nsKind][]*manifest.Object
	// pods holds the objects with a pod template, by namespace, and
	// postings of their template labels ("k=v" -> objects) for selectors.
	pods     map[string][]*manifest.Object
	postings map[string]map[string][]*manifest.Object
	nsSeen   map[string]bool
	// operators holds the custom objects whose operator creates pods, by
	// namespace (see manifest.Object.OperatorPods).
	operators map[string][]*manifest.Object
	// memo holds answers derived from the whole graph (see Memo).
	memo sync.Map
}

// New indexes objs.
func New(objs []*manifest.Object) *Graph {
	g := &Graph{
		byKey:    make(map[Key]*manifest.Object, len(objs)),
		byKind:   map[kindKey][]*manifest.Object{},
		byNSKind: map[nsKind][]*manifest.Object{},
		pods:     map[string][]*manifest.Object{},
		postings: map[string]map[string][]*manifest.Object{},
		nsSeen:   map[string]bool{},

		operators: map[string][]*manifest.Object{},
	}
	for _, o := range objs {
		g.add(o)
	}
	return g
}

func (g *Graph) add(o *manifest.Object) {
	g.all = append(g.all, o)
	kk := kindKey{o.Group(), o.Kind}
	g.byKey[Key{kk.group, kk.kind, o.Namespace, o.Name}] = o
	g.byKind[kk] = append(g.byKind[kk], o)
	g.byNSKind[nsKind{o.Namespace, kk}] = append(g.byNSKind[nsKind{o.Namespace, kk}], o)
	if o.Namespace != "" {
		g.nsSeen[o.Namespace] = true
	}
	if kk == (kindKey{"", "Namespace"}) {
		g.nsSeen[o.Name] = true
	}
	if o.OperatorPods {
		g.operators[o.Namespace] = append(g.operators[o.Namespace], o)
	}
	if !o.HasPodTemplate() {
		return
	}
	g.pods[o.Namespace] = append(g.pods[o.Namespace], o)
	p := g.postings[o.Namespace]
	if p == nil {
		p = map[string][]*manifest.Object{}
		g.postings[o.Namespace] = p
	}
	for k, v := range o.PodLabels {
		p[k+"="+v] = append(p[k+"="+v], o)
	}
}

// Objects returns every object, in input order.
func (g *Graph) Objects() []*manifest.Object { return g.all }

// Get returns the object with the given group, kind, namespace and name
// (namespace "" for cluster-scoped kinds), or nil.
func (g *Graph) Get(group, kind, namespace, name string) *manifest.Object {
	return g.byKey[Key{group, kind, namespace, name}]
}

// Kind returns the objects of a kind in every namespace.
func (g *Graph) Kind(group, kind string) []*manifest.Object {
	return g.byKind[kindKey{group, kind}]
}

// InNamespace returns the objects of a kind in one namespace.
func (g *Graph) InNamespace(group, kind, namespace string) []*manifest.Object {
	return g.byNSKind[nsKind{namespace, kindKey{group, kind}}]
}

// Namespaces returns every namespace that an object is in or that a
// Namespace object declares, sorted.
func (g *Graph) Namespaces() []string {
	out := make([]string, 0, len(g.nsSeen))
	for ns := range g.nsSeen {
		out = append(out, ns)
	}
	sort.Strings(out)
	return out
}

// Workloads returns the objects with a pod template in a namespace.
func (g *Graph) Workloads(namespace string) []*manifest.Object { return g.pods[namespace] }

// OperatorObjects returns the custom objects of a namespace whose operator
// creates pods the input does not show (a prometheus-operator Alertmanager,
// a Strimzi Kafka). A selector that matches no pod template of such a
// namespace may still match their pods.
func (g *Graph) OperatorObjects(namespace string) []*manifest.Object {
	return g.operators[namespace]
}

// SelectWorkloads returns the objects of namespace whose pod template labels
// sel matches. A selector with an equality or single-value In requirement
// is answered from the label postings, without looking at every pod.
func (g *Graph) SelectWorkloads(namespace string, sel labels.Selector) []*manifest.Object {
	if sel == nil {
		return nil
	}
	candidates := g.pods[namespace]
	reqs, _ := sel.Requirements()
	for _, r := range reqs {
		switch r.Operator() {
		case selection.Equals, selection.DoubleEquals, selection.In:
			if r.Values().Len() != 1 {
				continue
			}
			list := g.postings[namespace][r.Key()+"="+r.Values().List()[0]]
			if len(list) < len(candidates) {
				candidates = list
			}
		}
	}
	var out []*manifest.Object
	for _, o := range candidates {
		if sel.Matches(labels.Set(o.PodLabels)) {
			out = append(out, o)
		}
	}
	return out
}

// SelectorOf converts a LabelSelector the way the API in question does:
// nil gives nilMeans (labels.Nothing() for a Service or a policy/v1beta1
// PDB, labels.Everything() for a NetworkPolicy podSelector), an empty
// selector selects everything, and a malformed one selects nothing (the API
// server would reject it).
func SelectorOf(ls *metav1.LabelSelector, nilMeans labels.Selector) labels.Selector {
	if ls == nil {
		return nilMeans
	}
	sel, err := metav1.LabelSelectorAsSelector(ls)
	if err != nil {
		return labels.Nothing()
	}
	return sel
}

// MapSelector is the selector of a Service (a plain map): nil or empty
// selects nothing, as a Service without selector selects no pods.
func MapSelector(m map[string]string) labels.Selector {
	if len(m) == 0 {
		return labels.Nothing()
	}
	return labels.SelectorFromSet(m)
}

type memoEntry struct {
	once sync.Once
	v    any
}

// Memo returns the value build computes from g, computing it once per key
// for the life of the graph, however many goroutines ask. Checks use it for
// answers about the whole input (which workloads some NetworkPolicy
// selects, the order of public load balancers) so that each object's run
// stays constant time. Use a key of an unexported type, as with
// context.Context values.
func (g *Graph) Memo(key any, build func(*Graph) any) any {
	e, _ := g.memo.LoadOrStore(key, new(memoEntry))
	m := e.(*memoEntry)
	m.once.Do(func() { m.v = build(g) })
	return m.v
}
