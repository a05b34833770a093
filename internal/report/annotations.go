package report

import (
	"bufio"
	"fmt"
	"io"
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

// GitHub renders findings as GitHub Actions workflow commands: ::error for
// errors, ::warning for warnings, ::notice for infos, with the file, line,
// column and the check ID as the title. Notes come as commands of their
// level, then the summary line.
func GitHub(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	cmd := func(level string, props [][2]string, msg string) {
		var b strings.Builder
		b.WriteString("::" + level)
		sep := " "
		for _, p := range props {
			if p[1] == "" {
				continue
			}
			b.WriteString(sep + p[0] + "=" + GitHubProperty(p[1]))
			sep = ","
		}
		b.WriteString("::" + GitHubData(msg) + "\n")
		bw.WriteString(b.String())
	}
	for _, f := range r.Result.Findings {
		level := "notice"
		switch f.Severity {
		case check.Error:
			level = "error"
		case check.Warning:
			level = "warning"
		}
		cmd(level, [][2]string{{"file", slashPath(f.File)}, {"line", itoa(f.Line)}, {"col", itoa(f.Column)}, {"title", f.Check}}, annotationMessage(f))
	}
	for _, n := range r.Result.Notes {
		level := "notice"
		switch n.Level {
		case engine.NoteError:
			level = "error"
		case engine.NoteWarning:
			level = "warning"
		}
		cmd(level, [][2]string{{"file", slashPath(n.File)}, {"line", itoa(n.Line)}, {"title", "kubevet"}}, n.Message)
	}
	fmt.Fprintf(bw, "%s%s\n", Summary(r.Result), baselineSummary(r.Baselined))
	return bw.Flush()
}

// Azure renders findings as Azure DevOps logging commands (task.logissue)
// with the file, line, column and the check ID as the code. Logging
// commands know only errors and warnings: info findings and notes are
// printed as plain log lines, not issues, so that advice does not mark a
// pipeline as having issues.
func Azure(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	issue := func(typ string, props [][2]string, msg string) {
		var b strings.Builder
		b.WriteString("##vso[task.logissue type=" + typ)
		for _, p := range props {
			if p[1] != "" {
				b.WriteString(";" + p[0] + "=" + AzureProperty(p[1]))
			}
		}
		b.WriteString("]" + AzureData(msg) + "\n")
		bw.WriteString(b.String())
	}
	for _, f := range r.Result.Findings {
		switch f.Severity {
		case check.Error, check.Warning:
			issue(f.Severity.String(), [][2]string{{"sourcepath", slashPath(f.File)}, {"linenumber", itoa(f.Line)}, {"columnnumber", itoa(f.Column)}, {"code", f.Check}}, annotationMessage(f))
		default:
			fmt.Fprintf(bw, "%s  info  %s  %s\n", plainLine(location(f)), f.Check, plainLine(annotationMessage(f)))
		}
	}
	for _, n := range r.Result.Notes {
		switch n.Level {
		case engine.NoteError, engine.NoteWarning:
			issue(string(n.Level), [][2]string{{"sourcepath", slashPath(n.File)}, {"linenumber", itoa(n.Line)}}, n.Message)
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
	return fmt.Sprint(n)
}
