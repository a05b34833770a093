package plan

import (
	"os"
	"strings"
	"testing"
)

func readFixture(t *testing.T, name string) *Cluster {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ReadCluster(data, name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReadClusterARM(t *testing.T) {
	c := readFixture(t, "cluster-arm.json")
	mode, err := c.Mode()
	if err != nil || mode != ModeAzure {
		t.Fatalf("mode %s, %v", mode, err)
	}
	pools, err := c.IPPools()
	if err != nil {
		t.Fatal(err)
	}
	// system: 3 nodes, 33% → 1; gpu autoscales to 4, default surge 1;
	// win: 2 nodes, surge 1.
	want := []struct {
		name           string
		nodes, maxPods int
		surge          int
	}{{"system", 3, 30, 1}, {"gpu", 4, 0, 1}, {"win", 2, 0, 1}}
	if len(pools) != len(want) {
		t.Fatalf("%d pools", len(pools))
	}
	for i, w := range want {
		p := pools[i]
		if p.Name != w.name || p.Nodes != w.nodes || p.MaxPods != w.maxPods || p.MaxSurge.Nodes(p.Nodes) != w.surge {
			t.Errorf("pool %d: %+v, want %+v", i, p, w)
		}
	}
	if !pools[1].MaxSurge.Default || pools[0].MaxSurge.Default {
		t.Error("default surge flags")
	}
	f := c.EgressFacts()
	if f.Region != "westeurope" || f.Cloud != CloudPublic || f.Private || !f.Monitoring || f.KeyVault || !f.WorkloadIdentity || !f.Windows || !f.GPU || f.Defender {
		t.Errorf("facts %+v", f)
	}
	if !strings.Contains(f.Evidence["gpu"], "Standard_NC6s_v3") || !strings.Contains(f.Evidence["monitoring"], "addonProfiles.omsagent.enabled in cluster-arm.json") {
		t.Errorf("evidence %v", f.Evidence)
	}
	if c.ServiceCIDR != "10.0.0.0/16" || c.DNSServiceIP != "10.0.0.10" {
		t.Errorf("service range %s %s", c.ServiceCIDR, c.DNSServiceIP)
	}
}

// TestReadClusterCLI reads the az aks show shape: flattened, keys re-cased
// (podSubnetId, dnsServiceIp, podIpAllocationMode).
func TestReadClusterCLI(t *testing.T) {
	c := readFixture(t, "cluster-cli.json")
	mode, err := c.Mode()
	if err != nil || mode != ModePodSubnet {
		t.Fatalf("mode %s, %v", mode, err)
	}
	pools, _ := c.IPPools()
	if len(pools) != 1 || !pools[0].StaticBlock || pools[0].MaxPods != 110 || pools[0].MaxSurge.Nodes(3) != 1 {
		t.Errorf("pools %+v", pools)
	}
	if c.DNSServiceIP != "10.0.0.10" {
		t.Errorf("dnsServiceIp %q", c.DNSServiceIP)
	}
	f := c.EgressFacts()
	if !f.Private || !f.AzurePolicy || !f.Defender || f.Monitoring || f.Windows || f.GPU {
		t.Errorf("facts %+v", f)
	}
}

func TestReadClusterShapes(t *testing.T) {
	cases := []struct {
		name, json string
		mode       Mode
		err        string
	}{
		{"overlay", `{"properties":{"networkProfile":{"networkPlugin":"azure","networkPluginMode":"overlay"},"agentPoolProfiles":[{"count":3}]}}`, ModeOverlay, ""},
		{"kubenet, odd casing", `{"PROPERTIES":{"NetworkProfile":{"NETWORKPLUGIN":"kubenet"},"agentpoolprofiles":[{"Count":3}]}}`, ModeKubenet, ""},
		{"az aks list of one", `[{"networkProfile":{"networkPlugin":"azure"},"agentPoolProfiles":[{"count":3}]}]`, ModeAzure, ""},
		{"list of two", `[{},{}]`, "", "list of 2"},
		{"not a cluster", `{"kind":"Pod"}`, "", "not an AKS cluster"},
		{"not JSON", `apiVersion: v1`, "", "not JSON"},
		{"wrong type", `{"networkProfile":{"networkPlugin":"azure"},"agentPoolProfiles":[{"count":"three"}]}`, "", "agentPoolProfiles[0].count: want a number"},
		{"BYO CNI", `{"networkProfile":{"networkPlugin":"none"},"agentPoolProfiles":[{"count":3}]}`, "", "bring your own CNI"},
		{"no plugin", `{"agentPoolProfiles":[{"count":3}]}`, "", "networkPlugin is not set"},
		{"REST API example, response body", `{"parameters":{"resourceName":"c1"},"responses":{"200":{"body":{"properties":{"networkProfile":{"networkPlugin":"kubenet"},"agentPoolProfiles":[{"count":3}]}}}}}`, ModeKubenet, ""},
		{"REST API example, request only", `{"parameters":{"parameters":{"properties":{"networkProfile":{"networkPlugin":"azure","networkPluginMode":"overlay"},"agentPoolProfiles":[{"count":3}]}}},"responses":{"202":{}}}`, ModeOverlay, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl, err := ReadCluster([]byte(c.json), "x.json")
			if err == nil {
				var m Mode
				m, err = cl.Mode()
				if err == nil && m != c.mode {
					t.Errorf("mode %s, want %s", m, c.mode)
				}
			}
			if (err != nil) != (c.err != "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
				t.Errorf("error %v, want %q", err, c.err)
			}
		})
	}
}

func TestIsGPUSize(t *testing.T) {
	for size, want := range map[string]bool{"Standard_NC6s_v3": true, "standard_nd96asr_v4": true, "Standard_NV12s_v3": true, "Standard_D4s_v5": false, "Standard_E8s_v5": false, "": false} {
		if IsGPUSize(size) != want {
			t.Errorf("IsGPUSize(%q) != %v", size, want)
		}
	}
}
