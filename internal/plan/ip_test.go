package plan

import (
	"net/netip"
	"strings"
	"testing"
)

func prefix(s string) *netip.Prefix {
	p := netip.MustParsePrefix(s)
	return &p
}

func pool(name string, nodes, maxPods int, surge string) Pool {
	s, err := ParseSurge(surge)
	if err != nil {
		panic(err)
	}
	return Pool{Name: name, Nodes: nodes, MaxPods: maxPods, MaxSurge: s}
}

func space(t *testing.T, p *IPPlan, name string) Space {
	t.Helper()
	for _, s := range p.Spaces {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no %s in the plan", name)
	return Space{}
}

func deref(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

// TestWorkedSlash25 is the worked example of spec §3.4, one case per line
// of its table: a /25 (123 usable addresses), no extra addresses, maxSurge
// 1. "perNode" is the table's "IPs per node slot", "slots" its "Node slots
// in /25", "maxNodes" its "Running nodes (after 1 surge)", "pods" its "Pod
// capacity". "nodes" is a node count at which the table's verdict is
// checked. Rows marked derived rest on the dynamic pod-subnet upper bound
// 16 × ceil((P + 8)/16), which the spec derived and marks unverified (§9-8);
// the static-block row's note on reserved /28 blocks is unverified too.
func TestWorkedSlash25(t *testing.T) {
	cases := []struct {
		row       string
		mode      Mode
		static    bool
		maxPods   int
		nodeNet   bool // the /25 is the node subnet (else the pod subnet)
		perNode   int
		slots     int
		maxNodes  int
		pods      int // -1: the table gives none
		nodes     int
		fits      bool
		derived   bool
		bestSlots int // dynamic pod subnet at 16 addresses per node
		bestNodes int
	}{
		{row: "Azure CNI legacy, maxPods 30 (default)", mode: ModeAzure, maxPods: 0, nodeNet: true, perNode: 31, slots: 3, maxNodes: 2, pods: 60, nodes: 3, fits: false},
		{row: "Azure CNI legacy, maxPods 110", mode: ModeAzure, maxPods: 110, nodeNet: true, perNode: 111, slots: 1, maxNodes: 0, pods: -1, nodes: 1, fits: false},
		{row: "Azure CNI legacy, maxPods 10", mode: ModeAzure, maxPods: 10, nodeNet: true, perNode: 11, slots: 11, maxNodes: 10, pods: 100, nodes: 10, fits: true},
		{row: "Kubenet, maxPods 110", mode: ModeKubenet, maxPods: 110, nodeNet: true, perNode: 1, slots: 123, maxNodes: 122, pods: 13420, nodes: 122, fits: true},
		{row: "Azure CNI Overlay, maxPods 250", mode: ModeOverlay, maxPods: 250, nodeNet: true, perNode: 1, slots: 123, maxNodes: 122, pods: 30500, nodes: 122, fits: true},
		{row: "CNI dynamic pod subnet, /25 as node subnet, maxPods 110", mode: ModePodSubnet, maxPods: 110, nodeNet: true, perNode: 1, slots: 123, maxNodes: 122, pods: -1, nodes: 122, fits: true},
		{row: "CNI dynamic pod subnet, /25 as pod subnet, maxPods 30 (derived)", mode: ModePodSubnet, maxPods: 30, nodeNet: false, perNode: 48, slots: 2, maxNodes: 1, pods: -1, nodes: 3, fits: false, derived: true, bestSlots: 7, bestNodes: 6},
		{row: "CNI static block, /25 as pod subnet, maxPods 31", mode: ModePodSubnet, static: true, maxPods: 31, nodeNet: false, perNode: 32, slots: 3, maxNodes: 2, pods: 62, nodes: 3, fits: false},
	}
	for _, c := range cases {
		t.Run(c.row, func(t *testing.T) {
			p := pool("pool", c.nodes, c.maxPods, "")
			p.StaticBlock = c.static
			in := IPInput{Mode: c.mode, Pools: []Pool{p}}
			name := "node subnet"
			if c.nodeNet {
				in.Subnet = prefix("10.0.0.0/25")
			} else {
				in.PodSubnet = prefix("10.1.0.0/25")
				name = "pod subnet"
			}
			got, err := PlanIP(in)
			if err != nil {
				t.Fatal(err)
			}
			sp := space(t, got, name)
			if deref(sp.Available) != 123 {
				t.Errorf("usable = %d, want 123", deref(sp.Available))
			}
			per := sp.cost(Pool{MaxPods: got.Pools[0].MaxPods, StaticBlock: c.static})
			if per != c.perNode {
				t.Errorf("addresses per node slot = %d, want %d", per, c.perNode)
			}
			pp := got.Pools[0]
			if deref(pp.NodeSlots) != c.slots || deref(pp.MaxNodes) != c.maxNodes {
				t.Errorf("node slots %d, running nodes %d; want %d, %d", deref(pp.NodeSlots), deref(pp.MaxNodes), c.slots, c.maxNodes)
			}
			if c.pods >= 0 && deref(pp.PodCapacity) != c.pods {
				t.Errorf("pod capacity %d, want %d", deref(pp.PodCapacity), c.pods)
			}
			if got.Fits != c.fits {
				t.Errorf("at %d nodes: fits = %v, want %v; problems: %+v", c.nodes, got.Fits, c.fits, got.Problems)
			}
			if sp.Derived != c.derived {
				t.Errorf("derived = %v, want %v", sp.Derived, c.derived)
			}
			if c.derived && (deref(pp.NodeSlotsBestCase) != c.bestSlots || deref(pp.MaxNodesBestCase) != c.bestNodes) {
				t.Errorf("best case: %d slots, %d nodes; want %d, %d", deref(pp.NodeSlotsBestCase), deref(pp.MaxNodesBestCase), c.bestSlots, c.bestNodes)
			}
		})
	}
}

// TestWorkedSlash25Details covers the verdict text of the table's rows.
func TestWorkedSlash25Details(t *testing.T) {
	// Legacy, default 30: a system pool of 2 takes every slot, so no user
	// pool fits.
	got, _ := PlanIP(IPInput{Mode: ModeAzure, Subnet: prefix("10.0.0.0/25"), Pools: []Pool{pool("system", 2, 0, ""), pool("user", 1, 0, "")}})
	if got.Fits {
		t.Error("legacy /25: a system pool of 2 and a user pool of 1 fit")
	}
	if !hasProblem(got, Fail, "use a /24 or larger") || !hasProblem(got, Fail, "Azure CNI Overlay, which needs only 5 addresses") {
		t.Errorf("legacy /25 problems: %+v", got.Problems)
	}
	// Legacy, maxPods 10: "system 3 + user 7" fits with one surge in flight
	// (the table's assumption) but not when both pools surge at once
	// (the §3.2 formula).
	pools := []Pool{pool("system", 3, 10, ""), pool("user", 7, 10, "")}
	one, _ := PlanIP(IPInput{Mode: ModeAzure, Subnet: prefix("10.0.0.0/25"), Pools: pools, OneUpgradeAtATime: true})
	if !one.Fits || space(t, one, "node subnet").Required != 121 {
		t.Errorf("system 3 + user 7, one upgrade at a time: %+v", one)
	}
	if !hasProblem(one, Warn, "above 80%") {
		t.Errorf("98%% used and no warning: %+v", one.Problems)
	}
	all, _ := PlanIP(IPInput{Mode: ModeAzure, Subnet: prefix("10.0.0.0/25"), Pools: pools})
	if all.Fits || space(t, all, "node subnet").Required != 132 {
		t.Errorf("system 3 + user 7, both surging: required %d, fits %v", space(t, all, "node subnet").Required, all.Fits)
	}
	// Kubenet passes on addresses but warns NET-04.
	kn, _ := PlanIP(IPInput{Mode: ModeKubenet, Subnet: prefix("10.0.0.0/25"), Pools: []Pool{pool("p", 122, 110, "")}})
	if !kn.Fits || !hasProblem(kn, Warn, "2028-03-31") {
		t.Errorf("kubenet: %+v", kn)
	}
	if pc := space(t, kn, "pod CIDR"); deref(pc.Available) != 256 || !pc.Default {
		t.Errorf("kubenet default pod CIDR: %+v", pc)
	}
	// Overlay: 123 node slots need a pod CIDR with 123 /24s, a /17.
	ov, _ := PlanIP(IPInput{Mode: ModeOverlay, Subnet: prefix("10.0.0.0/25"), Pools: []Pool{pool("p", 122, 250, "")}})
	if pc := space(t, ov, "pod CIDR"); pc.Required != 123 || pc.MinPrefix != 17 {
		t.Errorf("overlay pod CIDR: required %d /24s, min /%d; want 123, /17", pc.Required, pc.MinPrefix)
	}
	small, _ := PlanIP(IPInput{Mode: ModeOverlay, Subnet: prefix("10.0.0.0/25"), PodCIDR: prefix("10.244.0.0/18"), Pools: []Pool{pool("p", 122, 250, "")}})
	if small.Fits {
		t.Error("overlay with a /18 pod CIDR (64 /24s) fits 123 nodes")
	}
	// Static block: 8 /28 blocks in a /25, 6 if the reserved ones are lost.
	sb := pool("p", 2, 31, "")
	sb.StaticBlock = true
	st, _ := PlanIP(IPInput{Mode: ModePodSubnet, PodSubnet: prefix("10.1.0.0/25"), Pools: []Pool{sb}})
	if !st.Fits || !hasProblem(st, Info, "8 /28 blocks") || !hasProblem(st, Info, "6 are free (unverified") {
		t.Errorf("static block: %+v", st)
	}
}

func hasProblem(p *IPPlan, l Level, text string) bool {
	for _, pr := range p.Problems {
		if pr.Level == l && strings.Contains(pr.Message, text) {
			return true
		}
	}
	return false
}

// TestDocExamples are the examples the AKS docs give (spec §3.3).
func TestDocExamples(t *testing.T) {
	cases := []struct {
		name      string
		in        IPInput
		required  int
		minPrefix int
		maxNodes  int // -1: not checked
		pods      int
	}{
		{"legacy CNI, 50 nodes, 30 pods, surge 1 → 1,581, /21",
			IPInput{Mode: ModeAzure, Pools: []Pool{pool("p", 50, 30, "1")}}, 1581, 21, -1, 0},
		{"legacy CNI, planned scale to 60 nodes → 1,891, /21",
			IPInput{Mode: ModeAzure, Pools: []Pool{pool("p", 60, 30, "1")}}, 1891, 21, -1, 0},
		{"kubenet /24: 251 nodes, 27,610 pods at 110 per node (no surge)",
			IPInput{Mode: ModeKubenet, Subnet: prefix("10.0.0.0/24"), Pools: []Pool{pool("p", 251, 110, "0")}}, 251, 24, 251, 27610},
		{"legacy CNI /24: at most 8 nodes, 240 pods at 30 per node (no surge)",
			IPInput{Mode: ModeAzure, Subnet: prefix("10.0.0.0/24"), Pools: []Pool{pool("p", 8, 30, "0")}}, 248, 24, 8, 240},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := PlanIP(c.in)
			if err != nil {
				t.Fatal(err)
			}
			sp := space(t, got, "node subnet")
			if sp.Required != c.required || sp.MinPrefix != c.minPrefix {
				t.Errorf("required %d, /%d; want %d, /%d (%s)", sp.Required, sp.MinPrefix, c.required, c.minPrefix, sp.Calculation)
			}
			if c.maxNodes >= 0 {
				if deref(got.Pools[0].MaxNodes) != c.maxNodes || deref(got.Pools[0].PodCapacity) != c.pods {
					t.Errorf("max nodes %d, pods %d; want %d, %d", deref(got.Pools[0].MaxNodes), deref(got.Pools[0].PodCapacity), c.maxNodes, c.pods)
				}
				if !got.Fits {
					t.Errorf("does not fit: %+v", got.Problems)
				}
			}
		})
	}
}

func TestMinPrefixAndUsable(t *testing.T) {
	cases := []struct{ required, want int }{
		{0, 29}, {3, 29}, {4, 28}, {11, 28}, {12, 27}, {123, 25}, {124, 24}, {251, 24}, {252, 23}, {1581, 21}, {2043, 21}, {2044, 20},
	}
	for _, c := range cases {
		if got := MinPrefix(c.required); got != c.want {
			t.Errorf("MinPrefix(%d) = /%d, want /%d", c.required, got, c.want)
		}
		if Usable(c.want) < c.required {
			t.Errorf("/%d holds %d, less than %d", c.want, Usable(c.want), c.required)
		}
	}
	if Usable(25) != 123 || Usable(24) != 251 || Usable(32) != 0 {
		t.Errorf("Usable: /25 %d, /24 %d, /32 %d", Usable(25), Usable(24), Usable(32))
	}
}

func TestSurge(t *testing.T) {
	cases := []struct {
		in    string
		nodes int
		want  int
		err   bool
	}{
		{"", 10, 1, false},
		{"", 0, 0, false},
		{"3", 10, 3, false},
		{"0", 10, 0, false},
		{"33%", 10, 4, false}, // 3.3 rounded up
		{"33%", 3, 1, false},  // 0.99 rounded up
		{"10%", 50, 5, false},
		{"100%", 7, 7, false},
		{"50 %", 0, 0, true},
		{"-1", 0, 0, true},
		{"x", 0, 0, true},
	}
	for _, c := range cases {
		s, err := ParseSurge(c.in)
		if (err != nil) != c.err {
			t.Errorf("ParseSurge(%q) error %v, want error %v", c.in, err, c.err)
			continue
		}
		if err == nil && s.Nodes(c.nodes) != c.want {
			t.Errorf("%q of %d nodes = %d, want %d", c.in, c.nodes, s.Nodes(c.nodes), c.want)
		}
	}
}

func TestPercentSurgeMaxNodes(t *testing.T) {
	// 33% of N rounded up: N + ceil(0.33 N) ≤ 123 holds up to N = 92.
	got, _ := PlanIP(IPInput{Mode: ModeOverlay, Subnet: prefix("10.0.0.0/25"), Pools: []Pool{pool("p", 10, 0, "33%")}})
	if deref(got.Pools[0].MaxNodes) != 92 {
		t.Errorf("max nodes %d, want 92", deref(got.Pools[0].MaxNodes))
	}
}

func TestPoolRules(t *testing.T) {
	cases := []struct {
		name string
		pool Pool
		text string
	}{
		{"maxPods below 10", pool("p", 5, 8, ""), "outside AKS's range"},
		{"maxPods above 250", pool("p", 5, 251, ""), "outside AKS's range"},
		{"too little pod room", pool("p", 2, 10, ""), "at least 30 pods"},
	}
	for _, c := range cases {
		got, _ := PlanIP(IPInput{Mode: ModeOverlay, Subnet: prefix("10.0.0.0/16"), Pools: []Pool{c.pool}})
		if got.Fits || !hasProblem(got, Fail, c.text) {
			t.Errorf("%s: fits %v, problems %+v", c.name, got.Fits, got.Problems)
		}
	}
	ok, _ := PlanIP(IPInput{Mode: ModeOverlay, Subnet: prefix("10.0.0.0/16"), Pools: []Pool{pool("p", 3, 10, "")}})
	if !ok.Fits {
		t.Errorf("3 nodes × 10 pods: %+v", ok.Problems)
	}
}

func TestKubenetRouteLimit(t *testing.T) {
	// The default /16 pod CIDR (256 /24s) would stop at 255 nodes first.
	got, _ := PlanIP(IPInput{Mode: ModeKubenet, Subnet: prefix("10.0.0.0/20"), PodCIDR: prefix("10.248.0.0/15"), Pools: []Pool{pool("p", 400, 110, "")}})
	if got.Fits || !hasProblem(got, Fail, "401 nodes") {
		t.Errorf("401 kubenet nodes: %+v", got.Problems)
	}
	if deref(got.Pools[0].MaxNodes) != 399 {
		t.Errorf("max nodes %d, want 399", deref(got.Pools[0].MaxNodes))
	}
}

func TestServiceRanges(t *testing.T) {
	addr := func(s string) *netip.Addr { a := netip.MustParseAddr(s); return &a }
	base := func() IPInput {
		return IPInput{Mode: ModeOverlay, Subnet: prefix("10.0.0.0/24"), Pools: []Pool{pool("p", 3, 0, "")}}
	}
	cases := []struct {
		name string
		mod  func(*IPInput)
		text string // "" means no NET-06 problem
	}{
		{"good", func(in *IPInput) { in.ServiceCIDR, in.DNSServiceIP = prefix("10.96.0.0/16"), addr("10.96.0.10") }, ""},
		{"too large", func(in *IPInput) { in.ServiceCIDR = prefix("10.96.0.0/12") }, "smaller than /12"},
		{"/13 is fine", func(in *IPInput) { in.ServiceCIDR = prefix("10.96.0.0/13") }, ""},
		{"DNS outside", func(in *IPInput) { in.ServiceCIDR, in.DNSServiceIP = prefix("10.96.0.0/16"), addr("10.97.0.10") }, "not inside"},
		{"DNS first address", func(in *IPInput) { in.ServiceCIDR, in.DNSServiceIP = prefix("10.96.0.0/16"), addr("10.96.0.1") }, "kubernetes.default"},
		{"DNS network address", func(in *IPInput) { in.ServiceCIDR, in.DNSServiceIP = prefix("10.96.0.0/16"), addr("10.96.0.0") }, "network address"},
		{"overlaps the subnet", func(in *IPInput) { in.ServiceCIDR = prefix("10.0.0.0/16") }, "node subnet 10.0.0.0/24 overlaps service CIDR"},
		{"overlaps the pod CIDR", func(in *IPInput) { in.ServiceCIDR = prefix("10.244.0.0/16") }, "pod CIDR 10.244.0.0/16 overlaps service CIDR"},
		{"pod CIDR overlaps the subnet", func(in *IPInput) { in.PodCIDR = prefix("10.0.0.0/16") }, "node subnet 10.0.0.0/24 overlaps pod CIDR"},
		{"avoided range", func(in *IPInput) { in.Avoid = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")} }, "overlaps avoided range 1"},
	}
	for _, c := range cases {
		in := base()
		c.mod(&in)
		got, err := PlanIP(in)
		if err != nil {
			t.Fatal(err)
		}
		var net06 []string
		for _, p := range got.Problems {
			if p.Rule == "NET-06" {
				net06 = append(net06, p.Message)
			}
		}
		switch {
		case c.text == "" && len(net06) > 0:
			t.Errorf("%s: unexpected %q", c.name, net06)
		case c.text != "" && !strings.Contains(strings.Join(net06, "\n"), c.text):
			t.Errorf("%s: problems %q do not mention %q", c.name, net06, c.text)
		case c.text != "" && got.Fits:
			t.Errorf("%s: fits", c.name)
		}
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		in   IPInput
		text string
	}{
		{"no pool", IPInput{Mode: ModeAzure}, "no node pool"},
		{"pod subnet with legacy", IPInput{Mode: ModeAzure, Pools: []Pool{pool("p", 1, 0, "")}, PodSubnet: prefix("10.1.0.0/24")}, "only used with --plugin podsubnet"},
		{"pod CIDR with pod subnet", IPInput{Mode: ModePodSubnet, Pools: []Pool{pool("p", 1, 0, "")}, PodCIDR: prefix("10.1.0.0/16")}, "kubenet or overlay"},
		{"IPv6", IPInput{Mode: ModeOverlay, Pools: []Pool{pool("p", 1, 0, "")}, Subnet: prefix("fd00::/64")}, "IPv4"},
		{"duplicate pool", IPInput{Mode: ModeOverlay, Pools: []Pool{pool("p", 1, 0, ""), pool("p", 2, 0, "")}}, "given twice"},
		{"static without pod subnet", IPInput{Mode: ModeOverlay, Pools: []Pool{{Name: "p", Nodes: 1, StaticBlock: true}}}, "static block"},
	}
	for _, c := range cases {
		_, err := PlanIP(c.in)
		if err == nil || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.text)
		}
	}
}

func TestNoRangeGiven(t *testing.T) {
	got, _ := PlanIP(IPInput{Mode: ModePodSubnet, Pools: []Pool{pool("p", 3, 30, "")}})
	if got.Verdict != VerdictNotChecked || !got.Fits || got.Pools[0].MaxNodes != nil {
		t.Errorf("no range: %+v", got)
	}
	ps := space(t, got, "pod subnet")
	// 4 slots × 48 (derived bound) = 192 → /24; minimum 4 × 16 = 64 → /25.
	if ps.Required != 192 || deref(ps.Minimum) != 64 || ps.MinPrefix != 24 || deref(ps.MinPrefixBestCase) != 25 {
		t.Errorf("pod subnet: %+v", ps)
	}
}
