package plan

import (
	"bytes"
	"testing"
)

// TestIPGoldens pins the text and JSON output of two plans: the HCLTech
// /25 with legacy Azure CNI (does not fit), and a pod-subnet cluster that
// mixes dynamic and static-block pools.
func TestIPGoldens(t *testing.T) {
	static := pool("user", 5, 31, "33%")
	static.StaticBlock = true
	cases := []struct {
		file, format string
		in           IPInput
	}{
		{"ip-legacy-25.txt.golden", "text", IPInput{Mode: ModeAzure, Subnet: prefix("10.0.0.0/25"), Pools: []Pool{pool("system", 2, 0, ""), pool("user", 3, 0, "")}}},
		{"ip-podsubnet.txt.golden", "text", IPInput{Mode: ModePodSubnet, Subnet: prefix("10.0.0.0/27"), PodSubnet: prefix("10.1.0.0/24"), Extra: 2,
			Pools: []Pool{pool("system", 3, 30, "1"), static}, ServiceCIDR: prefix("10.96.0.0/16")}},
		{"ip-podsubnet.json.golden", "json", IPInput{Mode: ModePodSubnet, Subnet: prefix("10.0.0.0/27"), PodSubnet: prefix("10.1.0.0/24"), Extra: 2,
			Pools: []Pool{pool("system", 3, 30, "1"), static}, ServiceCIDR: prefix("10.96.0.0/16")}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			p, err := PlanIP(c.in)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := IPFormats[c.format](&b, p); err != nil {
				t.Fatal(err)
			}
			golden(t, c.file, b.Bytes())
		})
	}
}
