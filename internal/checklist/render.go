package checklist

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kubevet/kubevet/internal/check"
)

// Format writes a checklist.
type Format func(w io.Writer, m *Model) error

// Formats is the table of checklist output formats, by name.
var Formats = map[string]Format{
	"text":     Text,
	"markdown": Markdown,
	"html":     HTML,
	"json":     JSON,
}

// FormatNames returns the format names, sorted.
func FormatNames() []string {
	out := make([]string, 0, len(Formats))
	for k := range Formats {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// shownFindings is how many findings of a failing item the text, Markdown
// and HTML formats list; kubevet check lists them all.
const shownFindings = 5

// CoverageLine sums up the coverage in one line.
func (m *Model) CoverageLine() string {
	c := m.Coverage
	return fmt.Sprintf("%d items: %d automated (%d passing, %d failing), %d attested, %d not applicable, %d open",
		c.Items, c.Automated, c.Passing, c.Failing, c.Attested, c.NotApplicable, c.Open)
}

// ExpiredLine says how many attestations expired, or "".
func (m *Model) ExpiredLine() string {
	switch n := m.Coverage.ExpiredAttestations; n {
	case 0:
		return ""
	case 1:
		return "1 attestation expired: renew it or fix the item"
	default:
		return fmt.Sprintf("%d attestations expired: renew them or fix the items", n)
	}
}

// InputsLine says what the input held.
func (m *Model) InputsLine() string {
	in := m.Inputs
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	if in.LiveCluster {
		return fmt.Sprintf("%s from a live cluster; AKS configuration: %s; other Azure resources: not read",
			plural(in.Objects, "object"), yes(in.AKSConfiguration))
	}
	return fmt.Sprintf("%s, %s, %s; manifests: %s; AKS configuration: %s; live cluster and other Azure resources: not read",
		plural(in.Files, "file"), plural(in.Documents, "document"), plural(in.Objects, "object"), yes(in.Manifests), yes(in.AKSConfiguration))
}

// AttestationLine describes an item's attestation.
func (it *Item) AttestationLine() string {
	a := it.Attestation
	if a == nil {
		return ""
	}
	s := "attested by " + a.Who + " on " + a.Date.Format(time.DateOnly)
	switch {
	case it.Expired:
		s = "EXPIRED on " + a.Expires.Format(time.DateOnly) + ": " + s
	case !a.Expires.IsZero():
		s += ", until " + a.Expires.Format(time.DateOnly)
	}
	s += ": " + a.Evidence
	if a.Note != "" {
		s += " (" + a.Note + ")"
	}
	if it.State == Failing {
		s += "; the attestation does not hide the failure"
	}
	return s
}

// ShownFindings are the findings the text, Markdown and HTML formats list.
func (it *Item) ShownFindings() []check.Finding {
	return it.Findings[:min(len(it.Findings), shownFindings)]
}

// MoreFindings counts the findings the text, Markdown and HTML formats
// leave out.
func (it *Item) MoreFindings() int { return max(0, len(it.Findings)-shownFindings) }

// Title is the item's text without Markdown emphasis.
func (it *Item) Title() string { return strings.ReplaceAll(it.Rule.Item, "**", "") }

func location(f *check.Finding) string {
	loc := f.File
	if loc == "" {
		loc = "(cluster)"
	}
	if f.Line > 0 {
		loc += ":" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column)
	}
	return loc
}

// Text renders the checklist for a terminal.
func Text(w io.Writer, m *Model) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "kubevet checklist of %s", strings.Join(m.Paths, " "))
	if m.Date != "" {
		fmt.Fprintf(bw, " on %s", m.Date)
	}
	fmt.Fprintf(bw, "\ninput: %s\n", m.InputsLine())
	if m.AttestationsFile != "" {
		fmt.Fprintf(bw, "attestations: %s\n", m.AttestationsFile)
	}
	for _, s := range m.Sections {
		fmt.Fprintf(bw, "\n%s\n", s.Name)
		for i := range s.Items {
			it := &s.Items[i]
			fmt.Fprintf(bw, "  %-7s %-14s %s\n", it.Rule.ID, it.Status.Label(), it.Title())
			fmt.Fprintf(bw, "  %-7s %-14s %s\n", "", "", it.Reason)
			if a := it.AttestationLine(); a != "" {
				fmt.Fprintf(bw, "  %-7s %-14s %s\n", "", "", a)
			}
			for j, f := range it.Findings {
				if j == shownFindings {
					fmt.Fprintf(bw, "  %-7s %-14s ... and %d more (kubevet check lists them all)\n", "", "", len(it.Findings)-j)
					break
				}
				fmt.Fprintf(bw, "  %-7s %-14s %s  %s  %s  %s\n", "", "", location(&f), f.Severity, f.Check, f.Message)
			}
		}
	}
	fmt.Fprintf(bw, "\ncoverage: %s\n", m.CoverageLine())
	if e := m.ExpiredLine(); e != "" {
		fmt.Fprintf(bw, "%s\n", e)
	}
	return bw.Flush()
}

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}

// Markdown renders the checklist as a Markdown document (for a pull
// request comment, a wiki page or an audit record).
func Markdown(w io.Writer, m *Model) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# kubevet checklist\n\n")
	fmt.Fprintf(bw, "Checked: `%s`", strings.Join(m.Paths, " "))
	if m.Date != "" {
		fmt.Fprintf(bw, " on %s", m.Date)
	}
	fmt.Fprintf(bw, ". Input: %s.", m.InputsLine())
	if m.AttestationsFile != "" {
		fmt.Fprintf(bw, " Attestations: `%s`.", m.AttestationsFile)
	}
	c := m.Coverage
	fmt.Fprintf(bw, "\n\n| Items | Automated | Passing | Failing | Attested | Not applicable | Open |\n|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(bw, "| %d | %d | %d | %d | %d | %d | %d |\n", c.Items, c.Automated, c.Passing, c.Failing, c.Attested, c.NotApplicable, c.Open)
	if e := m.ExpiredLine(); e != "" {
		fmt.Fprintf(bw, "\n**%s.**\n", e)
	}
	for _, s := range m.Sections {
		fmt.Fprintf(bw, "\n## %s\n\n| Item | Status | Guide item | Details |\n|---|---|---|---|\n", s.Name)
		for i := range s.Items {
			it := &s.Items[i]
			var d []string
			d = append(d, mdCell(it.Reason))
			if a := it.AttestationLine(); a != "" {
				d = append(d, mdCell(a))
			}
			for j, f := range it.Findings {
				if j == shownFindings {
					d = append(d, fmt.Sprintf("… and %d more", len(it.Findings)-j))
					break
				}
				d = append(d, mdCell(fmt.Sprintf("%s %s %s: %s", location(&f), f.Severity, f.Check, f.Message)))
			}
			status := it.Status.Label()
			if it.Status == StatusFailing || it.Expired {
				status = "**" + status + "**"
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", it.Rule.ID, status, mdCell(it.Rule.Item), strings.Join(d, "<br>"))
		}
	}
	fmt.Fprintf(bw, "\nCoverage: %s.\n", m.CoverageLine())
	return bw.Flush()
}

// ChecklistSchema is the version of the JSON checklist format.
const ChecklistSchema = "kubevet.io/checklist/v1"

type jsonAttestation struct {
	Who      string `json:"who"`
	Date     string `json:"date"`
	Expires  string `json:"expires,omitempty"`
	Evidence string `json:"evidence"`
	Note     string `json:"note,omitempty"`
	Expired  bool   `json:"expired"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

type jsonItem struct {
	ID          string           `json:"id"`
	Item        string           `json:"item"`
	Seeds       string           `json:"seeds"`
	From        string           `json:"from"`
	Sources     []string         `json:"sources"`
	Severity    string           `json:"severity"`
	State       State            `json:"state"`
	Status      Status           `json:"status"`
	Reason      string           `json:"reason"`
	Checks      []ItemCheck      `json:"checks"`
	Counts      any              `json:"findingCounts"`
	Findings    []check.Finding  `json:"findings"`
	Attestation *jsonAttestation `json:"attestation,omitempty"`
}

type jsonSection struct {
	Name  string     `json:"name"`
	Items []jsonItem `json:"items"`
}

// JSON renders the checklist for machines: every finding of every
// automated item is included.
func JSON(w io.Writer, m *Model) error {
	doc := struct {
		SchemaVersion    string        `json:"schemaVersion"`
		Paths            []string      `json:"paths"`
		Date             string        `json:"date"`
		Inputs           Inputs        `json:"inputs"`
		AttestationsFile string        `json:"attestationsFile,omitempty"`
		Coverage         Coverage      `json:"coverage"`
		Sections         []jsonSection `json:"sections"`
	}{SchemaVersion: ChecklistSchema, Paths: m.Paths, Date: m.Date, Inputs: m.Inputs, AttestationsFile: m.AttestationsFile, Coverage: m.Coverage}
	for _, s := range m.Sections {
		js := jsonSection{Name: s.Name, Items: []jsonItem{}}
		for _, it := range s.Items {
			ji := jsonItem{
				ID: it.Rule.ID, Item: it.Title(), Seeds: it.Rule.Seeds, From: it.Rule.From, Sources: it.Sources,
				Severity: it.Rule.Severity, State: it.State, Status: it.Status, Reason: it.Reason,
				Checks: it.Checks, Counts: it.Counts, Findings: it.Findings,
			}
			if ji.Checks == nil {
				ji.Checks = []ItemCheck{}
			}
			if ji.Findings == nil {
				ji.Findings = []check.Finding{}
			}
			if a := it.Attestation; a != nil {
				ja := &jsonAttestation{Who: a.Who, Date: a.Date.Format(time.DateOnly), Evidence: a.Evidence, Note: a.Note, Expired: it.Expired, File: a.File, Line: a.Line}
				if !a.Expires.IsZero() {
					ja.Expires = a.Expires.Format(time.DateOnly)
				}
				ji.Attestation = ja
			}
			js.Items = append(js.Items, ji)
		}
		doc.Sections = append(doc.Sections, js)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
