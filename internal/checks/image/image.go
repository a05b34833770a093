// Package image holds the image checks.
package image

import "github.com/kubevet/kubevet/internal/check"

// Checks is the image domain's list, in catalog order.
var Checks = []*check.Check{}
