package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/kubevet/kubevet/internal/check"
)

// Markdown renders the result for a pull-request comment: a summary table,
// then the findings of each file in a collapsible block, each with its line,
// severity, check (linked to its documentation), message and object.
func Markdown(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	res := r.Result
	c := Count(res.Findings)
	fmt.Fprintf(bw, "## %s\n\n", r.Tool.Name)
	bw.WriteString("| Errors | Warnings | Infos | Objects | Files |\n|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(bw, "| %d | %d | %d | %d | %d |\n\n", c.Error, c.Warning, c.Info, res.Objects, res.Files)
	if r.Baselined > 0 {
		fmt.Fprintf(bw, "%s suppressed by the baseline.\n\n", plural(r.Baselined, "finding", "findings"))
	}
	if len(res.Findings) == 0 {
		bw.WriteString("No findings.\n")
	}
	for i := 0; i < len(res.Findings); {
		j := i
		for j < len(res.Findings) && res.Findings[j].File == res.Findings[i].File {
			j++
		}
		writeMarkdownFile(bw, res.Findings[i:j])
		i = j
	}
	if len(res.Notes) > 0 {
		fmt.Fprintf(bw, "<details>\n<summary>%s</summary>\n\n", plural(len(res.Notes), "note", "notes"))
		for _, n := range res.Notes {
			loc := n.File
			if n.Line > 0 {
				loc = fmt.Sprintf("%s:%d", n.File, n.Line)
			}
			fmt.Fprintf(bw, "- `%s` %s: %s\n", mdCode(loc), n.Level, mdText(n.Message))
		}
		bw.WriteString("\n</details>\n")
	}
	return bw.Flush()
}

func writeMarkdownFile(bw *bufio.Writer, fs []check.Finding) {
	name := fs[0].File
	if name == "" {
		name = "(cluster)"
	}
	c := Count(fs)
	var counts []string
	for _, n := range []struct {
		n         int
		one, many string
	}{{c.Error, "error", "errors"}, {c.Warning, "warning", "warnings"}, {c.Info, "info", "infos"}} {
		if n.n > 0 {
			counts = append(counts, plural(n.n, n.one, n.many))
		}
	}
	fmt.Fprintf(bw, "<details>\n<summary><code>%s</code>: %s</summary>\n\n", htmlText(slashPath(name)), strings.Join(counts, ", "))
	bw.WriteString("| Line | Severity | Check | Message | Object |\n|---:|---|---|---|---|\n")
	for _, f := range fs {
		line := ""
		if f.Line > 0 {
			line = fmt.Sprintf("%d:%d", f.Line, f.Column)
		}
		obj := ""
		if f.Object.Kind != "" {
			obj = "`" + mdCode(f.Object.String()) + "`"
		}
		fmt.Fprintf(bw, "| %s | %s | [`%s`](%s) | %s | %s |\n", line, f.Severity, f.Check, CheckURL(f.Check), mdText(MessageOf(f)), obj)
	}
	bw.WriteString("\n</details>\n\n")
}

var (
	htmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace
	// mdText keeps text from the manifests inert in a table cell: no cell
	// break, no HTML, no @mention, one line.
	mdText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "|", "\\|", "@", "&#64;", "\r", "", "\n", "<br>").Replace
	// mdCode is for text inside a code span in a table cell.
	mdCode = strings.NewReplacer("`", "'", "|", "\\|", "\r", "", "\n", " ").Replace
)
