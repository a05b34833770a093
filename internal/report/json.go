package report

import (
	"bufio"
	"encoding/json"
	"io"
)

// SchemaVersion is the version of the JSON output format. It changes only
// when a field is removed or changes meaning; new fields may be added.
const SchemaVersion = "kubevet.io/report/v1"

type jsonSummary struct {
	Files     int    `json:"files"`
	Documents int    `json:"documents"`
	Objects   int    `json:"objects"`
	Findings  Counts `json:"findings"`
}

// JSON renders the result for machines. Findings are encoded one at a
// time, so that a large result is never held twice in memory.
func JSON(w io.Writer, r *Report) error {
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
	bw.WriteString(",\n  \"findings\": [")
	for i, f := range r.Result.Findings {
		if i > 0 {
			bw.WriteByte(',')
		}
		b, err := json.MarshalIndent(f, "    ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString("\n    ")
		bw.Write(b)
	}
	if len(r.Result.Findings) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n  \"notes\": [")
	for i, n := range r.Result.Notes {
		if i > 0 {
			bw.WriteByte(',')
		}
		b, err := json.MarshalIndent(n, "    ", "  ")
		if err != nil {
			return err
		}
		bw.WriteString("\n    ")
		bw.Write(b)
	}
	if len(r.Result.Notes) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}
