package report

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kubevet/kubevet/internal/check"
)

// JUnit XML for the test-report tabs of CI systems (Azure DevOps, GitLab,
// Jenkins). One testsuite per file; each finding is a failed testcase whose
// failure type is the check ID. The result lists findings, not the objects
// that passed, so clean objects do not appear as passing testcases; a run
// without findings is one passing testcase, so that the tab shows green.

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

// junitCaseOf is the failed testcase of a finding, in the suite named
// suite.
func junitCaseOf(f *check.Finding, suite string) junitCase {
	body := fmt.Sprintf("%s  %s  %s\n%s\n", location(*f), f.Severity, f.Check, MessageOf(*f))
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
	return junitCase{
		Name: junitCaseName(*f), Classname: suite, File: slashPath(f.File), Line: f.Line, Time: "0",
		Failure: &junitFailure{Message: f.Severity.String() + ": " + MessageOf(*f), Type: f.Check, Text: body},
	}
}

// junitNoFindings is the passing suite of a run without findings.
func junitNoFindings(r *Report) junitSuite {
	return junitSuite{Name: r.Tool.Name, Tests: 1, Time: "0", Cases: []junitCase{{
		Name: "no findings in " + plural(r.Result.Objects, "object", "objects") + " from " + plural(r.Result.Files, "file", "files"), Classname: r.Tool.Name, Time: "0",
	}}}
}

// junitFiles lists the files of the findings, then those of notes only,
// in the order they first appear: one testsuite each, without its cases.
// order lists the findings by suite, each suite's in their order: start[k]
// is where suite k's begin.
func junitFiles(r *Report) (suites []junitSuite, order []int32, start []int) {
	index := map[string]int{}
	suite := func(file string) int {
		k, ok := index[file]
		if !ok {
			k = len(suites)
			index[file] = k
			name := slashPath(file)
			if name == "" {
				name = "(cluster)"
			}
			suites = append(suites, junitSuite{Name: name, Time: "0"})
		}
		return k
	}
	fs := r.Result.Findings
	for i := range fs {
		s := &suites[suite(fs[i].File)]
		s.Tests++
		s.Failures++
	}
	out := map[int]*strings.Builder{} // the notes of each suite, as its system-out
	for _, n := range r.Result.Notes {
		k := suite(n.File)
		if out[k] == nil {
			out[k] = &strings.Builder{}
		}
		loc := slashPath(n.File)
		if n.Line > 0 {
			loc = fmt.Sprintf("%s:%d", loc, n.Line)
		}
		fmt.Fprintf(out[k], "%s: %s: %s\n", loc, n.Level, n.Message)
	}
	for k, b := range out {
		suites[k].SystemOut = b.String()
	}
	order, start = byGroup(len(fs), len(suites), func(i int) int { return index[fs[i].File] })
	return suites, order, start
}

func xmlAttrs(kv ...string) []xml.Attr {
	attrs := make([]xml.Attr, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: kv[i]}, Value: kv[i+1]})
	}
	return attrs
}

// JUnit renders the result as JUnit XML. The document is written as
// encoding/xml writes it whole (two-space indent), but a first pass counts
// the suites' tests and the second encodes each testcase on its own, so
// that the cases are never all held in memory.
func JUnit(w io.Writer, r *Report) error {
	suites, order, start := junitFiles(r)
	tests := len(r.Result.Findings)
	failures := tests
	if tests == 0 {
		tests = 1
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	root := xml.StartElement{Name: xml.Name{Local: "testsuites"}, Attr: xmlAttrs(
		"name", r.Tool.Name, "tests", strconv.Itoa(tests), "failures", strconv.Itoa(failures), "errors", "0")}
	if err := enc.EncodeToken(root); err != nil {
		return err
	}
	for k, s := range suites {
		el := xml.StartElement{Name: xml.Name{Local: "testsuite"}, Attr: xmlAttrs(
			"name", s.Name, "tests", strconv.Itoa(s.Tests), "failures", strconv.Itoa(s.Failures),
			"errors", strconv.Itoa(s.Errors), "skipped", strconv.Itoa(s.Skipped), "time", s.Time)}
		if err := enc.EncodeToken(el); err != nil {
			return err
		}
		for _, i := range order[start[k]:start[k+1]] {
			c := junitCaseOf(&r.Result.Findings[i], s.Name)
			if err := enc.EncodeElement(c, xml.StartElement{Name: xml.Name{Local: "testcase"}}); err != nil {
				return err
			}
		}
		if s.SystemOut != "" {
			if err := enc.EncodeElement(s.SystemOut, xml.StartElement{Name: xml.Name{Local: "system-out"}}); err != nil {
				return err
			}
		}
		if err := enc.EncodeToken(el.End()); err != nil {
			return err
		}
	}
	if len(r.Result.Findings) == 0 {
		if err := enc.EncodeElement(junitNoFindings(r), xml.StartElement{Name: xml.Name{Local: "testsuite"}}); err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	bw.WriteString("\n")
	return bw.Flush()
}
