// Package rules is the rule map of ../shared/spec/aks-rules.md as data: every
// seed item with its rule ID, the seed documents it comes from, what it can
// be checked from and its section. rules.tsv is regenerated from the spec
// by `go test ./internal/rules -update`, and a test keeps it in sync.
package rules

import (
	_ "embed"
	"strings"
)

//go:embed rules.tsv
var data string

// Rule is one row of the spec's rule table.
type Rule struct {
	ID string
	// Section is the spec section, such as "Identity & access".
	Section string
	Item    string
	// Seeds names the seed documents' items (T = The AKS Checklist, E =
	// the AKS e-book, K = the Kubernetes best-practices blog, H = HCLTech,
	// X = the enterprise-grade checklist).
	Seeds string
	// From says what the rule is automatable from (M manifests, L live
	// cluster, C AKS configuration, A other Azure resources, P process).
	From     string
	Severity string
	Doc      string
}

// All returns the rules in spec order.
func All() []Rule {
	var out []Rule
	for _, line := range strings.Split(strings.TrimSpace(data), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			continue
		}
		out = append(out, Rule{ID: f[0], Section: f[1], Item: f[2], Seeds: f[3], From: f[4], Severity: f[5], Doc: f[6]})
	}
	return out
}

// ByID returns the rule with the given ID.
func ByID(id string) (Rule, bool) {
	for _, r := range All() {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
