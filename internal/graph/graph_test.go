package graph_test

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubevet/kubevet/internal/checktest"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

const input = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: a}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: [{name: c, image: "x:1"}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, tier: back}}
    spec: {containers: [{name: c, image: "x:1"}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api, job: migrate}}
    spec: {restartPolicy: Never, containers: [{name: c, image: "x:1"}]}
---
# Same labels, other namespace: never selected from shop.
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: other}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: [{name: c, image: "x:1"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: []
`

func names(objs []*manifest.Object) string {
	var out []string
	for _, o := range objs {
		out = append(out, o.Namespace+"/"+o.Name)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestIndex(t *testing.T) {
	g := graph.New(checktest.Objects(t, input))
	if got := g.Get("apps", "Deployment", "shop", "web"); got == nil || got.Namespace != "shop" {
		t.Errorf("Get: %v", got)
	}
	if g.Get("apps", "Deployment", "shop", "nope") != nil || g.Get("", "Deployment", "shop", "web") != nil {
		t.Error("Get found what does not exist (or ignored the group)")
	}
	if got := names(g.Kind("apps", "Deployment")); got != "other/web,shop/api,shop/web" {
		t.Errorf("Kind: %s", got)
	}
	if got := names(g.InNamespace("apps", "Deployment", "shop")); got != "shop/api,shop/web" {
		t.Errorf("InNamespace: %s", got)
	}
	// A Service without a namespace lands in default, as kubectl apply puts it.
	if g.Get("", "Service", "default", "web") == nil {
		t.Error("defaulted namespace not indexed")
	}
	if g.Get("rbac.authorization.k8s.io", "ClusterRole", "", "reader") == nil {
		t.Error("cluster-scoped object not indexed without namespace")
	}
	if got := strings.Join(g.Namespaces(), ","); got != "default,other,shop" {
		t.Errorf("Namespaces: %s", got)
	}
	if got := names(g.Workloads("shop")); got != "shop/api,shop/migrate,shop/web" {
		t.Errorf("Workloads: %s", got)
	}
}

func TestSelectWorkloads(t *testing.T) {
	g := graph.New(checktest.Objects(t, input))
	sel := func(s string) labels.Selector {
		ls, err := metav1.ParseToLabelSelector(s)
		if err != nil {
			t.Fatal(err)
		}
		return graph.SelectorOf(ls, labels.Nothing())
	}
	cases := []struct {
		ns   string
		sel  labels.Selector
		want string
	}{
		{"shop", sel("app=web"), "shop/web"},
		{"other", sel("app=web"), "other/web"},
		{"shop", sel("app in (api)"), "shop/api,shop/migrate"},
		{"shop", sel("app in (api),job notin (migrate)"), "shop/api"},
		{"shop", sel("app in (api),!job"), "shop/api"},
		{"shop", sel("job"), "shop/migrate"},
		{"shop", sel("tier notin (front)"), "shop/api,shop/migrate"},
		{"shop", sel("app in (web, api)"), "shop/api,shop/migrate,shop/web"},
		{"shop", sel("app=none"), ""},
		// An empty selector selects every pod of the namespace; a nil one
		// what the API says.
		{"shop", graph.SelectorOf(&metav1.LabelSelector{}, labels.Nothing()), "shop/api,shop/migrate,shop/web"},
		{"shop", graph.SelectorOf(nil, labels.Nothing()), ""},
		{"shop", graph.SelectorOf(nil, labels.Everything()), "shop/api,shop/migrate,shop/web"},
		// A Service selector: a map; empty selects nothing.
		{"shop", graph.MapSelector(map[string]string{"app": "web"}), "shop/web"},
		{"shop", graph.MapSelector(nil), ""},
		{"shop", graph.MapSelector(map[string]string{}), ""},
		// A malformed selector selects nothing (the API server rejects it).
		{"shop", graph.SelectorOf(&metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "In"}}}, labels.Everything()), ""},
	}
	for _, c := range cases {
		if got := names(g.SelectWorkloads(c.ns, c.sel)); got != c.want {
			t.Errorf("SelectWorkloads(%s, %s) = %q, want %q", c.ns, c.sel, got, c.want)
		}
	}
}

func TestMemo(t *testing.T) {
	g := graph.New(checktest.Objects(t, input))
	calls := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := g.Memo("count", func(g *graph.Graph) any {
				mu.Lock()
				calls++
				mu.Unlock()
				return len(g.Objects())
			})
			if v.(int) != 7 {
				t.Errorf("memo value %v", v)
			}
		}()
	}
	wg.Wait()
	if calls != 1 {
		t.Errorf("built %d times", calls)
	}
}

// BenchmarkSelect shows that selecting by label is answered from the
// postings, not by scanning every workload of the namespace.
func BenchmarkSelect(b *testing.B) {
	var sb strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&sb, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d%d, namespace: big}\nspec:\n  selector: {matchLabels: {app: a%d}}\n  template:\n    metadata: {labels: {app: a%d}}\n    spec: {containers: [{name: c, image: \"x:1\"}]}\n", i, i, i)
	}
	g := graph.New(checktest.Objects(b, sb.String()))
	sel := labels.SelectorFromSet(labels.Set{"app": "a4242"})
	b.ResetTimer()
	for range b.N {
		if len(g.SelectWorkloads("big", sel)) != 1 {
			b.Fatal("wrong answer")
		}
	}
}
