// Package checklist turns a run into the checklist of the five guides: every
// item of the rule map (internal/rules), grouped by the spec's sections, with
// its state on this input (automated and passing or failing, not applicable,
// manual), the attestations people recorded for it, and coverage figures.
// Build is a pure function of the catalog, the rules, the run's result, the
// attestations and the date; renderers turn its Model into text, Markdown,
// HTML or JSON.
package checklist

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/report"
	"github.com/kubevet/kubevet/internal/rules"
)

// State is what kubevet could do with an item on this input.
type State string

// States.
const (
	// Passing: a check that serves the item ran on this input and found
	// nothing.
	Passing State = "passing"
	// Failing: a check that serves the item found something.
	Failing State = "failing"
	// NotApplicable: the item is automatable only from data the input does
	// not have (AKS configuration, the live cluster, other Azure
	// resources), so this input cannot show it.
	NotApplicable State = "not-applicable"
	// Manual: a process item (P), or an item automatable from data the
	// input has but that no check of the catalog could show on it.
	Manual State = "manual"
)

// Status is where an item counts in the coverage figures.
type Status string

// Statuses: Passing and Failing as for State; the others for items that
// are not automated on this input.
const (
	StatusPassing       Status = "passing"
	StatusFailing       Status = "failing"
	StatusAttested      Status = "attested"       // a valid attestation covers it
	StatusNotApplicable Status = "not-applicable" // not applicable, not attested
	StatusOpen          Status = "open"           // manual, not attested (or expired)
)

// Label is the state for people.
func (s State) Label() string { return strings.ReplaceAll(string(s), "-", " ") }

// Label is the status for people.
func (s Status) Label() string { return strings.ReplaceAll(string(s), "-", " ") }

// Input is what Build needs.
type Input struct {
	Catalog []*check.Check
	Rules   []rules.Rule
	Result  *engine.Result
	// Ran counts by check ID the objects each check ran on (Counter.Ran).
	Ran map[string]int
	// HandledFiles counts the files read by input handlers, which read
	// AKS configuration (Counter.HandledFiles).
	HandledFiles int
	// Enabled says whether a check is on in this run's configuration (nil:
	// its default).
	Enabled func(*check.Check) bool
	// Attestations, read from AttestationsFile ("" when there is none).
	Attestations     []Attestation
	AttestationsFile string
	// Paths are the checked paths, for the title.
	Paths []string
	// Date is the day attestations expire against.
	Date time.Time
	// LiveCluster says the objects were read from a live cluster.
	LiveCluster bool
}

// Model is the checklist.
type Model struct {
	Paths            []string
	Date             string
	Inputs           Inputs
	AttestationsFile string
	Coverage         Coverage
	Sections         []Section
}

// Inputs says what the input held.
type Inputs struct {
	Files     int `json:"files"`
	Documents int `json:"documents"`
	Objects   int `json:"objects"`
	// Manifests is true when the input held Kubernetes objects (M items
	// can be checked); AKSConfiguration when it held AKS configuration
	// (C items).
	Manifests        bool `json:"manifests"`
	AKSConfiguration bool `json:"aksConfiguration"`
	// LiveCluster is true when the objects were read from a cluster (L
	// items can be checked).
	LiveCluster bool `json:"liveCluster"`
}

// Coverage counts items. Items = Passing + Failing + Attested +
// NotApplicable + Open.
type Coverage struct {
	Items         int `json:"items"`
	Automated     int `json:"automated"`
	Passing       int `json:"passing"`
	Failing       int `json:"failing"`
	Attested      int `json:"attested"`
	NotApplicable int `json:"notApplicable"`
	Open          int `json:"open"`
	// Manual counts the items in the manual state, attested or not;
	// ExpiredAttestations the attestations past their date.
	Manual              int `json:"manual"`
	ExpiredAttestations int `json:"expiredAttestations"`
}

// Section is one section of the spec (the AKS Checklist's categories).
type Section struct {
	Name  string
	Items []Item
}

// Item is one guide item with its state.
type Item struct {
	Rule rules.Rule
	// Sources are the "automatable from" codes of the item (M, L, C, A,
	// G, P), without the qualified ones in parentheses.
	Sources []string
	State   State
	Status  Status
	// Reason says why the item is in its state.
	Reason string
	// Checks are the catalog's checks that serve the item.
	Checks []ItemCheck
	// Findings are the findings of those checks, in report order.
	Findings []check.Finding
	Counts   report.Counts
	// Attestation is the item's attestation, if any; Expired says it is
	// past its date.
	Attestation *Attestation
	Expired     bool
}

// ItemCheck is a check that serves an item.
type ItemCheck struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Ran says whether the check could run on this input; Objects counts
	// the objects it ran on (0 for checks the engine or a handler reports
	// itself).
	Ran      bool   `json:"ran"`
	Objects  int    `json:"objects"`
	Findings int    `json:"findings"`
	Target   string `json:"target"`
	Enabled  bool   `json:"enabled"`
}

var sourceRe = regexp.MustCompile(`\b[MLCAGP]\b`)
var parens = regexp.MustCompile(`\([^)]*\)`)

// Sources parses an item's "From" column: "C+M (P for image contents)"
// gives C and M; "A (partial) / P" gives A and P.
func Sources(from string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range sourceRe.FindAllString(parens.ReplaceAllString(from, ""), -1) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

var sourceNames = map[string]string{
	"M": "manifests (M)", "L": "the live cluster (L)", "C": "AKS configuration (C)",
	"A": "other Azure resources (A)", "G": "a generator (G)", "P": "process (P)",
}

// IsAKSCheck reports whether a check reads AKS configuration: its ID
// starts with aks-.
func IsAKSCheck(c *check.Check) bool { return strings.HasPrefix(c.ID, "aks-") }

// Build makes the checklist.
func Build(in Input) *Model {
	res := in.Result
	if res == nil {
		res = &engine.Result{}
	}
	enabled := in.Enabled
	if enabled == nil {
		enabled = func(c *check.Check) bool { return !c.Disabled }
	}
	m := &Model{Paths: in.Paths, AttestationsFile: in.AttestationsFile}
	if !in.Date.IsZero() {
		m.Date = in.Date.Format(time.DateOnly)
	}
	findingsByCheck := map[string][]check.Finding{}
	aksFindings := false
	for _, f := range res.Findings {
		findingsByCheck[f.Check] = append(findingsByCheck[f.Check], f)
		aksFindings = aksFindings || strings.HasPrefix(f.Check, "aks-")
	}
	m.Inputs = Inputs{
		Files: res.Files, Documents: res.Documents, Objects: res.Objects,
		Manifests:        res.Objects > 0,
		AKSConfiguration: in.HandledFiles > 0 || aksFindings,
		LiveCluster:      in.LiveCluster,
	}
	// ran says whether a check could run on this input.
	ran := func(c *check.Check) bool {
		switch {
		case !enabled(c):
			return false
		case len(findingsByCheck[c.ID]) > 0:
			return true
		case IsAKSCheck(c):
			// AKS checks (also those that join the configuration with
			// workloads) judge something only when the input holds an
			// AKS configuration, whatever objects they were run on.
			return m.Inputs.AKSConfiguration
		case in.Ran[c.ID] > 0:
			return true
		case c.Run == nil:
			// The engine's own checks (input diagnostics) look at
			// every document read.
			return res.Documents > 0
		}
		return false
	}
	servedBy := map[string][]*check.Check{}
	for _, c := range in.Catalog {
		for _, ref := range c.Refs {
			servedBy[ref] = append(servedBy[ref], c)
		}
	}
	attested := map[string]*Attestation{}
	for i := range in.Attestations {
		attested[in.Attestations[i].Item] = &in.Attestations[i]
	}
	present := map[string]bool{"M": m.Inputs.Manifests, "C": m.Inputs.AKSConfiguration, "L": m.Inputs.LiveCluster}

	index := map[string]int{}
	for _, r := range in.Rules {
		it := Item{Rule: r, Sources: Sources(r.From), Attestation: attested[r.ID]}
		automated, manifestCheck := false, false
		var notRun []string
		for _, c := range servedBy[r.ID] {
			manifestCheck = manifestCheck || !IsAKSCheck(c)
			ic := ItemCheck{ID: c.ID, Title: c.Title, Ran: ran(c), Objects: in.Ran[c.ID], Findings: len(findingsByCheck[c.ID]), Target: c.Target.Desc, Enabled: enabled(c)}
			it.Checks = append(it.Checks, ic)
			if ic.Ran {
				automated = true
				it.Findings = append(it.Findings, findingsByCheck[c.ID]...)
			} else {
				switch {
				case !ic.Enabled:
					notRun = append(notRun, c.ID+" is disabled in the configuration")
				case IsAKSCheck(c):
					notRun = append(notRun, c.ID+" needs AKS configuration")
				default:
					notRun = append(notRun, c.ID+" found no object to look at ("+c.Target.Desc+")")
				}
			}
		}
		sort.SliceStable(it.Findings, func(i, j int) bool { return check.Less(&it.Findings[i], &it.Findings[j]) })
		it.Counts = report.Count(it.Findings)
		if it.Attestation != nil && !in.Date.IsZero() {
			it.Expired = it.Attestation.ExpiredOn(in.Date)
		}
		hasP, shown := false, false
		var absent []string
		for _, s := range it.Sources {
			if s == "P" {
				hasP = true
				continue
			}
			if present[s] {
				shown = true
			} else {
				absent = append(absent, sourceNames[s])
			}
		}
		switch {
		case automated && len(it.Findings) > 0:
			it.State = Failing
			it.Reason = fmt.Sprintf("%s from %s", plural(len(it.Findings), "finding"), ranChecks(it.Checks))
		case automated:
			it.State = Passing
			it.Reason = "nothing found by " + ranChecks(it.Checks)
		case hasP:
			it.State = Manual
			it.Reason = "a process item: a person checks it and records an attestation"
			if len(notRun) > 0 {
				it.Reason += "; " + strings.Join(notRun, "; ")
			}
		case shown:
			it.State = Manual
			var why []string
			if present["M"] && slices.Contains(it.Sources, "M") && !manifestCheck {
				why = append(why, "no check of kubevet reads it from manifests yet")
			}
			why = append(why, notRun...)
			it.Reason = "this input cannot show it: " + strings.Join(why, "; ") + "; a person checks it and records an attestation"
		default:
			it.State = NotApplicable
			it.Reason = "automatable only from " + joinOr(absent) + ", which this input does not have"
		}
		valid := it.Attestation != nil && !it.Expired
		switch {
		case it.State == Passing:
			it.Status = StatusPassing
		case it.State == Failing:
			it.Status = StatusFailing
		case valid:
			it.Status = StatusAttested
		case it.State == NotApplicable:
			it.Status = StatusNotApplicable
		default:
			it.Status = StatusOpen
		}
		m.count(&it)
		si, ok := index[r.Section]
		if !ok {
			si = len(m.Sections)
			index[r.Section] = si
			m.Sections = append(m.Sections, Section{Name: r.Section})
		}
		m.Sections[si].Items = append(m.Sections[si].Items, it)
	}
	return m
}

func (m *Model) count(it *Item) {
	c := &m.Coverage
	c.Items++
	if it.State == Manual {
		c.Manual++
	}
	if it.Expired {
		c.ExpiredAttestations++
	}
	switch it.Status {
	case StatusPassing:
		c.Automated++
		c.Passing++
	case StatusFailing:
		c.Automated++
		c.Failing++
	case StatusAttested:
		c.Attested++
	case StatusNotApplicable:
		c.NotApplicable++
	default:
		c.Open++
	}
}

func ranChecks(cs []ItemCheck) string {
	var ids []string
	for _, c := range cs {
		if c.Ran {
			ids = append(ids, c.ID)
		}
	}
	return strings.Join(ids, ", ")
}

func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}

func joinOr(list []string) string {
	switch len(list) {
	case 0:
		return "data kubevet does not read"
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
}
