// Package apis holds the apis checks.
package apis

import "github.com/kubevet/kubevet/internal/check"

// Checks is the apis domain's list, in catalog order.
var Checks = []*check.Check{}
