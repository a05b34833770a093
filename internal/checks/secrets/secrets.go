// Package secrets holds the secrets checks.
package secrets

import "github.com/kubevet/kubevet/internal/check"

// Checks is the secrets domain's list, in catalog order.
var Checks = []*check.Check{}
