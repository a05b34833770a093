package isolation

import (
	"net/netip"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubevet/kubevet/internal/check"
)

// imds is the address of the Azure Instance Metadata Service, which serves
// HTTP on port 80 of every node.
var imds = netip.MustParseAddr("169.254.169.254")

const imdsPort = 80

// egressAllowsIMDS returns the index of the first egress rule of np that
// allows TCP port 80 of 169.254.169.254, or -1. A rule without peers allows
// every destination; of the peers, only an ipBlock can name an address
// outside the cluster's pods, and it allows IMDS when its cidr contains it
// and no except does. Pod and namespace selectors select pods, never IMDS.
func egressAllowsIMDS(np *networkingv1.NetworkPolicy) int {
	for i, r := range np.Spec.Egress {
		if !portsAllow(r.Ports) {
			continue
		}
		if len(r.To) == 0 {
			return i
		}
		for _, peer := range r.To {
			if peer.IPBlock != nil && ipBlockAllows(peer.IPBlock, imds) {
				return i
			}
		}
	}
	return -1
}

func ipBlockAllows(b *networkingv1.IPBlock, a netip.Addr) bool {
	cidr, err := netip.ParsePrefix(b.CIDR)
	if err != nil || !cidr.Contains(a) {
		return false
	}
	for _, e := range b.Except {
		if ex, err := netip.ParsePrefix(e); err == nil && ex.Contains(a) {
			return false
		}
	}
	return true
}

// portsAllow reports whether ports let TCP port 80 through: no ports means
// every port; a port without number means every port of its protocol
// (TCP by default); a named port resolves only against a pod's container
// ports, so never matches IMDS.
func portsAllow(ports []networkingv1.NetworkPolicyPort) bool {
	if len(ports) == 0 {
		return true
	}
	for _, pp := range ports {
		if pp.Protocol != nil && *pp.Protocol != corev1.ProtocolTCP {
			continue
		}
		if pp.Port == nil {
			return true
		}
		if pp.Port.Type != intstr.Int {
			continue
		}
		lo, hi := pp.Port.IntVal, pp.Port.IntVal
		if pp.EndPort != nil {
			hi = *pp.EndPort
		}
		if lo <= imdsPort && imdsPort <= hi {
			return true
		}
	}
	return false
}

// IMDSEgressOpen reports namespaces whose pods can reach the instance
// metadata service, and pods on the host network, which no policy covers.
var IMDSEgressOpen = &check.Check{
	ID:       "imds-egress-open",
	Title:    "Pods can reach the Azure instance metadata service (169.254.169.254)",
	Severity: check.Warning,
	Refs:     []string{"NET-09"},
	Why: "Every pod can call the Azure Instance Metadata Service at 169.254.169.254 unless something blocks it, and get tokens for the node's managed identity (the kubelet identity, often allowed to pull images or more). " +
		"A compromised pod then acts as the node in Azure. NetworkPolicies block it per namespace; pods on the host network escape them.",
	Fix: "Give each namespace an egress NetworkPolicy with podSelector: {} whose ipBlock rules allow outside addresses only with except: [169.254.169.254/32], " +
		"or a default-deny egress policy with no rule that allows that address; make sure no other egress policy of the namespace allows it. " +
		"Or restrict IMDS for the whole cluster (AKS podLinkLocalAccess: None, in preview). Run pods on the host network only for node agents that need it. " +
		"Namespaces the input does not declare are checked only when listed under namespaces: or with namespaceChecks: all in .kubevet.yaml.",
	Example: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: block-imds
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock:
        cidr: 0.0.0.0/0
        except: [169.254.169.254/32]`,
	Target: namespaceTarget,
	Cross:  true,
	Run: func(p *check.Pass) {
		o := p.Object
		if runsPods(o) && o.PodTemplate().Spec.HostNetwork && inScope(p, o.Namespace) {
			p.Report(o.PodTemplate().SpecPath.Child("hostNetwork"), "%s %q runs its pods on the host network: NetworkPolicies do not apply to them, so nothing in the namespace blocks their access to the instance metadata service (169.254.169.254) and the node's identity; drop hostNetwork unless it is a node agent that needs it",
				o.Kind, o.Name)
		}
		s, ok := namespaceSubject(p)
		if !ok {
			return
		}
		var isolating *policy
		for _, pol := range policiesOf(p.Graph, s.ns) {
			if !pol.egress {
				continue
			}
			if r := egressAllowsIMDS(pol.np); r >= 0 {
				whom := "the pods it selects"
				if pol.all {
					whom = "every pod"
				}
				p.Report(s.path, "%s: NetworkPolicy %q rule egress[%d] lets %s reach the instance metadata service (169.254.169.254:80); add except: [169.254.169.254/32] to its ipBlock, or narrow its destinations",
					s.name, pol.o.Name, r, whom)
				return
			}
			if pol.all && isolating == nil {
				isolating = &pol
			}
		}
		if isolating == nil {
			p.Report(s.path, "%s has no egress NetworkPolicy that selects all its pods (podSelector: {}), so they can reach the instance metadata service (169.254.169.254) and the node's identity tokens; add one whose ipBlock excepts 169.254.169.254/32, or a default-deny egress policy",
				s.name)
		}
	},
}
