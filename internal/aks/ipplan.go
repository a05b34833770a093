package aks

import (
	"math"
	"strconv"
	"strings"

	"github.com/kubevet/kubevet/internal/plan"
)

// NetworkMode is how a cluster hands out pod IPs (spec §3.2).
type NetworkMode int

// Network modes.
const (
	// AzureCNI is legacy Azure CNI: pods take IPs from the node subnet.
	AzureCNI NetworkMode = iota
	// Kubenet: only nodes use the subnet; pods get a /24 per node from podCidr.
	Kubenet
	// Overlay is Azure CNI Overlay: only nodes use the subnet.
	Overlay
	// PodSubnet is Azure CNI with a separate pod subnet (dynamic or static
	// block): only nodes use the node subnet.
	PodSubnet
	// BYOCNI is networkPlugin none: the CNI is the user's; pods are assumed
	// off the node subnet.
	BYOCNI
)

func (m NetworkMode) String() string {
	return [...]string{"Azure CNI (node subnet)", "kubenet", "Azure CNI Overlay", "Azure CNI with a pod subnet", "bring-your-own CNI"}[m]
}

// planMode is the IP planner's name of a network mode; the formulas of
// spec §3 live once, in internal/plan.
func (m NetworkMode) planMode() plan.Mode {
	switch m {
	case AzureCNI:
		return plan.ModeAzure
	case Overlay:
		return plan.ModeOverlay
	case PodSubnet:
		return plan.ModePodSubnet
	}
	return plan.ModeKubenet // kubenet; bring-your-own CNI gets kubenet's 110
}

// DefaultMaxPods is the maxPods AKS uses when a pool sets none
// (DOCS concepts-network-ip-address-planning.md, spec §3.1).
func DefaultMaxPods(m NetworkMode) int { return m.planMode().DefaultMaxPods() }

// PoolIPs is the part of a node pool that uses subnet addresses.
type PoolIPs struct {
	// Nodes is count, or maxCount when the pool autoscales.
	Nodes int
	// Surge is the number of extra nodes during an upgrade (SurgeNodes).
	Surge int
	// MaxPods per node.
	MaxPods int
}

// SurgeNodes turns upgradeSettings.maxSurge (an integer or a percentage of
// the pool, rounded up) into a node count. Empty means the API default:
// the spec (§3.1, §9-4) had "1" from the 2024-09-01 API, but the stable
// 2025-07-01 managedClusters.json (read with the search tool, 2026-11)
// says "If not specified, the default is 10%", so empty is 10% rounded up,
// at least one node; both agree for pools of up to ten nodes.
func SurgeNodes(maxSurge string, nodes int) int {
	s := strings.TrimSpace(maxSurge)
	if s == "" {
		return max(1, int(math.Ceil(float64(nodes)/10)))
	}
	if p, ok := strings.CutSuffix(s, "%"); ok {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return 1
		}
		return int(math.Ceil(f * float64(nodes) / 100))
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 1
	}
	return n
}

// NodeSubnetIPs is the number of node-subnet addresses the pools need
// (spec §3.2): Σ(N+S)×(1+P) for legacy Azure CNI, Σ(N+S) when pods are
// elsewhere; extra counts other addresses in the subnet (internal load
// balancers, private endpoints).
func NodeSubnetIPs(m NetworkMode, pools []PoolIPs, extra int) int {
	total := extra
	for _, p := range pools {
		slots := p.Nodes + p.Surge
		if m == AzureCNI {
			total += slots * (1 + p.MaxPods)
		} else {
			total += slots
		}
	}
	return total
}

// UsableIPs is the number of addresses of a subnet with the given prefix
// length that Azure lets you use: it reserves five (spec §3.1).
func UsableIPs(prefix int) int {
	if prefix < 0 || prefix > 29 {
		return 0
	}
	return plan.Usable(prefix)
}

// MinPrefix is the longest prefix (smallest subnet) that holds required
// addresses: 32 − ceil(log2(required + 5)).
func MinPrefix(required int) int { return plan.MinPrefix(required) }
