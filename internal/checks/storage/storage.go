// Package storage holds the storage checks.
package storage

import "github.com/kubevet/kubevet/internal/check"

// Checks is the storage domain's list, in catalog order.
var Checks = []*check.Check{}
