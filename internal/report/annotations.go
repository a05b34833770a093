package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
)

// GitHub Actions workflow commands and Azure DevOps logging commands: one
// line per finding, which the runner turns into an annotation on the file
// and line, then the summary line as plain log output.

var (
	// As the GitHub Actions toolkit escapes command data and properties.
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	// As the Azure Pipelines task library escapes command data and
	// properties (azure-pipelines-task-lib, node/taskcommand.ts).
	azureData     = strings.NewReplacer("%", "%AZP25", "\r", "%0D", "\n", "%0A")
	azureProperty = strings.NewReplacer("%", "%AZP25", "\r", "%0D", "\n", "%0A", "]", "%5D", ";", "%3B")
)

// GitHubData escapes the message of a workflow command.
func GitHubData(s string) string { return githubData.Replace(s) }

// GitHubProperty escapes a property value of a workflow command.
func GitHubProperty(s string) string { return githubProperty.Replace(s) }

// AzureData escapes the message of a logging command.
func AzureData(s string) string { return azureData.Replace(s) }

// AzureProperty escapes a property value of a logging command.
func AzureProperty(s string) string { return azureProperty.Replace(s) }

// annotationMessage is the text of a finding's annotation: the message, the
// object and a link to the check's documentation.
func annotationMessage(f check.Finding) string {
	s := MessageOf(f)
	if f.Object.Kind != "" {
		s += " (" + f.Object.String() + ")"
	}
	return s + "\n" + CheckURL(f.Check)
}

// writeAnnotation writes annotationMessage(f) escaped by esc, a replacer
// of single bytes, piece by piece instead of building it.
func writeAnnotation(bw *bufio.Writer, esc *strings.Replacer, f *check.Finding) {
	esc.WriteString(bw, MessageOf(*f))
	if f.Object.Kind != "" {
		esc.WriteString(bw, " (")
		esc.WriteString(bw, f.Object.String())
		esc.WriteString(bw, ")")
	}
	esc.WriteString(bw, "\n")
	esc.WriteString(bw, CheckURL(f.Check))
}

// githubCommand writes a workflow command up to its message: ::level
// followed by the properties that have a value, then ::.
func githubCommand(bw *bufio.Writer, level string, props ...[2]string) {
	bw.WriteString("::" + level)
	sep := " "
	for _, p := range props {
		if p[1] == "" {
			continue
		}
		bw.WriteString(sep + p[0] + "=")
		githubProperty.WriteString(bw, p[1])
		sep = ","
	}
	bw.WriteString("::")
}

// GitHub renders findings as GitHub Actions workflow commands: ::error for
// errors, ::warning for warnings, ::notice for infos, with the file, line,
// column and the check ID as the title. Notes come as commands of their
// level, then the summary line.
func GitHub(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	for i := range r.Result.Findings {
		f := &r.Result.Findings[i]
		level := "notice"
		switch f.Severity {
		case check.Error:
			level = "error"
		case check.Warning:
			level = "warning"
		}
		githubCommand(bw, level, [2]string{"file", slashPath(f.File)}, [2]string{"line", itoa(f.Line)}, [2]string{"col", itoa(f.Column)}, [2]string{"title", f.Check})
		writeAnnotation(bw, githubData, f)
		bw.WriteByte('\n')
	}
	for _, n := range r.Result.Notes {
		level := "notice"
		switch n.Level {
		case engine.NoteError:
			level = "error"
		case engine.NoteWarning:
			level = "warning"
		}
		githubCommand(bw, level, [2]string{"file", slashPath(n.File)}, [2]string{"line", itoa(n.Line)}, [2]string{"title", "kubevet"})
		githubData.WriteString(bw, n.Message)
		bw.WriteByte('\n')
	}
	fmt.Fprintf(bw, "%s%s\n", Summary(r.Result), baselineSummary(r.Baselined))
	return bw.Flush()
}

// azureIssue writes a logging command up to its message:
// ##vso[task.logissue type=typ followed by the properties that have a
// value, then ].
func azureIssue(bw *bufio.Writer, typ string, props ...[2]string) {
	bw.WriteString("##vso[task.logissue type=" + typ)
	for _, p := range props {
		if p[1] != "" {
			bw.WriteString(";" + p[0] + "=")
			azureProperty.WriteString(bw, p[1])
		}
	}
	bw.WriteByte(']')
}

// Azure renders findings as Azure DevOps logging commands (task.logissue)
// with the file, line, column and the check ID as the code. Logging
// commands know only errors and warnings: info findings and notes are
// printed as plain log lines, not issues, so that advice does not mark a
// pipeline as having issues.
func Azure(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	for i := range r.Result.Findings {
		f := &r.Result.Findings[i]
		switch f.Severity {
		case check.Error, check.Warning:
			azureIssue(bw, f.Severity.String(), [2]string{"sourcepath", slashPath(f.File)}, [2]string{"linenumber", itoa(f.Line)}, [2]string{"columnnumber", itoa(f.Column)}, [2]string{"code", f.Check})
			writeAnnotation(bw, azureData, f)
			bw.WriteByte('\n')
		default:
			fmt.Fprintf(bw, "%s  info  %s  %s\n", plainLine(location(*f)), f.Check, plainLine(annotationMessage(*f)))
		}
	}
	for _, n := range r.Result.Notes {
		switch n.Level {
		case engine.NoteError, engine.NoteWarning:
			azureIssue(bw, string(n.Level), [2]string{"sourcepath", slashPath(n.File)}, [2]string{"linenumber", itoa(n.Line)})
			azureData.WriteString(bw, n.Message)
			bw.WriteByte('\n')
		default:
			loc := n.File
			if n.Line > 0 {
				loc = fmt.Sprintf("%s:%d", n.File, n.Line)
			}
			fmt.Fprintf(bw, "%s: info: %s\n", plainLine(loc), plainLine(n.Message))
		}
	}
	fmt.Fprintf(bw, "%s%s\n", Summary(r.Result), baselineSummary(r.Baselined))
	return bw.Flush()
}

// plainLine keeps a plain log line on one line and stops text from the
// manifests from being read as a logging command (the agent finds ##vso[
// anywhere in a line) or a formatting command (##[ at the start).
var plainLine = strings.NewReplacer("\r", " ", "\n", " ", "##vso[", "##vso [", "##[", "## [").Replace

func itoa(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}
