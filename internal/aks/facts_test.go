package aks_test

import (
	"os"
	"reflect"
	"testing"

	"github.com/kubevet/kubevet/internal/aks"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// TestFacts builds the fact objects of fixtures and reads them back from a
// graph, as the checks of internal/checks/aksjoin do.
func TestFacts(t *testing.T) {
	for _, tc := range []struct {
		file string
		want aks.Facts
	}{{
		file: "testdata/cli-bad.json",
		want: aks.Facts{
			Name: "aks-cli-bad", File: "testdata/cli-bad.json", NetworkPolicy: "cilium", OutboundType: "managedNATGateway", WorkloadIdentity: true,
			AgentPools: []aks.PoolFacts{
				{Name: "syswin", Mode: "System", OSType: "Windows", OSSKU: "Windows2019", AvailabilityZones: []string{"1", "2", "3"}, NodeTaints: []string{"CriticalAddonsOnly=true:NoSchedule"}},
				{Name: "w22", Mode: "User", OSType: "Windows", OSSKU: "Windows2022", AvailabilityZones: []string{"1", "2", "3"}},
			},
		},
	}, {
		// Expressions kubevet cannot resolve are unknown facts.
		file: "testdata/arm-bad.json",
		want: aks.Facts{
			Name: "aks-arm-bad", File: "testdata/arm-bad.json", OutboundType: "loadBalancer",
			AgentPools: []aks.PoolFacts{
				{Name: "system", Mode: "System", OSType: "Linux"},
				{Name: "gpu", Mode: "User", OSType: "Linux", AvailabilityZones: []string{"1", "2", "3"}},
			},
			Unknown: []string{"networkPolicy"},
		},
	}} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			clusters, err := aks.Parse(tc.file, data)
			if err != nil {
				t.Fatal(err)
			}
			var objs []*manifest.Object
			for _, c := range clusters {
				o := c.FactObject()
				if o == nil || o.Namespace != "" || o.APIVersion != aks.APIVersion || o.Kind != aks.ObjectKind {
					t.Fatalf("fact object %+v", o)
				}
				o.Detach()
				objs = append(objs, o)
			}
			got := aks.ClusterFacts(graph.New(objs))
			if len(got) != 1 || !reflect.DeepEqual(*got[0], tc.want) {
				t.Errorf("facts\n got %+v\nwant %+v", got[0], tc.want)
			}
		})
	}
	if aks.ClusterFacts(graph.New(nil)) != nil {
		t.Error("facts without a cluster")
	}
}

func TestFactsAccessors(t *testing.T) {
	f := aks.Facts{NetworkPolicy: "none", AgentPools: []aks.PoolFacts{{Name: "a", Unknown: []string{"availabilityZones"}}}}
	if on, known := f.HasNetworkPolicyEngine(); on || !known {
		t.Errorf("networkPolicy none: engine %t, known %t", on, known)
	}
	if f.Outbound() != "loadBalancer" {
		t.Errorf("unset outbound type: %q", f.Outbound())
	}
	if f.PoolsKnown("availabilityZones") || !f.PoolsKnown("osType") {
		t.Error("PoolsKnown")
	}
	f = aks.Facts{Unknown: []string{"networkPolicy", "outboundType", "agentPools"}}
	if _, known := f.HasNetworkPolicyEngine(); known || f.Outbound() != "" || f.PoolsKnown("osType") {
		t.Error("unknown facts read as known")
	}
}
