package report

import (
	"bufio"
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
	p := newJSONPieces(true)
	head := struct {
		SchemaVersion string      `json:"schemaVersion"`
		Tool          Tool        `json:"tool"`
		Summary       jsonSummary `json:"summary"`
	}{SchemaVersion, r.Tool, jsonSummary{
		Files: r.Result.Files, Documents: r.Result.Documents, Objects: r.Result.Objects,
		Findings: Count(r.Result.Findings),
	}}
	b, err := p.encodeOpen(head, "")
	if err != nil {
		return err
	}
	bw.Write(b)
	bw.WriteString(",\n  \"findings\": ")
	if err := p.writeArray(bw, "  ", len(r.Result.Findings), func(i int) any { return &r.Result.Findings[i] }); err != nil {
		return err
	}
	bw.WriteString(",\n  \"notes\": ")
	if err := p.writeArray(bw, "  ", len(r.Result.Notes), func(i int) any { return &r.Result.Notes[i] }); err != nil {
		return err
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}
