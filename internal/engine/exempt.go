package engine

import (
	"fmt"
	"strings"
	"time"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/input"
	"github.com/kubevet/kubevet/internal/manifest"
)

// ExemptPrefix starts the annotation key of a per-object exemption:
// exempt.kubevet.io/<check-id>: "<reason>; expires=YYYY-MM-DD".
const ExemptPrefix = "exempt.kubevet.io/"

// exemption is one parsed exemption annotation.
type exemption struct {
	check   string
	key     string
	reason  string
	expires time.Time
	used    bool
}

// parseExemption parses an annotation value: a reason, and optionally an
// expiry written expires=YYYY-MM-DD, separated by semicolons.
func parseExemption(value string) (reason string, expires time.Time, err error) {
	var parts []string
	for _, part := range strings.Split(value, ";") {
		part = strings.TrimSpace(part)
		if v, ok := strings.CutPrefix(part, "expires="); ok {
			t, perr := time.Parse(time.DateOnly, strings.TrimSpace(v))
			if perr != nil {
				return "", time.Time{}, fmt.Errorf("expiry %q is not a date written YYYY-MM-DD", v)
			}
			expires = t
			continue
		}
		if part != "" {
			parts = append(parts, part)
		}
	}
	reason = strings.Join(parts, "; ")
	if reason == "" {
		return "", time.Time{}, fmt.Errorf("no reason given: write why the check does not apply")
	}
	return reason, expires, nil
}

// exempt drops the findings of o that its exemption annotations cover, and
// adds findings for exemptions that are malformed, expired or unused.
func (r *runner) exempt(o *manifest.Object, fs []check.Finding) []check.Finding {
	if len(o.Annotations) == 0 {
		return fs
	}
	var exs []*exemption
	var out []check.Finding
	annPath := manifest.NewPath("metadata", "annotations")
	for key, value := range o.Annotations {
		id, ok := strings.CutPrefix(key, ExemptPrefix)
		if !ok {
			continue
		}
		path := annPath.Child(key)
		c, known := r.byID[id]
		if !known {
			out = append(out, check.NewFinding(input.ExemptionInvalid, input.ExemptionInvalid.Severity, o, path,
				fmt.Sprintf("exemption names unknown check %q (kubevet checks lists them)", id)))
			continue
		}
		reason, expires, err := parseExemption(value)
		if err != nil {
			out = append(out, check.NewFinding(input.ExemptionInvalid, input.ExemptionInvalid.Severity, o, path,
				fmt.Sprintf("exemption of %s is not honoured: %v", id, err)))
			continue
		}
		if !expires.IsZero() && !r.settings.Now.Before(expires.AddDate(0, 0, 1)) {
			out = append(out, check.NewFinding(input.ExemptionExpired, input.ExemptionExpired.Severity, o, path,
				fmt.Sprintf("exemption of %s expired on %s; its findings are reported again", id, expires.Format(time.DateOnly))))
			continue
		}
		if !r.cfg.Enabled(c) {
			continue // nothing to silence in this run; not stale either
		}
		exs = append(exs, &exemption{check: id, key: key, reason: reason, expires: expires})
	}
	for _, f := range fs {
		silenced := false
		for _, e := range exs {
			if e.check == f.Check {
				e.used = true
				silenced = true
			}
		}
		if !silenced {
			out = append(out, f)
		}
	}
	for _, e := range exs {
		if !e.used {
			out = append(out, check.NewFinding(input.ExemptionUnused, input.ExemptionUnused.Severity, o, annPath.Child(e.key),
				fmt.Sprintf("exemption of %s matches no finding on this object; remove it", e.check)))
		}
	}
	return out
}
