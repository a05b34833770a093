package cluster_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	clusterchecks "github.com/kubevet/kubevet/internal/checks/cluster"
	"github.com/kubevet/kubevet/internal/cluster"
	"github.com/kubevet/kubevet/internal/cluster/testserver"
	"github.com/kubevet/kubevet/internal/manifest"
)

var shared = &testserver.Shared{ClusterRoleFile: "../../deploy/clusterrole.yaml"}

func TestMain(m *testing.M) {
	code := m.Run()
	shared.Close()
	os.Exit(code)
}

func scan(t *testing.T, token string, opt cluster.Options) *cluster.Result {
	t.Helper()
	srv := shared.Get(t)
	res, err := cluster.Scan(context.Background(), srv.Config(token), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func byKind(objs []*manifest.Object) map[string][]*manifest.Object {
	m := map[string][]*manifest.Object{}
	for _, o := range objs {
		m[o.Kind] = append(m[o.Kind], o)
	}
	return m
}

func notes(r *cluster.Result) []string {
	var out []string
	for _, n := range r.Notes {
		out = append(out, n.Kind)
	}
	return out
}

// TestScan reads the fixture cluster with the shipped ClusterRole, two
// objects a page, so that every list of more than two objects is paginated.
func TestScan(t *testing.T) {
	res := scan(t, testserver.KubevetToken, cluster.Options{PageSize: 2})
	if res.ServerVersion != testserver.Version {
		t.Errorf("server version %q, want %s", res.ServerVersion, testserver.Version)
	}
	// The shipped ClusterRole leaves Secrets out on purpose.
	if got := notes(res); !slices.Equal(got, []string{"Secret"}) {
		t.Errorf("notes for %v, want only Secret: %+v", got, res.Notes)
	}
	k := byKind(res.Objects)
	for kind, want := range map[string]int{"Node": 2, "Pod": 7, "Deployment": 3, "ReplicaSet": 3, "PodDisruptionBudget": 1, "ConfigMap": 1} {
		n := 0
		for _, o := range k[kind] {
			if kind != "ConfigMap" || o.Namespace == "shop" {
				n++
			}
		}
		if n != want {
			t.Errorf("%d %s objects, want %d", n, kind, want)
		}
	}
	// Custom kinds: the Rollout carries a pod template and is read; the
	// Widget does not, and is left after one object.
	if len(k["Rollout"]) != 1 || k["Rollout"][0].PodTemplate() == nil || len(k["Widget"]) != 0 {
		t.Errorf("read %d Rollouts, %d Widgets; want 1 with its pod template, 0", len(k["Rollout"]), len(k["Widget"]))
	}
	for _, ns := range []string{"default", "kube-system", "shop"} {
		if !slices.ContainsFunc(k["Namespace"], func(o *manifest.Object) bool { return o.Name == ns }) {
			t.Errorf("namespace %s not listed", ns)
		}
	}
	for _, o := range res.Objects {
		if o.File != "" {
			t.Errorf("%s/%s has file %q", o.Kind, o.Name, o.File)
		}
		if m, ok := o.Typed().(metav1.Object); ok && m.GetManagedFields() != nil {
			t.Errorf("%s/%s keeps its managed fields", o.Kind, o.Name)
		}
		if o.Kind != "Pod" {
			continue
		}
		// Owned pods keep only where they run; the bare pod is checked whole.
		switch p := o.Typed().(type) {
		case *clusterchecks.Placement:
			if p.NodeName == "" || o.Name == "debug" {
				t.Errorf("placement of %s: %+v", o.Name, p)
			}
		case *corev1.Pod:
			if o.Name != "debug" || o.PodTemplate() == nil {
				t.Errorf("pod %s kept whole", o.Name)
			}
		default:
			t.Errorf("pod %s is a %T", o.Name, p)
		}
	}
}

// TestScanViewOnly: under the built-in view ClusterRole, the kinds it may
// not list are reported once each, and everything else is read.
func TestScanViewOnly(t *testing.T) {
	res := scan(t, testserver.ViewerToken, cluster.Options{})
	want := []string{"ClusterRole.rbac.authorization.k8s.io", "ClusterRoleBinding.rbac.authorization.k8s.io", "Node", "Role.rbac.authorization.k8s.io", "RoleBinding.rbac.authorization.k8s.io", "Secret", "~custom"}
	if got := notes(res); !slices.Equal(got, want) {
		t.Errorf("notes for %v, want %v", got, want)
	}
	if m := res.Notes[len(res.Notes)-1].Message; !strings.HasPrefix(m, "2 custom kinds not checked: forbidden (Rollout.argoproj.io, Widget.example.com)") {
		t.Errorf("custom kinds note %q", m)
	}
	for _, n := range res.Notes {
		if !strings.Contains(n.Message, "not checked: forbidden") {
			t.Errorf("note %q does not say forbidden", n.Message)
		}
	}
	k := byKind(res.Objects)
	if len(k["Pod"]) != 7 || len(k["Deployment"]) != 3 || len(k["Node"]) != 0 {
		t.Errorf("read %d pods, %d deployments, %d nodes; want 7, 3, 0", len(k["Pod"]), len(k["Deployment"]), len(k["Node"]))
	}
}

// TestScanNamespace: -n limits namespaced kinds to one namespace and keeps
// the nodes.
func TestScanNamespace(t *testing.T) {
	res := scan(t, testserver.KubevetToken, cluster.Options{Namespace: "shop"})
	k := byKind(res.Objects)
	for _, o := range res.Objects {
		if o.Namespace != "" && o.Namespace != "shop" {
			t.Errorf("%s %s/%s outside shop", o.Kind, o.Namespace, o.Name)
		}
	}
	if len(k["Namespace"]) != 1 || k["Namespace"][0].Name != "shop" || len(k["Node"]) != 2 || len(k["ClusterRole"]) != 0 {
		t.Errorf("namespaces %d, nodes %d, cluster roles %d; want 1 (shop), 2, 0", len(k["Namespace"]), len(k["Node"]), len(k["ClusterRole"]))
	}
}

// TestReadOnly proves from the API server's audit log that scans send get,
// list and watch requests only, and that lists are paginated.
func TestReadOnly(t *testing.T) {
	scan(t, testserver.KubevetToken, cluster.Options{PageSize: 2})
	scan(t, testserver.ViewerToken, cluster.Options{Namespace: "shop"})
	srv := shared.Get(t)
	f, err := os.Open(srv.AuditLog)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	verbs := map[string]int{}
	paged := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev struct {
			Verb       string `json:"verb"`
			RequestURI string `json:"requestURI"`
			User       struct {
				Username string `json:"username"`
			} `json:"user"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("audit log: %v", err)
		}
		if ev.User.Username != testserver.KubevetUser && ev.User.Username != testserver.ViewerUser {
			continue
		}
		verbs[ev.Verb]++
		switch ev.Verb {
		case "get", "list", "watch":
		default:
			t.Errorf("kubevet sent %s %s as %s", ev.Verb, ev.RequestURI, ev.User.Username)
		}
		if strings.Contains(ev.RequestURI, "continue=") {
			paged++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if verbs["list"] == 0 || paged == 0 {
		t.Errorf("audit log shows %v and %d continued lists; want lists and continued pages", verbs, paged)
	}
	t.Logf("requests by verb: %v, %d continued lists", verbs, paged)
}

// TestCoreHasNoClientGo: client-go is a heavy SDK; only this package and
// the command import it.
func TestCoreHasNoClientGo(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "../engine", "../check", "../catalog", "../manifest", "../graph", "../checks/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, "k8s.io/client-go") {
			t.Errorf("the core depends on %s", p)
		}
	}
}
