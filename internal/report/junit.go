package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/kubevet/kubevet/internal/check"
)

// JUnit XML for the test-report tabs of CI systems (Azure DevOps, GitLab,
// Jenkins). One testsuite per file; each finding is a failed testcase whose
// failure type is the check ID. The result lists findings, not the objects
// that passed, so clean objects do not appear as passing testcases; a run
// without findings is one passing testcase, so that the tab shows green.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Cases     []junitCase `xml:"testcase"`
	SystemOut string      `xml:"system-out,omitempty"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitCaseName names a finding's testcase without its line, so that test
// tabs that follow a testcase across runs keep following it.
func junitCaseName(f check.Finding) string {
	var parts []string
	if f.Object.Kind != "" {
		parts = append(parts, f.Object.String())
	}
	parts = append(parts, f.Check)
	if f.Path != "" {
		parts = append(parts, f.Path)
	}
	return strings.Join(parts, " ")
}

// JUnit renders the result as JUnit XML.
func JUnit(w io.Writer, r *Report) error {
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
		body := fmt.Sprintf("%s  %s  %s\n%s\n", location(f), f.Severity, f.Check, MessageOf(f))
		if f.Object.Kind != "" {
			body += "object: " + f.Object.String() + "\n"
		}
		if f.Path != "" {
			body += "path: " + f.Path + "\n"
		}
		if len(f.Refs) > 0 {
			body += "rules: " + strings.Join(f.Refs, ", ") + "\n"
		}
		body += "docs: " + CheckURL(f.Check) + "\n"
		s.Cases = append(s.Cases, junitCase{
			Name: junitCaseName(f), Classname: s.Name, File: slashPath(f.File), Line: f.Line, Time: "0",
			Failure: &junitFailure{Message: f.Severity.String() + ": " + MessageOf(f), Type: f.Check, Text: body},
		})
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
		doc.Suites = append(doc.Suites, junitSuite{Name: r.Tool.Name, Tests: 1, Time: "0", Cases: []junitCase{{
			Name: "no findings in " + plural(r.Result.Objects, "object", "objects") + " from " + plural(r.Result.Files, "file", "files"), Classname: r.Tool.Name, Time: "0",
		}}})
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
