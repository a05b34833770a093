package report

import (
	"bufio"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/kubevet/kubevet/internal/baseline"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
)

// SARIF 2.1.0 (OASIS), for GitHub code scanning and Azure DevOps. The run
// lists every check of the catalog as a rule, as GitHub recommends, so that
// a rule's documentation is there even for results it did not produce in
// this run. Results carry the exact region, the object as a logical
// location, and a partial fingerprint made of the check, the object's
// identity and the field path (baseline.Fingerprint), so that alerts
// survive lines shifting.

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	// srcRoot is the base of relative file URIs: the folder kubevet ran in.
	srcRoot = "%SRCROOT%"
	// FingerprintKey names kubevet's partial fingerprint in SARIF results.
	FingerprintKey = "kubevetFinding/v1"
	informationURI = "https://github.com/kubevet/kubevet"
)

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifConfig struct {
	Level   string `json:"level"`
	Enabled bool   `json:"enabled"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s check.Severity) string {
	switch s {
	case check.Error:
		return "error"
	case check.Warning:
		return "warning"
	}
	return "note"
}

func sarifRuleOf(c *check.Check) sarifRule {
	tags := append([]string{}, c.Refs...)
	var md strings.Builder
	md.WriteString("**Why it matters.** " + c.Why + "\n\n**How to fix.** " + c.Fix + "\n")
	if c.Example != "" {
		md.WriteString("\n```yaml\n" + strings.TrimRight(c.Example, "\n") + "\n```\n")
	}
	if len(c.Refs) > 0 {
		md.WriteString("\nRules: " + strings.Join(c.Refs, ", ") + ". ")
	} else {
		md.WriteString("\n")
	}
	md.WriteString("[Documentation](" + CheckURL(c.ID) + ")\n")
	return sarifRule{
		ID:                   c.ID,
		ShortDescription:     sarifText{Text: c.Title},
		FullDescription:      sarifText{Text: c.Why},
		Help:                 sarifText{Text: "Why it matters: " + c.Why + "\n\nHow to fix: " + c.Fix, Markdown: md.String()},
		HelpURI:              CheckURL(c.ID),
		DefaultConfiguration: sarifConfig{Level: sarifLevel(c.Severity), Enabled: !c.Disabled},
		Properties:           map[string]any{"tags": tags},
	}
}

// artifact returns the SARIF location of a file: relative paths against
// %SRCROOT%, absolute ones as file URIs. Standard input ("-") has none.
func artifact(file string) (sarifArtifactLoc, bool) {
	if file == "" || file == "-" {
		return sarifArtifactLoc{}, false
	}
	if filepath.IsAbs(file) {
		p := filepath.ToSlash(file)
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // C:/x on Windows
		}
		return sarifArtifactLoc{URI: (&url.URL{Scheme: "file", Path: p}).String()}, true
	}
	p := filepath.ToSlash(filepath.Clean(file))
	return sarifArtifactLoc{URI: (&url.URL{Path: p}).String(), URIBaseID: srcRoot}, true
}

func physical(file string, line, col int) *sarifPhysical {
	a, ok := artifact(file)
	if !ok {
		return nil
	}
	p := &sarifPhysical{ArtifactLocation: a}
	if line > 0 {
		p.Region = &sarifRegion{StartLine: line, StartColumn: col}
	}
	return p
}

func noteLevel(l engine.NoteLevel) string {
	switch l {
	case engine.NoteError:
		return "error"
	case engine.NoteWarning:
		return "warning"
	}
	return "note"
}

// sarifRules lists every check of the catalog as a rule, then the checks
// outside the catalog that produced findings, in the order of their first
// finding; index gives each rule's position.
func sarifRules(r *Report) (rules []sarifRule, index map[string]int) {
	index = map[string]int{}
	for _, c := range r.Catalog {
		index[c.ID] = len(rules)
		rules = append(rules, sarifRuleOf(c))
	}
	for _, f := range r.Result.Findings {
		if _, ok := index[f.Check]; ok {
			continue
		}
		// A check outside the catalog: describe it from the finding.
		index[f.Check] = len(rules)
		rules = append(rules, sarifRule{
			ID: f.Check, ShortDescription: sarifText{Text: f.Check}, FullDescription: sarifText{Text: f.Check},
			Help: sarifText{Text: f.Check}, HelpURI: CheckURL(f.Check),
			DefaultConfiguration: sarifConfig{Level: sarifLevel(f.Severity), Enabled: true},
			Properties:           map[string]any{"tags": append([]string{}, f.Refs...)},
		})
	}
	return rules, index
}

// sarifResultOf is the SARIF result of a finding whose rule is at index i.
func sarifResultOf(f *check.Finding, i int) sarifResult {
	loc := sarifLocation{PhysicalLocation: physical(f.File, f.Line, f.Column)}
	if f.Object.Kind != "" || f.Object.Name != "" {
		loc.LogicalLocations = []sarifLogical{{Name: f.Object.Name, FullyQualifiedName: f.Object.String(), Kind: "resource"}}
	}
	props := map[string]any{"path": f.Path}
	if f.Object.APIVersion != "" {
		props["apiVersion"] = f.Object.APIVersion
	}
	if f.NamespaceDefaulted {
		props["namespaceDefaulted"] = true
	}
	if len(f.Profiles) > 0 {
		props["profiles"] = f.Profiles
	}
	return sarifResult{
		RuleID:              f.Check,
		RuleIndex:           i,
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: MessageOf(*f)},
		Locations:           []sarifLocation{loc},
		PartialFingerprints: map[string]string{FingerprintKey: baseline.Fingerprint(*f)},
		Properties:          props,
	}
}

// sarifRunHead is a sarifRun up to its results, the fields written before
// them.
type sarifRunHead struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds"`
	ColumnKind         string                      `json:"columnKind"`
}

// SARIF renders the result as a SARIF 2.1.0 log. The log is written as
// encoding/json writes the whole document (two-space indent, HTML not
// escaped), but its results are encoded one at a time, so that a large
// result is never held twice in memory.
func SARIF(w io.Writer, r *Report) error {
	rules, index := sarifRules(r)
	head := sarifRunHead{
		Tool:        sarifTool{Driver: sarifDriver{Name: r.Tool.Name, Version: r.Tool.Version, InformationURI: informationURI, Rules: rules}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{
			srcRoot: {Description: &sarifText{Text: "The folder kubevet was run in; file names are relative to it."}},
		},
		ColumnKind: "unicodeCodePoints",
	}
	for _, n := range r.Result.Notes {
		note := sarifNotification{Level: noteLevel(n.Level), Message: sarifText{Text: n.Message}}
		if p := physical(n.File, n.Line, 0); p != nil {
			note.Locations = []sarifLocation{{PhysicalLocation: p}}
		}
		head.Invocations[0].ToolExecutionNotifications = append(head.Invocations[0].ToolExecutionNotifications, note)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	p := newJSONPieces(false)
	// {"$schema": ..., "version": ..., "runs": [{<head>, "results": [...]}]}
	b, err := p.encodeOpen(struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
	}{sarifSchema, sarifVersion}, "")
	if err != nil {
		return err
	}
	bw.Write(b)
	bw.WriteString(",\n  \"runs\": [\n    ")
	if b, err = p.encodeOpen(head, "    "); err != nil {
		return err
	}
	bw.Write(b)
	bw.WriteString(",\n      \"results\": ")
	err = p.writeArray(bw, "      ", len(r.Result.Findings), func(i int) any {
		f := &r.Result.Findings[i]
		return sarifResultOf(f, index[f.Check])
	})
	if err != nil {
		return err
	}
	if r.Baselined > 0 {
		bw.WriteString(",\n      \"properties\": ")
		if b, err = p.encode(map[string]any{"suppressedByBaseline": r.Baselined}, "      "); err != nil {
			return err
		}
		bw.Write(b)
	}
	bw.WriteString("\n    }\n  ]\n}\n")
	return bw.Flush()
}
