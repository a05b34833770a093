// Package plan holds kubevet's generators: the AKS IP address plan (rule
// NET-05) and the egress firewall allow-list (rule NET-11). Both are pure
// functions of a small set of cluster facts, which come from flags or from
// an AKS configuration file (see ReadCluster); rendering is separate from
// computing, and nothing here prints or exits.
//
// The formulas and the rule list are those of the rule map,
// ../shared/spec/aks-rules.md sections 2 and 3.
package plan

import (
	"errors"
	"fmt"
	"math/bits"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Mode is the cluster's network mode, which decides where node and pod
// addresses come from (spec §3.2).
type Mode string

// Network modes.
const (
	// ModeAzure is Azure CNI with pods in the node subnet ("legacy"):
	// networkPlugin azure, no networkPluginMode, no pool podSubnetID.
	ModeAzure Mode = "azure"
	// ModeKubenet is kubenet: nodes in the subnet, pods from podCidr.
	ModeKubenet Mode = "kubenet"
	// ModeOverlay is Azure CNI Overlay: nodes in the subnet, a /24 of
	// podCidr per node.
	ModeOverlay Mode = "overlay"
	// ModePodSubnet is Azure CNI with a separate pod subnet; each pool
	// allocates dynamically or in static /28 blocks (Pool.StaticBlock).
	ModePodSubnet Mode = "podsubnet"
)

// Modes lists the modes in the order flags and docs show them.
var Modes = []Mode{ModeAzure, ModeKubenet, ModeOverlay, ModePodSubnet}

// ParseMode reads a --plugin value.
func ParseMode(s string) (Mode, error) {
	for _, m := range Modes {
		if strings.EqualFold(s, string(m)) {
			return m, nil
		}
	}
	names := make([]string, len(Modes))
	for i, m := range Modes {
		names[i] = string(m)
	}
	return "", fmt.Errorf("unknown network plugin %q (want one of %s)", s, strings.Join(names, ", "))
}

// Title is the mode's name for people.
func (m Mode) Title() string {
	switch m {
	case ModeAzure:
		return "Azure CNI, pods in the node subnet (legacy)"
	case ModeKubenet:
		return "kubenet"
	case ModeOverlay:
		return "Azure CNI Overlay"
	case ModePodSubnet:
		return "Azure CNI with a pod subnet"
	}
	return string(m)
}

// DefaultMaxPods is the maxPods AKS gives a pool that sets none, per mode
// (DOCS concepts-network-ip-address-planning.md, spec §3.1).
func (m Mode) DefaultMaxPods() int {
	switch m {
	case ModeOverlay:
		return 250
	case ModeAzure:
		return 30
	}
	return 110 // kubenet, pod subnet
}

// DefaultPodCIDR is the podCidr kubenet and overlay clusters get when none
// is given (SPEC default 10.244.0.0/16).
var DefaultPodCIDR = netip.MustParsePrefix("10.244.0.0/16")

// Limits from the spec.
const (
	// AzureReserved is the number of addresses Azure keeps in every
	// subnet: the first four and the last (spec §3.1).
	AzureReserved = 5
	// MinMaxPods and MaxMaxPods bound maxPods (NET-05).
	MinMaxPods = 10
	MaxMaxPods = 250
	// MinPodsPerPool is the pod room a pool needs when maxPods is low:
	// maxPods × nodes ≥ 30 (NET-05).
	MinPodsPerPool = 30
	// KubenetMaxNodes is kubenet's node limit (one UDR route per node).
	KubenetMaxNodes = 400
	// WarnAbove is the share of a range above which the plan warns.
	WarnAbove = 0.80
	// smallestSubnet is the longest prefix an Azure subnet may have.
	smallestSubnet = 29
	// staticLargestPodSubnet is the shortest pod-subnet prefix static
	// block allocation accepts ("max subnet /12").
	staticLargestPodSubnet = 12
	// maxSearchNodes bounds the search for the largest node count.
	maxSearchNodes = 1 << 24
)

// Surge is a pool's upgradeSettings.maxSurge: a node count or a percentage
// of the pool's size, rounded up (SPEC AgentPoolUpgradeSettings).
type Surge struct {
	Value   int
	Percent bool
	// Default is set when the pool gave no maxSurge and 1 is assumed
	// (SPEC and upgrade-aks-node-pools-rolling.md; spec §9-4 notes other
	// docs saying 10%).
	Default bool
}

// DefaultSurge is what a pool without maxSurge gets.
var DefaultSurge = Surge{Value: 1, Default: true}

// ParseSurge reads "3", "33%" or "" (the default, 1).
func ParseSurge(s string) (Surge, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultSurge, nil
	}
	pct := strings.HasSuffix(s, "%")
	n, err := strconv.Atoi(strings.TrimSuffix(s, "%"))
	if err != nil || n < 0 {
		return Surge{}, fmt.Errorf("max surge %q is not a node count or a percentage such as 33%%", s)
	}
	return Surge{Value: n, Percent: pct}, nil
}

// Nodes is the number of surge nodes for a pool of n nodes. A pool of no
// nodes has nothing to upgrade.
func (s Surge) Nodes(n int) int {
	if n <= 0 {
		return 0
	}
	if s.Percent {
		return (n*s.Value + 99) / 100
	}
	return s.Value
}

func (s Surge) String() string {
	v := strconv.Itoa(s.Value)
	if s.Percent {
		v += "%"
	}
	if s.Default {
		v += " (default)"
	}
	return v
}

// Pool is one node pool's facts.
type Pool struct {
	Name string
	// Nodes is the count to plan for: count, or maxCount when the pool
	// autoscales.
	Nodes int
	// MaxPods is the pool's maxPods, 0 for the mode's default.
	MaxPods  int
	MaxSurge Surge
	// StaticBlock is set for pod-subnet pools that allocate pod IPs in
	// static /28 blocks (podIPAllocationMode StaticBlock).
	StaticBlock bool
}

// IPInput is what an IP plan is computed from.
type IPInput struct {
	Mode  Mode
	Pools []Pool
	// Subnet is the node subnet (the cluster subnet), if known.
	Subnet *netip.Prefix
	// PodSubnet is the pod subnet (pod-subnet mode), if known.
	PodSubnet *netip.Prefix
	// PodCIDR is the overlay/kubenet pod range; nil means the default.
	PodCIDR *netip.Prefix
	// Extra counts other addresses taken from the node subnet: internal
	// load balancer front ends, private endpoints, headroom.
	Extra int
	// OneUpgradeAtATime counts the surge of only one pool (the largest),
	// as when pools are upgraded one after the other; by default every
	// pool's surge is counted, as the formulas of spec §3.2 do.
	OneUpgradeAtATime bool
	// ServiceCIDR and DNSServiceIP are checked against spec §3.2 when set.
	ServiceCIDR  *netip.Prefix
	DNSServiceIP *netip.Addr
	// Avoid lists ranges nothing may overlap: peered VNets, on-premises,
	// VPN ranges.
	Avoid []netip.Prefix
}

// Level is how bad a problem is.
type Level string

// Levels.
const (
	Fail Level = "fail"
	Warn Level = "warning"
	Info Level = "info"
)

// Problem is one thing the plan found, with the rule it serves.
type Problem struct {
	Level   Level  `json:"level"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// PoolPlan is a pool as planned.
type PoolPlan struct {
	Name     string `json:"name"`
	Nodes    int    `json:"nodes"`
	MaxSurge string `json:"maxSurge"`
	// MaxSurgeDefault is set when the pool gave no maxSurge (1 assumed).
	MaxSurgeDefault bool `json:"maxSurgeDefault,omitempty"`
	SurgeNodes      int  `json:"surgeNodes"`
	MaxPods         int  `json:"maxPods"`
	MaxPodsDefault  bool `json:"maxPodsDefault,omitempty"`
	StaticBlock     bool `json:"staticBlock,omitempty"`
	// NodeSlots is how many nodes (running and surge) of this pool the
	// given ranges hold next to the other pools; MaxNodes is the largest
	// node count that still leaves room for its surge. Both are nil when
	// no range was given. For dynamic pod subnets they use the
	// conservative per-node bound; the BestCase fields use 16 per node.
	NodeSlots         *int `json:"nodeSlots"`
	MaxNodes          *int `json:"maxNodes"`
	PodCapacity       *int `json:"podCapacity"`
	NodeSlotsBestCase *int `json:"nodeSlotsBestCase,omitempty"`
	MaxNodesBestCase  *int `json:"maxNodesBestCase,omitempty"`
}

// Space kinds: a VNet subnet (Azure keeps 5 addresses) or a pod CIDR
// carved into one /24 per node.
const (
	KindSubnet  = "subnet"
	KindPodCIDR = "podCIDR"
)

// Space is one address range the plan needs: the node subnet, the pod
// subnet or the pod CIDR.
type Space struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Prefix string `json:"prefix,omitempty"`
	// Default is set when Prefix is the default pod CIDR.
	Default bool `json:"default,omitempty"`
	// Unit is what Required and Available count: addresses, or /24 blocks.
	Unit        string `json:"unit"`
	Formula     string `json:"formula"`
	Calculation string `json:"calculation"`
	Required    int    `json:"required"`
	// Minimum is the dynamic pod subnet's lower bound (16 per node); then
	// Required is the conservative bound, derived and unverified.
	Minimum   *int `json:"minimum,omitempty"`
	Derived   bool `json:"derived,omitempty"`
	Available *int `json:"available"`
	// Reserved is the Azure-reserved address count taken out of a subnet.
	Reserved int      `json:"reserved,omitempty"`
	Used     *float64 `json:"used"`
	// MinPrefix is the longest prefix (smallest range) that holds Required.
	MinPrefix         int   `json:"minPrefix"`
	MinPrefixBestCase *int  `json:"minPrefixBestCase,omitempty"`
	Fits              *bool `json:"fits"`
	MinimumFits       *bool `json:"minimumFits,omitempty"`

	prefix *netip.Prefix
	// cost is the per-node-slot cost of pool i in this space; best is
	// the best-case cost (dynamic pod subnet) or nil.
	cost, best func(p Pool) int
	expr       func(p Pool) string
	perNode    string // the per-node factor in the formula
	extra      int
}

// IPPlan is the result of PlanIP.
type IPPlan struct {
	SchemaVersion     string     `json:"schemaVersion"`
	Mode              Mode       `json:"mode"`
	ModeTitle         string     `json:"modeTitle"`
	OneUpgradeAtATime bool       `json:"oneUpgradeAtATime"`
	Extra             int        `json:"extra"`
	Pools             []PoolPlan `json:"pools"`
	Spaces            []Space    `json:"spaces"`
	Problems          []Problem  `json:"problems"`
	// Verdict is "fits", "does not fit", or "not checked" when no range
	// was given and nothing else failed.
	Verdict string `json:"verdict"`
	Fits    bool   `json:"fits"`
}

// Verdicts.
const (
	VerdictFits       = "fits"
	VerdictDoesNotFit = "does not fit"
	VerdictNotChecked = "not checked"
)

// IPSchema is the JSON schema version of IPPlan.
const IPSchema = "kubevet.io/plan-ip/v1"

// Usable is the number of addresses Azure lets a subnet of this prefix
// length use: 2^(32-prefix) - 5.
func Usable(bitsLen int) int {
	n := 1<<(32-bitsLen) - AzureReserved
	if n < 0 {
		return 0
	}
	return n
}

// MinPrefix is the longest IPv4 prefix whose subnet holds required
// addresses next to Azure's five: 32 - ceil(log2(required + 5)), and never
// longer than /29, the smallest Azure subnet.
func MinPrefix(required int) int {
	p := 32 - ceilLog2(required+AzureReserved)
	if p > smallestSubnet {
		p = smallestSubnet
	}
	return p
}

// ceilLog2 is the smallest k with 2^k >= n (n >= 1).
func ceilLog2(n int) int {
	if n <= 1 {
		return 0
	}
	return bits.Len(uint(n - 1))
}

// podBlocks is how many /24 blocks a pod CIDR of this prefix has.
func podBlocks(p netip.Prefix) int {
	if p.Bits() > 24 {
		return 0
	}
	return 1 << (24 - p.Bits())
}

// ceilDiv is ceil(a/b) for a >= 0, b > 0.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

// dynamicUpper is the conservative per-node pod-subnet use with dynamic
// allocation: 16 × ceil((P + 8)/16) (derived in spec §3.2, unverified).
func dynamicUpper(maxPods int) int { return 16 * ceilDiv(maxPods+8, 16) }

// staticBlocks is B = ceil((P + 1)/16) /28 blocks per node (spec §3.2).
func staticBlocks(maxPods int) int { return ceilDiv(maxPods+1, 16) }

// Validate reports input that is not a plan at all (usage errors).
func (in *IPInput) Validate() error {
	var errs []error
	if len(in.Pools) == 0 {
		errs = append(errs, errors.New("no node pool: give --nodes or --pool"))
	}
	names := map[string]bool{}
	for _, p := range in.Pools {
		if p.Nodes < 0 {
			errs = append(errs, fmt.Errorf("pool %s: node count %d is negative", p.Name, p.Nodes))
		}
		if p.MaxPods < 0 {
			errs = append(errs, fmt.Errorf("pool %s: max pods %d is negative", p.Name, p.MaxPods))
		}
		if names[p.Name] {
			errs = append(errs, fmt.Errorf("pool %s is given twice", p.Name))
		}
		names[p.Name] = true
		if p.StaticBlock && in.Mode != ModePodSubnet {
			errs = append(errs, fmt.Errorf("pool %s: static block allocation needs a pod subnet (--plugin podsubnet)", p.Name))
		}
	}
	if in.Extra < 0 {
		errs = append(errs, fmt.Errorf("extra addresses %d is negative", in.Extra))
	}
	if in.PodSubnet != nil && in.Mode != ModePodSubnet {
		errs = append(errs, fmt.Errorf("a pod subnet is only used with --plugin podsubnet, not %s", in.Mode))
	}
	if in.PodCIDR != nil && in.Mode != ModeKubenet && in.Mode != ModeOverlay {
		errs = append(errs, fmt.Errorf("a pod CIDR is only used with --plugin kubenet or overlay, not %s", in.Mode))
	}
	for _, p := range []*netip.Prefix{in.Subnet, in.PodSubnet, in.PodCIDR, in.ServiceCIDR} {
		if p != nil && !p.Addr().Is4() {
			errs = append(errs, fmt.Errorf("%s: only IPv4 ranges are planned", p))
		}
	}
	return errors.Join(errs...)
}

// PlanIP computes the address plan of spec §3.
func PlanIP(in IPInput) (*IPPlan, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	pools := make([]Pool, len(in.Pools))
	copy(pools, in.Pools)
	plan := &IPPlan{SchemaVersion: IPSchema, Mode: in.Mode, ModeTitle: in.Mode.Title(), OneUpgradeAtATime: in.OneUpgradeAtATime, Extra: in.Extra}
	for i := range pools {
		ms := pools[i].MaxSurge
		ms.Default = false
		pp := PoolPlan{Name: pools[i].Name, Nodes: pools[i].Nodes, MaxSurge: ms.String(), MaxSurgeDefault: pools[i].MaxSurge.Default, StaticBlock: pools[i].StaticBlock}
		if pools[i].MaxPods == 0 {
			pools[i].MaxPods = in.Mode.DefaultMaxPods()
			pp.MaxPodsDefault = true
		}
		pp.MaxPods = pools[i].MaxPods
		pp.SurgeNodes = pools[i].MaxSurge.Nodes(pools[i].Nodes)
		plan.Pools = append(plan.Pools, pp)
	}
	spaces := buildSpaces(in, pools)
	for i := range spaces {
		sp := &spaces[i]
		sp.Required = required(sp, pools, in.OneUpgradeAtATime, sp.cost)
		sp.Formula, sp.Calculation = formula(sp, pools, in.OneUpgradeAtATime)
		if sp.best != nil {
			m := required(sp, pools, in.OneUpgradeAtATime, sp.best)
			sp.Minimum = &m
		}
		sp.MinPrefix = minPrefixFor(sp, sp.Required)
		if sp.Minimum != nil {
			mp := minPrefixFor(sp, *sp.Minimum)
			sp.MinPrefixBestCase = &mp
		}
		if sp.prefix != nil {
			avail := available(sp)
			sp.Available = &avail
			fits := sp.Required <= avail
			sp.Fits = &fits
			if avail > 0 {
				u := float64(sp.Required) / float64(avail)
				sp.Used = &u
			}
			if sp.Minimum != nil {
				mf := *sp.Minimum <= avail
				sp.MinimumFits = &mf
			}
		}
	}
	plan.Spaces = spaces
	for i := range pools {
		fillCapacity(&plan.Pools[i], i, in, pools, spaces)
	}
	plan.Problems = problems(in, pools, spaces)
	rank := map[Level]int{Fail: 0, Warn: 1, Info: 2}
	slices.SortStableFunc(plan.Problems, func(a, b Problem) int { return rank[a.Level] - rank[b.Level] })
	plan.Fits = true
	checked := false
	for _, sp := range spaces {
		checked = checked || sp.Fits != nil
	}
	for _, p := range plan.Problems {
		if p.Level == Fail {
			plan.Fits = false
		}
	}
	switch {
	case !plan.Fits:
		plan.Verdict = VerdictDoesNotFit
	case checked:
		plan.Verdict = VerdictFits
	default:
		plan.Verdict = VerdictNotChecked
	}
	return plan, nil
}

func one(Pool) int             { return 1 }
func oneExpr(Pool) string      { return "1" }
func legacyCost(p Pool) int    { return 1 + p.MaxPods }
func legacyExpr(p Pool) string { return fmt.Sprintf("(1 + %d)", p.MaxPods) }

// podSubnetCost is a pod-subnet pool's conservative per-node use.
func podSubnetCost(p Pool) int {
	if p.StaticBlock {
		return 16 * staticBlocks(p.MaxPods)
	}
	return dynamicUpper(p.MaxPods)
}

func podSubnetExpr(p Pool) string {
	if p.StaticBlock {
		return fmt.Sprintf("16 × ceil((%d + 1)/16)", p.MaxPods)
	}
	return fmt.Sprintf("16 × ceil((%d + 8)/16)", p.MaxPods)
}

// podSubnetBest is the per-node lower bound: 16 for dynamic pools (one
// batch), the exact block use for static pools.
func podSubnetBest(p Pool) int {
	if p.StaticBlock {
		return podSubnetCost(p)
	}
	return 16
}

func buildSpaces(in IPInput, pools []Pool) []Space {
	node := Space{Name: "node subnet", Kind: KindSubnet, Unit: "addresses", Reserved: AzureReserved, prefix: in.Subnet, extra: in.Extra, cost: one, expr: oneExpr}
	if in.Mode == ModeAzure {
		node.cost, node.expr, node.perNode = legacyCost, legacyExpr, " × (1 + maxPods)"
	}
	spaces := []Space{node}
	switch in.Mode {
	case ModeKubenet, ModeOverlay:
		pc := in.PodCIDR
		def := false
		if pc == nil {
			d := DefaultPodCIDR
			pc, def = &d, true
		}
		spaces = append(spaces, Space{Name: "pod CIDR", Kind: KindPodCIDR, Unit: "/24 blocks", prefix: pc, Default: def, cost: one, expr: oneExpr})
	case ModePodSubnet:
		sp := Space{Name: "pod subnet", Kind: KindSubnet, Unit: "addresses", Reserved: AzureReserved, prefix: in.PodSubnet, cost: podSubnetCost, expr: podSubnetExpr, perNode: " × per-node pod IPs"}
		for _, p := range pools {
			if !p.StaticBlock {
				sp.best = podSubnetBest
				sp.Derived = true
			}
		}
		spaces = append(spaces, sp)
	}
	for i := range spaces {
		if spaces[i].prefix != nil {
			spaces[i].Prefix = spaces[i].prefix.Masked().String()
		}
	}
	return spaces
}

// slots is pool p's node count with its surge.
func slots(p Pool) int { return p.Nodes + p.MaxSurge.Nodes(p.Nodes) }

// required is the space's need: Σ (N + S) × cost + extra, or with one
// upgrade at a time Σ N × cost + max S × cost + extra.
func required(sp *Space, pools []Pool, oneAtATime bool, cost func(Pool) int) int {
	total, maxSurge := sp.extra, 0
	for _, p := range pools {
		c := cost(p)
		if oneAtATime {
			total += p.Nodes * c
			maxSurge = max(maxSurge, p.MaxSurge.Nodes(p.Nodes)*c)
		} else {
			total += slots(p) * c
		}
	}
	return total + maxSurge
}

func formula(sp *Space, pools []Pool, oneAtATime bool) (string, string) {
	perNode := sp.perNode
	var f string
	if oneAtATime {
		f = "Σ nodes" + perNode + " + max(surge" + perNode + ")"
	} else {
		f = "Σ (nodes + surge)" + perNode
	}
	if sp.Name == "node subnet" {
		f += " + extra"
	}
	if sp.Name == "pod subnet" {
		switch {
		case sp.best != nil && hasStatic(pools):
			f += "; per-node pod IPs: dynamic 16 × ceil((maxPods + 8)/16) (derived, unverified; at least 16), static block 16 × ceil((maxPods + 1)/16)"
		case sp.best != nil:
			f += "; per-node pod IPs = 16 × ceil((maxPods + 8)/16) (derived, unverified; at least 16)"
		default:
			f += "; per-node pod IPs = 16 × ceil((maxPods + 1)/16) (static /28 blocks)"
		}
	}
	var terms []string
	var surges []string
	for _, p := range pools {
		e := sp.expr(p)
		mul := ""
		if e != "1" {
			mul = " × " + e
		}
		s := p.MaxSurge.Nodes(p.Nodes)
		if oneAtATime {
			terms = append(terms, fmt.Sprintf("%d%s", p.Nodes, mul))
			surges = append(surges, fmt.Sprintf("%d%s", s, mul))
		} else {
			terms = append(terms, fmt.Sprintf("(%d + %d)%s", p.Nodes, s, mul))
		}
	}
	calc := strings.Join(terms, " + ")
	if oneAtATime {
		if len(surges) == 1 {
			calc += " + " + surges[0]
		} else {
			calc += " + max(" + strings.Join(surges, ", ") + ")"
		}
	}
	if sp.Name == "node subnet" {
		calc += fmt.Sprintf(" + %d", sp.extra)
	}
	return f, fmt.Sprintf("%s = %d", calc, required(sp, pools, oneAtATime, sp.cost))
}

func hasStatic(pools []Pool) bool {
	for _, p := range pools {
		if p.StaticBlock {
			return true
		}
	}
	return false
}

// available is what the given range offers, in the space's unit.
func available(sp *Space) int {
	if sp.Kind == KindPodCIDR {
		return podBlocks(*sp.prefix)
	}
	return Usable(sp.prefix.Bits())
}

func minPrefixFor(sp *Space, req int) int {
	if sp.Kind == KindPodCIDR {
		return 24 - ceilLog2(max(req, 1))
	}
	return MinPrefix(req)
}

// fits reports whether every given range holds the pools (and kubenet's
// node limit holds).
func fitsAll(in IPInput, pools []Pool, spaces []Space, best bool) bool {
	for i := range spaces {
		sp := &spaces[i]
		if sp.prefix == nil {
			continue
		}
		cost := sp.cost
		if best && sp.best != nil {
			cost = sp.best
		}
		if required(sp, pools, in.OneUpgradeAtATime, cost) > available(sp) {
			return false
		}
	}
	if in.Mode == ModeKubenet && kubenetNodes(pools, in.OneUpgradeAtATime) > KubenetMaxNodes {
		return false
	}
	return true
}

// kubenetNodes counts the nodes that need a route at once.
func kubenetNodes(pools []Pool, oneAtATime bool) int {
	sp := Space{}
	return required(&sp, pools, oneAtATime, one)
}

// fillCapacity works out how many nodes pool i can have.
func fillCapacity(pp *PoolPlan, i int, in IPInput, pools []Pool, spaces []Space) {
	given := false
	for _, sp := range spaces {
		given = given || sp.prefix != nil
	}
	if !given {
		return
	}
	search := func(best bool) int {
		trial := make([]Pool, len(pools))
		copy(trial, pools)
		at := func(n int) bool {
			trial[i].Nodes = n
			return fitsAll(in, trial, spaces, best)
		}
		if !at(0) {
			return -1
		}
		lo, hi := 0, maxSearchNodes
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if at(mid) {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		return lo
	}
	slotsOf := func(best bool) int {
		n := -1
		for _, sp := range spaces {
			if sp.prefix == nil {
				continue
			}
			cost := sp.cost
			if best && sp.best != nil {
				cost = sp.best
			}
			others := make([]Pool, 0, len(pools))
			for j, p := range pools {
				if j != i {
					others = append(others, p)
				}
			}
			free := available(&sp) - required(&sp, others, in.OneUpgradeAtATime, cost)
			s := max(free, 0) / cost(pools[i])
			if n < 0 || s < n {
				n = s
			}
		}
		if in.Mode == ModeKubenet {
			n = min(n, max(KubenetMaxNodes-kubenetOthers(pools, i, in.OneUpgradeAtATime), 0))
		}
		return n
	}
	mx := max(search(false), 0)
	sl := slotsOf(false)
	pods := mx * pools[i].MaxPods
	pp.MaxNodes, pp.NodeSlots, pp.PodCapacity = &mx, &sl, &pods
	for _, sp := range spaces {
		if sp.best != nil && sp.prefix != nil {
			b := max(search(true), 0)
			bs := slotsOf(true)
			pp.MaxNodesBestCase, pp.NodeSlotsBestCase = &b, &bs
		}
	}
}

func kubenetOthers(pools []Pool, i int, oneAtATime bool) int {
	others := make([]Pool, 0, len(pools))
	for j, p := range pools {
		if j != i {
			others = append(others, p)
		}
	}
	return kubenetNodes(others, oneAtATime)
}

func problems(in IPInput, pools []Pool, spaces []Space) []Problem {
	var out []Problem
	add := func(l Level, rule, format string, args ...any) {
		out = append(out, Problem{Level: l, Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	for _, p := range pools {
		if p.MaxPods < MinMaxPods || p.MaxPods > MaxMaxPods {
			add(Fail, "NET-05", "pool %s: maxPods %d is outside AKS's range %d-%d", p.Name, p.MaxPods, MinMaxPods, MaxMaxPods)
		}
		if p.Nodes > 0 && p.MaxPods*p.Nodes < MinPodsPerPool {
			add(Fail, "NET-05", "pool %s: %d nodes × %d pods = %d; AKS needs room for at least %d pods per pool: add nodes or raise maxPods", p.Name, p.Nodes, p.MaxPods, p.MaxPods*p.Nodes, MinPodsPerPool)
		}
		if p.MaxSurge.Default {
			add(Info, "NET-05", "pool %s: no maxSurge given; assuming 1 (the API default; some docs say 10%%, spec §9-4)", p.Name)
		}
	}
	for _, sp := range spaces {
		if sp.prefix == nil {
			what := "--subnet"
			if sp.Name == "pod subnet" {
				what = "--pod-subnet"
			}
			add(Info, "NET-05", "%s not given (%s): it needs %d %s, a /%d or larger", sp.Name, what, sp.Required, sp.Unit, sp.MinPrefix)
			continue
		}
		avail := available(&sp)
		switch {
		case sp.Kind == KindPodCIDR && sp.prefix.Bits() > 24:
			add(Fail, "NET-05", "pod CIDR %s is smaller than the /24 each node takes: use a /%d or larger", sp.Prefix, sp.MinPrefix)
		case sp.Required > avail && sp.Minimum != nil && *sp.Minimum <= avail:
			add(Fail, "NET-05", "%s %s: %d usable addresses, the pools need %d to %d (the upper bound is derived, unverified): use a /%d or larger", sp.Name, sp.Prefix, avail, *sp.Minimum, sp.Required, sp.MinPrefix)
		case sp.Required > avail:
			add(Fail, "NET-05", "%s %s: %d usable %s, the plan needs %d: use a /%d or larger%s", sp.Name, sp.Prefix, avail, sp.Unit, sp.Required, sp.MinPrefix, suggestion(in, pools, sp))
		case avail > 0 && float64(sp.Required) > WarnAbove*float64(avail):
			add(Warn, "NET-05", "%s %s: the plan uses %d of %d usable %s (%.0f%%, above %.0f%%): little room to scale", sp.Name, sp.Prefix, sp.Required, avail, sp.Unit, 100*float64(sp.Required)/float64(avail), 100*WarnAbove)
		}
		if sp.Kind == KindSubnet && sp.Name == "pod subnet" && hasStatic(pools) {
			if sp.prefix.Bits() < staticLargestPodSubnet {
				add(Fail, "NET-05", "pod subnet %s: static block allocation takes a /%d at most", sp.Prefix, staticLargestPodSubnet)
			}
			if sp.prefix.Bits() <= 28 {
				free := 1<<(28-sp.prefix.Bits()) - 2
				add(Info, "NET-05", "pod subnet %s has %d /28 blocks; if the 2 blocks holding Azure-reserved addresses are unusable, %d are free (unverified, spec §9-8)", sp.Prefix, 1<<(28-sp.prefix.Bits()), free)
			}
		}
		if sp.Default {
			add(Info, "NET-05", "pod CIDR not given: using the default %s", sp.Prefix)
		}
	}
	switch in.Mode {
	case ModeKubenet:
		if n := kubenetNodes(pools, in.OneUpgradeAtATime); n > KubenetMaxNodes {
			add(Fail, "NET-05", "kubenet: %d nodes (with surge) is more than the %d routes a route table holds", n, KubenetMaxNodes)
		}
		add(Warn, "NET-04", "kubenet retires on 2028-03-31 and has no Windows support: plan for Azure CNI Overlay")
	case ModeOverlay:
		add(Info, "NET-05", "overlay pod CIDR must not overlap the cluster subnet, peered VNets, ExpressRoute or VPN ranges; it may be reused across clusters")
	case ModePodSubnet:
		if hasStatic(pools) {
			add(Info, "NET-05", "static block allocation needs Kubernetes 1.28 or later; maxPods of 16k - 1 (31, 47, 63...) use blocks fully")
		}
		for _, sp := range spaces {
			if sp.Derived {
				add(Info, "NET-05", "dynamic pod IPs come in batches of 16; the per-node upper bound 16 × ceil((maxPods + 8)/16) is derived and unverified (spec §9-8), and system pods use pod-subnet IPs too")
				break
			}
		}
	}
	out = append(out, rangeProblems(in, spaces)...)
	return out
}

// suggestion offers Azure CNI Overlay when legacy Azure CNI does not fit.
func suggestion(in IPInput, pools []Pool, sp Space) string {
	if in.Mode != ModeAzure || sp.Name != "node subnet" {
		return ""
	}
	ov := Space{extra: in.Extra}
	need := required(&ov, pools, in.OneUpgradeAtATime, one)
	if need <= available(&sp) {
		return fmt.Sprintf("; or use Azure CNI Overlay, which needs only %d addresses here (nodes only)", need)
	}
	return ""
}

// rangeProblems checks the service range and overlaps (spec §3.2, NET-06).
func rangeProblems(in IPInput, spaces []Space) []Problem {
	var out []Problem
	add := func(l Level, format string, args ...any) {
		out = append(out, Problem{Level: l, Rule: "NET-06", Message: fmt.Sprintf(format, args...)})
	}
	type named struct {
		name string
		p    netip.Prefix
	}
	var ranges []named
	for _, sp := range spaces {
		if sp.prefix != nil {
			ranges = append(ranges, named{sp.Name + " " + sp.Prefix, sp.prefix.Masked()})
		}
	}
	if in.ServiceCIDR != nil {
		sc := in.ServiceCIDR.Masked()
		if sc.Bits() < 13 {
			add(Fail, "service CIDR %s is too large: it must be smaller than /12 (a /13 or longer prefix)", sc)
		}
		ranges = append(ranges, named{"service CIDR " + sc.String(), sc})
		if in.DNSServiceIP != nil {
			ip := *in.DNSServiceIP
			switch {
			case !sc.Contains(ip):
				add(Fail, "DNS service IP %s is not inside the service CIDR %s", ip, sc)
			case ip == sc.Addr():
				add(Fail, "DNS service IP %s is the service CIDR's network address: pick another, such as .10", ip)
			case ip == sc.Addr().Next():
				add(Fail, "DNS service IP %s is the first address of the service CIDR, which kubernetes.default takes: pick another, such as .10", ip)
			}
		}
	} else if in.DNSServiceIP != nil {
		add(Warn, "DNS service IP %s given without --service-cidr: not checked", *in.DNSServiceIP)
	}
	for i, a := range in.Avoid {
		ranges = append(ranges, named{fmt.Sprintf("avoided range %d (%s)", i+1, a.Masked()), a.Masked()})
	}
	for i := 0; i < len(ranges); i++ {
		for j := i + 1; j < len(ranges); j++ {
			if strings.HasPrefix(ranges[i].name, "avoided") && strings.HasPrefix(ranges[j].name, "avoided") {
				continue
			}
			if ranges[i].p.Overlaps(ranges[j].p) {
				add(Fail, "%s overlaps %s", ranges[i].name, ranges[j].name)
			}
		}
	}
	return out
}
