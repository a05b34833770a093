// Package apis holds the checks of API versions: removed and deprecated
// built-in APIs (spec rule WL-13, from the table in table.go) and
// PodSecurityPolicy (SEC-12).
package apis

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the apis domain's list, in catalog order.
var Checks = []*check.Check{
	APIRemoved,
	APIDeprecated,
	PodSecurityPolicy,
}

// version is a Kubernetes minor version.
type version struct{ major, minor int }

// parseVersion parses a minor version such as "1.34" or "v1.34".
func parseVersion(s string) (version, error) {
	maj, min, ok := strings.Cut(strings.TrimPrefix(s, "v"), ".")
	if !ok {
		return version{}, fmt.Errorf("version %q is not a minor version like 1.34", s)
	}
	a, err1 := strconv.Atoi(maj)
	b, err2 := strconv.Atoi(min)
	if err1 != nil || err2 != nil || a < 0 || b < 0 {
		return version{}, fmt.Errorf("version %q is not a minor version like 1.34", s)
	}
	return version{a, b}, nil
}

// less reports whether v is older than w: 1.9 is older than 1.10.
func (v version) less(w version) bool {
	if v.major != w.major {
		return v.major < w.major
	}
	return v.minor < w.minor
}

func (v version) String() string { return strconv.Itoa(v.major) + "." + strconv.Itoa(v.minor) }

// entry is a row of Table with its versions parsed.
type entry struct {
	*API
	deprecated, removed version
	// hasDeprecated and hasRemoved say whether the versions are set.
	hasDeprecated, hasRemoved bool
}

// status is what an entry says about a target version.
type status int

const (
	current status = iota
	deprecated
	removed
)

func (e *entry) at(target version) status {
	switch {
	case e.hasRemoved && !target.less(e.removed):
		return removed
	case e.hasDeprecated && !target.less(e.deprecated):
		return deprecated
	}
	return current
}

// index maps an apiVersion to its rows. Table is static: a row that does
// not parse is a programming error, caught by TestTable.
var index = buildIndex(Table)

func buildIndex(table []API) map[string][]entry {
	idx := make(map[string][]entry, len(table))
	for i := range table {
		a := &table[i]
		e := entry{API: a}
		var err error
		if a.Deprecated != "" {
			e.hasDeprecated = true
			if e.deprecated, err = parseVersion(a.Deprecated); err != nil {
				panic("apis table: " + a.GroupVersion + ": " + err.Error())
			}
		}
		if a.Removed != "" {
			e.hasRemoved = true
			if e.removed, err = parseVersion(a.Removed); err != nil {
				panic("apis table: " + a.GroupVersion + ": " + err.Error())
			}
		}
		idx[a.GroupVersion] = append(idx[a.GroupVersion], e)
	}
	return idx
}

// lookup returns the row about apiVersion and kind: the row naming the kind,
// or else the row about every kind of the group version.
func lookup(apiVersion, kind string) (*entry, bool) {
	rows := index[apiVersion]
	var all *entry
	for i := range rows {
		e := &rows[i]
		if len(e.Kinds) == 0 {
			all = e
			continue
		}
		for _, k := range e.Kinds {
			if k == kind {
				return e, true
			}
		}
	}
	return all, all != nil
}

// targetVersion returns the version the run targets: the configured one, or
// DefaultKubernetesVersion.
func targetVersion(s *check.Settings) version {
	if s != nil && s.KubernetesVersion != "" {
		if v, err := parseVersion(s.KubernetesVersion); err == nil {
			return v
		}
	}
	v, _ := parseVersion(DefaultKubernetesVersion)
	return v
}

// advice says what to use instead of e's API, for messages.
func advice(e *entry, kind string) string {
	var b strings.Builder
	if e.Replacement != "" {
		fmt.Fprintf(&b, "change apiVersion to %s", e.Replacement)
		if e.Note != "" {
			b.WriteString(" (" + e.Note + ")")
		}
		return b.String()
	}
	if e.Note != "" {
		return e.Note
	}
	return "remove the " + kind
}

var apiVersionPath = manifest.NewPath("apiVersion")

const tableDoc = "The table of deprecated and removed APIs ships with kubevet (" + TableSource + ", read " + TableAsOf + "). "

// APIRemoved reports objects of API versions the target Kubernetes version no
// longer serves.
var APIRemoved = &check.Check{
	ID:       "api-removed",
	Title:    "API version is removed at the target Kubernetes version",
	Severity: check.Error,
	Refs:     []string{"WL-13"},
	Why: "Kubernetes stops serving a deprecated API version a few releases after deprecating it; from then on kubectl apply fails with " +
		"\"no matches for kind\", and a cluster upgrade breaks the pipelines that still use it. " + tableDoc +
		"The target version is kubernetesVersion in .kubevet.yaml, or " + DefaultKubernetesVersion + " when unset.",
	Fix: "Change apiVersion to the replacement the finding names and adapt the fields that changed; kubectl-convert can rewrite a manifest. " +
		"Set kubernetesVersion in .kubevet.yaml to your cluster's version.",
	Example: `apiVersion: policy/v1
kind: PodDisruptionBudget`,
	Target: check.AllObjects,
	Run: func(p *check.Pass) {
		e, ok := lookup(p.Object.APIVersion, p.Object.Kind)
		if !ok {
			return
		}
		target := targetVersion(p.Settings)
		if e.at(target) != removed {
			return
		}
		p.Report(apiVersionPath, "%s %s was removed in Kubernetes %s (target %s): the API server rejects it; %s",
			p.Object.APIVersion, p.Object.Kind, e.removed, target, advice(e, p.Object.Kind))
	},
}

// APIDeprecated reports objects of API versions deprecated at the target
// Kubernetes version and still served.
var APIDeprecated = &check.Check{
	ID:       "api-deprecated",
	Title:    "API version is deprecated at the target Kubernetes version",
	Severity: check.Warning,
	Refs:     []string{"WL-13"},
	Why: "A deprecated API version still works, with a warning on every request, until the release that removes it; " +
		"manifests that keep it break on that upgrade. " + tableDoc +
		"The target version is kubernetesVersion in .kubevet.yaml, or " + DefaultKubernetesVersion + " when unset.",
	Fix: "Change apiVersion to the replacement the finding names before upgrading to the release that removes the old one.",
	Example: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler`,
	Target: check.AllObjects,
	Run: func(p *check.Pass) {
		e, ok := lookup(p.Object.APIVersion, p.Object.Kind)
		if !ok {
			return
		}
		target := targetVersion(p.Settings)
		if e.at(target) != deprecated {
			return
		}
		removal := "no removal is planned"
		if e.hasRemoved {
			removal = "it is removed in " + e.removed.String()
		}
		p.Report(apiVersionPath, "%s %s is deprecated since Kubernetes %s (target %s) and %s; %s",
			p.Object.APIVersion, p.Object.Kind, e.deprecated, target, removal, advice(e, p.Object.Kind))
	},
}

// PodSecurityPolicy reports PodSecurityPolicy manifests.
var PodSecurityPolicy = &check.Check{
	ID:       "pod-security-policy",
	Title:    "PodSecurityPolicy is used",
	Severity: check.Warning,
	Refs:     []string{"SEC-12"},
	Why: "PodSecurityPolicy was deprecated in Kubernetes 1.21 and removed in 1.25, and AKS no longer offers it: " +
		"the manifest is rejected by current clusters and protects nothing. Pod Security Admission, built in, replaces it.",
	Fix: "Delete the PodSecurityPolicy and its RBAC bindings, and label each application namespace with " +
		"pod-security.kubernetes.io/enforce: baseline or restricted (Azure Policy or Gatekeeper for finer rules).",
	Example: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted`,
	Target: check.Kinds("PodSecurityPolicy.policy", "PodSecurityPolicy.extensions"),
	Run: func(p *check.Pass) {
		p.Report(manifest.NewPath("kind"), "PodSecurityPolicy %q was removed in Kubernetes 1.25 and enforces nothing; label namespaces with pod-security.kubernetes.io/enforce (baseline or restricted) instead", p.Object.Name)
	},
}
