// Package report renders a run's result. Every format is a pure function
// of the result, chosen by name from one table.
package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
)

// Report is what the formats render.
type Report struct {
	Tool    Tool
	Result  *engine.Result
	Catalog []*check.Check
	// Color enables ANSI colours in the text format.
	Color bool
	// Time is when the run happened, for the formats that carry a
	// timestamp (policyreport).
	Time time.Time
	// Baselined counts the findings a baseline suppressed; they are not in
	// Result.
	Baselined int
}

// Tool names the program that made the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Format writes a report.
type Format func(w io.Writer, r *Report) error

// Formats is the table of output formats, by name. Its keys feed the flag
// help.
var Formats = map[string]Format{
	"text":         Text,
	"json":         JSON,
	"html":         HTML,
	"sarif":        SARIF,
	"junit":        JUnit,
	"github":       GitHub,
	"azure":        Azure,
	"markdown":     Markdown,
	"policyreport": PolicyReport,
}

// Names returns the format names, sorted.
func Names() []string {
	out := make([]string, 0, len(Formats))
	for k := range Formats {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Counts tallies findings by severity.
type Counts struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
}

// Count tallies fs.
func Count(fs []check.Finding) Counts {
	var c Counts
	for _, f := range fs {
		switch f.Severity {
		case check.Error:
			c.Error++
		case check.Warning:
			c.Warning++
		default:
			c.Info++
		}
	}
	return c
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Summary is the one-line summary of a result.
func Summary(res *engine.Result) string {
	c := Count(res.Findings)
	return fmt.Sprintf("%s, %s, %s in %s from %s",
		plural(c.Error, "error", "errors"), plural(c.Warning, "warning", "warnings"), plural(c.Info, "info", "infos"),
		plural(res.Objects, "object", "objects"), plural(res.Files, "file", "files"))
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiDim    = "\x1b[2m"
)

// Text renders findings for people: grouped by file, one line each as
// file:line:col  severity  check-id  message, then notes and a summary.
func Text(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	ew := &errWriter{w: bw}
	paint := func(code, s string) string {
		if !r.Color {
			return s
		}
		return code + s + ansiReset
	}
	sevWidth := len("warning")
	idWidth := 0
	for _, f := range r.Result.Findings {
		idWidth = max(idWidth, len(f.Check))
	}
	file := "\x00"
	for _, f := range r.Result.Findings {
		if f.File != file {
			if file != "\x00" {
				ew.printf("\n")
			}
			file = f.File
			name := f.File
			if name == "" {
				name = "(cluster)"
			}
			ew.printf("%s\n", paint(ansiBold, name))
		}
		loc := f.File
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
		}
		sev := f.Severity.String()
		pad := strings.Repeat(" ", sevWidth-len(sev))
		switch f.Severity {
		case check.Error:
			sev = paint(ansiRed, sev)
		case check.Warning:
			sev = paint(ansiYellow, sev)
		default:
			sev = paint(ansiBlue, sev)
		}
		ew.printf("%s  %s%s  %-*s  %s %s\n", loc, sev, pad, idWidth, f.Check, MessageOf(f), paint(ansiDim, "("+f.Object.String()+")"))
	}
	if len(r.Result.Findings) > 0 {
		ew.printf("\n")
	}
	for _, n := range r.Result.Notes {
		loc := n.File
		if n.Line > 0 {
			loc = fmt.Sprintf("%s:%d", n.File, n.Line)
		}
		ew.printf("%s: %s: %s\n", loc, n.Level, n.Message)
	}
	ew.printf("%s%s\n", Summary(r.Result), baselineSummary(r.Baselined))
	if ew.err != nil {
		return ew.err
	}
	return bw.Flush()
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// byGroup lists the indexes 0 to n-1 by group, each group's in their
// order: group k's are order[start[k]:start[k+1]]. The formats that write
// findings grouped (by file, by namespace) use it to stream each group
// without assuming the findings come grouped; it takes 4 bytes a finding.
func byGroup(n, groups int, groupOf func(i int) int) (order []int32, start []int) {
	start = make([]int, groups+1)
	for i := range n {
		start[groupOf(i)+1]++
	}
	for k := range groups {
		start[k+1] += start[k]
	}
	next := append([]int(nil), start[:groups]...)
	order = make([]int32, n)
	for i := range n {
		k := groupOf(i)
		order[next[k]] = int32(i)
		next[k]++
	}
	return order, start
}

// MessageOf is a finding's message for people: with the values profiles it
// appears in, when the run rendered charts with profiles.
func MessageOf(f check.Finding) string {
	if len(f.Profiles) == 0 {
		return f.Message
	}
	return f.Message + " [profiles: " + strings.Join(f.Profiles, ", ") + "]"
}
