// Package network holds the network checks.
package network

import "github.com/kubevet/kubevet/internal/check"

// Checks is the network domain's list, in catalog order.
var Checks = []*check.Check{}
