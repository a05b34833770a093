package aksjoin_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kubevet/kubevet/internal/aks"
	"github.com/kubevet/kubevet/internal/aks/terraform"
	"github.com/kubevet/kubevet/internal/catalog"
	aksChecks "github.com/kubevet/kubevet/internal/checks/aks"
	"github.com/kubevet/kubevet/internal/checks/aksjoin"
	"github.com/kubevet/kubevet/internal/engine"
)

// The tests run the engine as kubevet check does, with the AKS handlers,
// on folders that hold cluster configuration next to manifests.

var day = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func runEngine(t *testing.T, paths ...string) *engine.Result {
	t.Helper()
	res, err := engine.Check(context.Background(), paths, engine.Options{
		Checks:   catalog.All(),
		Handlers: []engine.Handler{aks.Handler{}, terraform.Handler{}},
		Now:      day,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

var joinIDs = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range aksjoin.Checks {
		m[c.ID] = true
	}
	return m
}()

// joins returns the findings of the join checks as "file:line check-id",
// sorted.
func joins(res *engine.Result) []string {
	var out []string
	for _, f := range res.Findings {
		if joinIDs[f.Check] {
			out = append(out, fmt.Sprintf("%s:%d %s", filepath.Base(f.File), f.Line, f.Check))
		}
	}
	sort.Strings(out)
	return out
}

func messages(res *engine.Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		if joinIDs[f.Check] {
			fmt.Fprintf(&b, "\n  %s:%d %s %s: %s", filepath.Base(f.File), f.Line, f.Check, f.Path, f.Message)
		}
	}
	return b.String()
}

// cluster is az aks show output with the facts the joins read.
func cluster(networkPolicy, outbound string, identity bool, zones string, windowsSKU string) string {
	win := ""
	if windowsSKU != "" {
		win = fmt.Sprintf(`,
    {"name": "win", "mode": "User", "osType": "Windows", "osSku": %q, "availabilityZones": %s, "count": 2, "vmSize": "Standard_D4s_v5"}`, windowsSKU, zones)
	}
	return fmt.Sprintf(`{
  "name": "aks-test",
  "type": "Microsoft.ContainerService/ManagedClusters",
  "kubernetesVersion": "1.35",
  "agentPoolProfiles": [
    {"name": "system", "mode": "System", "osType": "Linux", "availabilityZones": %s, "count": 3, "vmSize": "Standard_D4s_v5"}%s
  ],
  "networkProfile": {"networkPlugin": "azure", "networkPolicy": %q, "outboundType": %q},
  "oidcIssuerProfile": {"enabled": %t},
  "securityProfile": {"workloadIdentity": {"enabled": %t}}
}
`, zones, win, networkPolicy, outbound, identity, identity)
}

// app has one object for each join; the Windows image tag is a parameter.
func app(windowsTag string) string {
	return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny
  namespace: shop
spec:
  podSelector: {}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
        azure.workload.identity/use: "true"
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels: {app: web}
      containers:
        - name: web
          image: contoso.azurecr.io/web:1.0.0
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
    - port: 443
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy
  namespace: shop
spec:
  selector:
    matchLabels: {app: legacy}
  template:
    metadata:
      labels: {app: legacy}
    spec:
      nodeSelector:
        kubernetes.io/os: windows
      containers:
        - name: legacy
          image: contoso.azurecr.io/legacy:4.8-` + windowsTag + `
`
}

// Lines of app's objects where the joins report.
const (
	lineNetpol   = "app.yaml:2 aks-network-policy-not-enforced"
	lineIdentity = "app.yaml:22 aks-workload-identity-disabled"
	lineZone     = "app.yaml:26 aks-zone-spread-single-zone"
	lineLB       = "app.yaml:40 aks-internal-lb-outbound"
	lineWinPool  = "app.yaml:58 aks-windows-pool-missing"
	lineWinImage = "app.yaml:61 aks-windows-image-os-mismatch"
)

const terraformBad = `variable "policy" {}

resource "azurerm_kubernetes_cluster" "main" {
  name                = "aks-tf"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "tf"
  kubernetes_version  = "1.35"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin = "azure"
    network_policy = %s
    outbound_type  = "userDefinedRouting"
  }
}
`

// joinCases are inputs with their join findings, "file:line check-id".
var joinCases = []struct {
	name  string
	files map[string]string
	want  []string
}{{
	name:  "az aks show, every join fails but the image",
	files: map[string]string{"cluster.json": cluster("none", "userDefinedRouting", false, `["1"]`, ""), "app.yaml": app("ltsc2022")},
	want:  []string{lineNetpol, lineIdentity, lineZone, lineLB, lineWinPool},
}, {
	name:  "az aks show, well configured",
	files: map[string]string{"cluster.json": cluster("azure", "loadBalancer", true, `["1", "2", "3"]`, "Windows2022"), "app.yaml": app("ltsc2022")},
}, {
	name:  "Windows2022 pool, ltsc2019 image",
	files: map[string]string{"cluster.json": cluster("cilium", "managedNATGateway", true, `["1", "2", "3"]`, "Windows2022"), "app.yaml": app("windowsservercore-ltsc2019")},
	want:  []string{lineWinImage},
}, {
	name:  "Windows2019 pool, ltsc2022 image, unset network policy",
	files: map[string]string{"cluster.json": strings.Replace(cluster("", "", true, `["2"]`, "Windows2019"), `"networkPolicy": "", "outboundType": ""`, `"networkDataplane": "azure"`, 1), "app.yaml": app("ltsc2022")},
	want:  []string{lineNetpol, lineZone, lineWinImage},
}, {
	name:  "no cluster in the input",
	files: map[string]string{"app.yaml": app("ltsc2019")},
}, {
	name:  "cluster alone",
	files: map[string]string{"cluster.json": cluster("none", "userDefinedRouting", false, `["1"]`, "")},
}, {
	name:  "Terraform",
	files: map[string]string{"main.tf": fmt.Sprintf(terraformBad, `"none"`), "app.yaml": app("ltsc2022")},
	want:  []string{lineNetpol, lineIdentity, lineZone, lineLB, lineWinPool},
}, {
	name:  "Terraform, network policy from a variable without default",
	files: map[string]string{"main.tf": fmt.Sprintf(terraformBad, `var.policy`), "app.yaml": app("ltsc2022")},
	want:  []string{lineIdentity, lineZone, lineLB, lineWinPool},
}}

func TestJoins(t *testing.T) {
	for _, tc := range joinCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res := runEngine(t, dir)
			got := joins(res)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("join findings differ\n got: %q\nwant: %q%s", got, want, messages(res))
			}
			for _, f := range res.Findings {
				if f.Object.Kind == aks.ObjectKind && !isAKSCheck(f.Check) {
					t.Errorf("a fact object got a finding of %s: %s", f.Check, f.Message)
				}
			}
			if _, ok := tc.files["app.yaml"]; ok && res.Objects != 4 {
				t.Errorf("objects read: %d, want the 4 of app.yaml (fact objects are not counted)", res.Objects)
			}
		})
	}
}

func isAKSCheck(id string) bool {
	for _, c := range aksChecks.Checks {
		if c.ID == id {
			return true
		}
	}
	return false
}

// TestEveryJoinFiresAndStaysQuiet requires each join check to fire in
// some case of the table and to stay quiet in another that holds a
// cluster and manifests.
func TestEveryJoinFiresAndStaysQuiet(t *testing.T) {
	fired, quiet := map[string]bool{}, map[string]bool{}
	for _, tc := range joinCases {
		in := map[string]bool{}
		for _, w := range tc.want {
			id := w[strings.LastIndexByte(w, ' ')+1:]
			in[id], fired[id] = true, true
		}
		_, manifests := tc.files["app.yaml"]
		if manifests && len(tc.files) > 1 {
			for id := range joinIDs {
				quiet[id] = quiet[id] || !in[id]
			}
		}
	}
	for id := range joinIDs {
		if !fired[id] || !quiet[id] {
			t.Errorf("%s: fires in the table %t, stays quiet %t; want both", id, fired[id], quiet[id])
		}
	}
}

// TestExample keeps examples/aks honest: the prod cluster (az aks show)
// and the staging cluster (Terraform) each break some joins.
func TestExample(t *testing.T) {
	res := runEngine(t, filepath.Join("..", "..", "..", "examples", "aks"))
	want := []string{
		"app.yaml:3 aks-network-policy-not-enforced",
		"app.yaml:25 aks-workload-identity-disabled",
		"app.yaml:30 aks-zone-spread-single-zone",
		"app.yaml:47 aks-internal-lb-outbound",
		"app.yaml:69 aks-windows-pool-missing",
		"app.yaml:72 aks-windows-image-os-mismatch",
	}
	sort.Strings(want)
	if got := joins(res); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("examples/aks: join findings differ\n got: %q\nwant: %q%s", got, want, messages(res))
	}
	for _, n := range res.Notes {
		if n.Level != engine.NoteInfo {
			t.Errorf("examples/aks: note %s:%d %s", n.File, n.Line, n.Message)
		}
	}
}
