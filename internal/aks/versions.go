package aks

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

//go:embed data/aks-versions.json
var versionsJSON []byte

// VersionTable is the AKS Kubernetes version calendar shipped with kubevet
// (spec §7), so that the version rule works offline and reproducibly.
type VersionTable struct {
	Source string         `json:"source"`
	AsOf   string         `json:"as_of"`
	Minors []MinorRelease `json:"minors"`
}

// MinorRelease is one Kubernetes minor on AKS. Dates are YYYY-MM-DD, or
// YYYY-MM meaning the end of that month.
type MinorRelease struct {
	Minor         string `json:"minor"`
	GA            string `json:"ga"`
	EOL           string `json:"eol"`
	LTSEOL        string `json:"lts_eol"`
	PlatformUntil string `json:"platform_until,omitempty"`
}

// StaleAfter is how old the table may get before kubevet warns: AKS ships
// a minor roughly every four months (spec §7).
const StaleAfter = 120 * 24 * time.Hour

// Versions returns the shipped table.
func Versions() (*VersionTable, error) {
	var t VersionTable
	if err := json.Unmarshal(versionsJSON, &t); err != nil {
		return nil, fmt.Errorf("aks version table: %w", err)
	}
	for _, m := range t.Minors {
		for _, d := range []string{m.GA, m.EOL, m.LTSEOL} {
			if _, err := parseDate(d); err != nil {
				return nil, fmt.Errorf("aks version table, %s: %w", m.Minor, err)
			}
		}
	}
	if _, err := parseDate(t.AsOf); err != nil {
		return nil, fmt.Errorf("aks version table as_of: %w", err)
	}
	return &t, nil
}

// parseDate reads YYYY-MM-DD as the end of that day and YYYY-MM as the end
// of that month (the instant just before the next one starts).
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.AddDate(0, 0, 1).Add(-time.Second), nil
	}
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is neither YYYY-MM-DD nor YYYY-MM", s)
	}
	return t.AddDate(0, 1, 0).Add(-time.Second), nil
}

func mustDate(s string) time.Time { t, _ := parseDate(s); return t }

// Stale reports whether the table is older than StaleAfter at now, and its
// age in days.
func (t *VersionTable) Stale(now time.Time) (bool, int) {
	asOf, _ := time.Parse("2006-01-02", t.AsOf)
	age := now.Sub(asOf)
	return age > StaleAfter, int(age.Hours() / 24)
}

// Newest returns the newest minor that is GA at now (N), as its minor
// number, and false when none is.
func (t *VersionTable) Newest(now time.Time) (int, bool) {
	best, ok := 0, false
	for _, m := range t.Minors {
		if !mustDate(m.GA).After(now) {
			if n, err := MinorOf(m.Minor); err == nil && n > best {
				best, ok = n, true
			}
		}
	}
	return best, ok
}

// Release returns the row of a minor number.
func (t *VersionTable) Release(minor int) (MinorRelease, bool) {
	for _, m := range t.Minors {
		if n, err := MinorOf(m.Minor); err == nil && n == minor {
			return m, true
		}
	}
	return MinorRelease{}, false
}

// MinorOf returns the minor number of a version such as 1.33, 1.33.2 or
// v1.33.
func MinorOf(v string) (int, error) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	parts := strings.Split(v, ".")
	if len(parts) < 2 || parts[0] != "1" {
		return 0, fmt.Errorf("%q is not a Kubernetes 1.x version", v)
	}
	return strconv.Atoi(parts[1])
}

// VersionStatus says where a minor stands at a date.
type VersionStatus struct {
	Minor, Newest int
	// Supported: within N-2 and before its end of life.
	Supported bool
	// Platform: N-3, platform support only.
	Platform bool
	// LTS: covered by long-term support (support plan and tier given).
	LTS bool
	// EOL is the end of community support, zero when unknown.
	EOL time.Time
}

// Status evaluates a minor at now. lts says the cluster has the
// AKSLongTermSupport plan on the Premium tier.
func (t *VersionTable) Status(minor int, now time.Time, lts bool) VersionStatus {
	n, _ := t.Newest(now)
	s := VersionStatus{Minor: minor, Newest: n}
	rel, known := t.Release(minor)
	if known {
		s.EOL = mustDate(rel.EOL)
	}
	s.Supported = minor >= n-2 && (!known || now.Before(s.EOL))
	s.Platform = minor == n-3
	if lts && known && now.Before(mustDate(rel.LTSEOL)) {
		s.LTS = true
	}
	return s
}
