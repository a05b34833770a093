// Package network holds the checks of how workloads are exposed: public
// load balancers (spec rule NET-15), ingress host names (NET-16) and TLS
// on ingresses (NET-18).
package network

import (
	"github.com/kubevet/kubevet/internal/check"
)

// Checks is the network domain's list, in catalog order.
var Checks = []*check.Check{
	LoadBalancerPublic,
	IngressHostMissing,
	IngressHostAllowed,
	IngressTLS,
	IngressBackendProtocol,
	SSLPassthrough,
}
