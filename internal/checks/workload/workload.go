// Package workload holds the workload checks.
package workload

import "github.com/kubevet/kubevet/internal/check"

// Checks is the workload domain's list, in catalog order.
var Checks = []*check.Check{}
