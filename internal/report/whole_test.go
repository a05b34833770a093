package report

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/check"
)

// The formats as they were written before they streamed: each built its
// whole document in memory and encoded it at once, from the same pieces
// (a SARIF result, a JUnit testcase) the streamed formats now encode one
// at a time; JSON, which streamed already, with json.MarshalIndent for
// each finding. The streamed formats must write the same bytes
// (TestStreamedEqualsWhole).

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds"`
	ColumnKind         string                      `json:"columnKind"`
	Results            []sarifResult               `json:"results"`
	Properties         map[string]any              `json:"properties,omitempty"`
}

func wholeSARIF(w io.Writer, r *Report) error {
	index := map[string]int{}
	var rules []sarifRule
	for _, c := range r.Catalog {
		index[c.ID] = len(rules)
		rules = append(rules, sarifRuleOf(c))
	}
	run := sarifRun{
		Tool:        sarifTool{Driver: sarifDriver{Name: r.Tool.Name, Version: r.Tool.Version, InformationURI: informationURI}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{
			srcRoot: {Description: &sarifText{Text: "The folder kubevet was run in; file names are relative to it."}},
		},
		ColumnKind: "unicodeCodePoints",
		Results:    make([]sarifResult, 0, len(r.Result.Findings)),
	}
	for _, f := range r.Result.Findings {
		i, ok := index[f.Check]
		if !ok { // a check outside the catalog: describe it from the finding
			i = len(rules)
			index[f.Check] = i
			rules = append(rules, sarifRule{
				ID: f.Check, ShortDescription: sarifText{Text: f.Check}, FullDescription: sarifText{Text: f.Check},
				Help: sarifText{Text: f.Check}, HelpURI: CheckURL(f.Check),
				DefaultConfiguration: sarifConfig{Level: sarifLevel(f.Severity), Enabled: true},
				Properties:           map[string]any{"tags": append([]string{}, f.Refs...)},
			})
		}
		run.Results = append(run.Results, sarifResultOf(&f, i))
	}
	for _, n := range r.Result.Notes {
		note := sarifNotification{Level: noteLevel(n.Level), Message: sarifText{Text: n.Message}}
		if p := physical(n.File, n.Line, 0); p != nil {
			note.Locations = []sarifLocation{{PhysicalLocation: p}}
		}
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications, note)
	}
	if r.Baselined > 0 {
		run.Properties = map[string]any{"suppressedByBaseline": r.Baselined}
	}
	run.Tool.Driver.Rules = rules
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

func wholePolicyReport(w io.Writer, r *Report) error {
	type report struct {
		polReport `yaml:",inline"`
		Results   []polResult `yaml:"results"`
	}
	section := sections()
	var ts polTime
	if !r.Time.IsZero() {
		ts = polTime{Seconds: r.Time.Unix(), Nanos: int32(r.Time.Nanosecond())}
	}
	labels := map[string]string{"app.kubernetes.io/managed-by": r.Tool.Name}
	reports := map[string]*report{} // by namespace; "" for the cluster
	get := func(ns string) *report {
		if p, ok := reports[ns]; ok {
			return p
		}
		p := &report{polReport: *polReportOf(ns, labels)}
		reports[ns] = p
		return p
	}
	for _, f := range r.Result.Findings {
		p := get(f.Object.Namespace)
		res := polResultOf(&f, r.Tool.Name, ts, section)
		p.Results = append(p.Results, res)
		if res.Result == "fail" {
			p.Summary.Fail++
		} else {
			p.Summary.Warn++
		}
	}
	if len(reports) == 0 {
		get("")
	}
	keys := make([]string, 0, len(reports))
	for ns := range reports {
		keys = append(keys, ns)
	}
	sort.Strings(keys) // the cluster's report ("") first, then namespaces
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	for _, ns := range keys {
		p := reports[ns]
		if p.Results == nil {
			p.Results = []polResult{}
		}
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	return enc.Close()
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

func wholeJUnit(w io.Writer, r *Report) error {
	doc := junitSuites{Name: r.Tool.Name}
	suites := map[string]int{}
	suite := func(file string) *junitSuite {
		i, ok := suites[file]
		if !ok {
			i = len(doc.Suites)
			suites[file] = i
			name := slashPath(file)
			if name == "" {
				name = "(cluster)"
			}
			doc.Suites = append(doc.Suites, junitSuite{Name: name, Time: "0"})
		}
		return &doc.Suites[i]
	}
	for _, f := range r.Result.Findings {
		s := suite(f.File)
		s.Cases = append(s.Cases, junitCaseOf(&f, s.Name))
		s.Tests++
		s.Failures++
		doc.Tests++
		doc.Failures++
	}
	for _, n := range r.Result.Notes {
		s := suite(n.File)
		loc := slashPath(n.File)
		if n.Line > 0 {
			loc = fmt.Sprintf("%s:%d", loc, n.Line)
		}
		s.SystemOut += fmt.Sprintf("%s: %s: %s\n", loc, n.Level, n.Message)
	}
	if doc.Tests == 0 {
		doc.Suites = append(doc.Suites, junitNoFindings(r))
		doc.Tests = 1
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

type wholeGroup struct {
	File     string
	Findings []htmlFinding
}

func (g wholeGroup) Count() int { return len(g.Findings) }

func wholeHTML(w io.Writer, r *Report) error {
	res := r.Result
	byID := map[string]*check.Check{}
	for _, c := range r.Catalog {
		byID[c.ID] = c
	}
	var v struct {
		htmlView
		Groups []wholeGroup
	}
	v.htmlView = htmlView{
		Tool: r.Tool, Files: res.Files, Documents: res.Documents, Objects: res.Objects,
		Total: len(res.Findings), Counts: Count(res.Findings), Scores: Scores(res.Findings, res.Namespaces),
		Weights: [3]int{ScoreWeightError, ScoreWeightWarning, ScoreWeightInfo},
	}
	fired := map[string]int{}
	namespaces := map[string]bool{}
	categories := map[string]bool{}
	for i, f := range res.Findings {
		hf := htmlFindingOf(&f, byID[f.Check], Category(byID[f.Check]))
		if f.Object.Kind == "" {
			v.Unscored++
		}
		if i == 0 || f.File != res.Findings[i-1].File {
			name := f.File
			if name == "" {
				name = "(cluster)"
			}
			v.Groups = append(v.Groups, wholeGroup{File: name})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Findings = append(g.Findings, hf)
		fired[f.Check]++
		namespaces[hf.Namespace] = true
		categories[hf.Category] = true
	}
	v.Checks = htmlChecks(fired, byID)
	for _, s := range v.Scores {
		namespaces[s.Label] = true
	}
	v.Namespaces = htmlSortedKeys(namespaces)
	v.Categories = htmlSortedKeys(categories)
	v.Notes = htmlNotes(res.Notes)
	v.NoFindings = len(res.Findings) == 0
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := htmlTemplate.Execute(bw, v); err != nil {
		return err
	}
	return bw.Flush()
}

func wholeJSON(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	head := struct {
		SchemaVersion string      `json:"schemaVersion"`
		Tool          Tool        `json:"tool"`
		Summary       jsonSummary `json:"summary"`
	}{SchemaVersion, r.Tool, jsonSummary{
		Files: r.Result.Files, Documents: r.Result.Documents, Objects: r.Result.Objects,
		Findings: Count(r.Result.Findings),
	}}
	b, err := json.MarshalIndent(head, "", "  ")
	if err != nil {
		return err
	}
	bw.Write(b[:len(b)-2]) // without the closing "\n}"
	bw.WriteString(",\n  \"findings\": ")
	if err := wholeJSONArray(bw, r.Result.Findings); err != nil {
		return err
	}
	bw.WriteString(",\n  \"notes\": ")
	if err := wholeJSONArray(bw, r.Result.Notes); err != nil {
		return err
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// wholeJSONArray writes items as an array at the second level of indentation.
func wholeJSONArray[T any](bw *bufio.Writer, items []T) error {
	bw.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			bw.WriteByte(',')
		}
		b, err := json.MarshalIndent(it, "    ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString("\n    ")
		bw.Write(b)
	}
	if len(items) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteByte(']')
	return nil
}
