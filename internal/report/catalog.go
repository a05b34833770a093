package report

import (
	"fmt"
	"path/filepath"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/rules"
)

// DocsURL is the page that documents every check; a check's section is
// DocsURL + "#" + its ID.
const DocsURL = "https://github.com/kubevet/kubevet/blob/main/docs/checks.md"

// CheckURL links to the documentation of the check with the given ID.
func CheckURL(id string) string { return DocsURL + "#" + id }

// sections maps rule IDs to their spec section, for the first ref of each
// check.
func sections() map[string]string {
	m := map[string]string{}
	for _, rl := range rules.All() {
		m[rl.ID] = rl.Section
	}
	return m
}

// location renders file:line:col, file:line or file.
func location(f check.Finding) string {
	switch {
	case f.Line > 0 && f.Column > 0:
		return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
	case f.Line > 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return f.File
}

// slashPath is a file name with forward slashes, as CI systems expect.
func slashPath(file string) string { return filepath.ToSlash(file) }

// baselineSummary completes the summary line when a baseline suppressed
// findings.
func baselineSummary(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %s suppressed by the baseline", plural(n, "finding", "findings"))
}
