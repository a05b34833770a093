// Package catalog gathers every check of kubevet in one explicit list.
package catalog

import (
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/aks"
	"github.com/kubevet/kubevet/internal/checks/aksjoin"
	"github.com/kubevet/kubevet/internal/checks/apis"
	"github.com/kubevet/kubevet/internal/checks/availability"
	"github.com/kubevet/kubevet/internal/checks/cluster"
	"github.com/kubevet/kubevet/internal/checks/identity"
	"github.com/kubevet/kubevet/internal/checks/image"
	"github.com/kubevet/kubevet/internal/checks/input"
	"github.com/kubevet/kubevet/internal/checks/isolation"
	"github.com/kubevet/kubevet/internal/checks/network"
	"github.com/kubevet/kubevet/internal/checks/references"
	"github.com/kubevet/kubevet/internal/checks/secrets"
	"github.com/kubevet/kubevet/internal/checks/security"
	"github.com/kubevet/kubevet/internal/checks/storage"
	"github.com/kubevet/kubevet/internal/checks/validation"
	"github.com/kubevet/kubevet/internal/checks/workload"
)

// Domain is one group of checks, with the folder its fixtures live in
// (relative to the module root).
type Domain struct {
	Name   string
	Dir    string
	Checks []*check.Check
}

// Domains lists every domain in catalog order.
var Domains = []Domain{
	{"input", "internal/checks/input", input.Checks},
	{"security", "internal/checks/security", security.Checks},
	{"image", "internal/checks/image", image.Checks},
	{"secrets", "internal/checks/secrets", secrets.Checks},
	{"workload", "internal/checks/workload", workload.Checks},
	{"network", "internal/checks/network", network.Checks},
	{"storage", "internal/checks/storage", storage.Checks},
	{"apis", "internal/checks/apis", apis.Checks},
	{"validation", "internal/checks/validation", validation.Checks},
	{"aks", "internal/checks/aks", aks.Checks},
	{"aksjoin", "internal/checks/aksjoin", aksjoin.Checks},
	{"availability", "internal/checks/availability", availability.Checks},
	{"identity", "internal/checks/identity", identity.Checks},
	{"references", "internal/checks/references", references.Checks},
	{"isolation", "internal/checks/isolation", isolation.Checks},
	{"cluster", "internal/checks/cluster", cluster.Checks},
}

// All returns every check, in catalog order.
func All() []*check.Check {
	var out []*check.Check
	for _, d := range Domains {
		out = append(out, d.Checks...)
	}
	return out
}

// ByID returns the check with the given ID.
func ByID(id string) (*check.Check, bool) {
	for _, c := range All() {
		if c.ID == id {
			return c, true
		}
	}
	return nil, false
}
