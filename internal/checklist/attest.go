package checklist

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"

	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/config"
)

// FileName is the attestation file kubevet looks for, like .kubevet.yaml:
// in the checked path's folder or one of its parents.
const FileName = "kubevet-attestations.yaml"

// Attestation records that a person checked a guide item by hand.
type Attestation struct {
	// Item is the rule ID (DR-05).
	Item string `json:"item"`
	// Who checked it.
	Who string `json:"who"`
	// Date is when it was checked; Expires when the attestation must be
	// renewed (zero: never).
	Date    time.Time `json:"-"`
	Expires time.Time `json:"-"`
	// Evidence is a link to what shows it (a ticket, a test report, a
	// wiki page).
	Evidence string `json:"evidence"`
	// Note is optional free text.
	Note string `json:"note,omitempty"`
	// File and Line locate the entry.
	File string `json:"file"`
	Line int    `json:"line"`
}

// ExpiredOn reports whether a is past its expiry on day: an attestation
// holds through its expiry date.
func (a *Attestation) ExpiredOn(day time.Time) bool {
	return !a.Expires.IsZero() && !day.Before(a.Expires.AddDate(0, 0, 1))
}

// Error is a problem in the attestation file at a position, reported like
// a configuration error.
type Error = config.Error

// Find returns the attestation file that applies to path: the first
// kubevet-attestations.yaml in path's folder or one of its parents, or "".
func Find(path string) string { return config.FindUp(path, FileName) }

// LoadAttestations reads and parses the attestation file at path.
func LoadAttestations(path string, known func(id string) bool) ([]Attestation, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading attestations: %w", err)
	}
	return ParseAttestations(path, data, known)
}

var attestationKeys = []string{"item", "who", "date", "evidence", "expires", "note"}

type attParser struct {
	file string
	errs []error
}

func (p *attParser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// ParseAttestations parses an attestation file strictly: an unknown key, a
// missing field, a bad date, a link that is not one, an unknown item (known
// says which rule IDs exist) and an item attested twice are errors that
// name their line. Every error is reported, joined.
func ParseAttestations(file string, data []byte, known func(id string) bool) ([]Attestation, error) {
	p := attParser{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "want a mapping with the key attestations, got %s", describe(root))
		return nil, errors.Join(p.errs...)
	}
	var out []Attestation
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "attestations" {
			p.errorf(k, "unknown key %q (want attestations)", k.Value)
			continue
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue
		}
		if v.Kind != yaml.SequenceNode {
			p.errorf(v, "attestations: want a list, got %s", describe(v))
			continue
		}
		for _, e := range v.Content {
			a, ok := p.entry(e, known)
			if !ok {
				continue
			}
			if line, dup := seen[a.Item]; dup {
				p.errorf(e, "item %s is already attested at line %d; keep one attestation per item", a.Item, line)
				continue
			}
			seen[a.Item] = a.Line
			out = append(out, a)
		}
	}
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool {
			a, b := p.errs[i].(*Error), p.errs[j].(*Error)
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Column < b.Column
		})
		return nil, errors.Join(p.errs...)
	}
	return out, nil
}

func (p *attParser) entry(n *yaml.Node, known func(string) bool) (Attestation, bool) {
	a := Attestation{File: p.file, Line: n.Line}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "attestation: want a mapping with item, who, date, evidence and expires, got %s", describe(n))
		return a, false
	}
	nerr := len(p.errs)
	got := map[string]*yaml.Node{}  // keys with a usable value
	keys := map[string]*yaml.Node{} // every key given
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(attestationKeys, k.Value) {
			p.errorf(k, "unknown key %q (want %s)", k.Value, strings.Join(attestationKeys, ", "))
			continue
		}
		if prev, dup := keys[k.Value]; dup {
			p.errorf(k, "key %q is given twice (first at line %d)", k.Value, prev.Line)
			continue
		}
		keys[k.Value] = k
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
			p.errorf(v, "%s: want a value, got %s", k.Value, describe(v))
			continue
		}
		got[k.Value] = v
	}
	for _, req := range []string{"item", "who", "date", "evidence"} {
		if keys[req] == nil {
			p.errorf(n, "attestation: %s is missing", req)
		}
	}
	if v := got["item"]; v != nil {
		a.Item = v.Value
		if known != nil && !known(a.Item) {
			p.errorf(v, "unknown item %q: not a rule ID of the guides (kubevet checklist lists them)", a.Item)
		}
	}
	if v := got["who"]; v != nil {
		a.Who = v.Value
	}
	if v := got["note"]; v != nil {
		a.Note = v.Value
	}
	if v := got["evidence"]; v != nil {
		a.Evidence = v.Value
		u, err := url.Parse(v.Value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.errorf(v, "evidence %q is not a link: want an http:// or https:// URL to the ticket, report or page that shows it", v.Value)
		}
	}
	date := func(key string) time.Time {
		v := got[key]
		if v == nil {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, v.Value)
		if err != nil {
			p.errorf(v, "%s %q is not a date: want YYYY-MM-DD", key, v.Value)
		}
		return t
	}
	a.Date = date("date")
	a.Expires = date("expires")
	if !a.Date.IsZero() && !a.Expires.IsZero() && a.Expires.Before(a.Date) {
		p.errorf(got["expires"], "expires %s is before the date of the attestation, %s", got["expires"].Value, got["date"].Value)
	}
	return a, len(p.errs) == nerr
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}
