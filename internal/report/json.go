package report

import (
	"encoding/json"
	"io"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
)

// SchemaVersion is the version of the JSON output format. It changes only
// when a field is removed or changes meaning; new fields may be added.
const SchemaVersion = "kubevet.io/report/v1"

// jsonReport is the JSON output format, documented in docs/output.md.
type jsonReport struct {
	SchemaVersion string          `json:"schemaVersion"`
	Tool          Tool            `json:"tool"`
	Summary       jsonSummary     `json:"summary"`
	Findings      []check.Finding `json:"findings"`
	Notes         []engine.Note   `json:"notes"`
}

type jsonSummary struct {
	Files     int    `json:"files"`
	Documents int    `json:"documents"`
	Objects   int    `json:"objects"`
	Findings  Counts `json:"findings"`
}

// JSON renders the result for machines.
func JSON(w io.Writer, r *Report) error {
	out := jsonReport{
		SchemaVersion: SchemaVersion,
		Tool:          r.Tool,
		Summary: jsonSummary{
			Files: r.Result.Files, Documents: r.Result.Documents, Objects: r.Result.Objects,
			Findings: Count(r.Result.Findings),
		},
		Findings: r.Result.Findings,
		Notes:    r.Result.Notes,
	}
	if out.Findings == nil {
		out.Findings = []check.Finding{}
	}
	if out.Notes == nil {
		out.Notes = []engine.Note{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
