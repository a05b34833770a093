package checklist

import (
	"bufio"
	"embed"
	"html/template"
	"io"

	"github.com/kubevet/kubevet/internal/report"
)

//go:embed templates/checklist.html.tmpl templates/checklist.js
var htmlFiles embed.FS

var htmlTemplate = template.Must(template.New("checklist.html.tmpl").Funcs(template.FuncMap{
	"css": report.PageCSS,
	"js": func() template.JS {
		b, err := htmlFiles.ReadFile("templates/checklist.js")
		if err != nil {
			panic(err)
		}
		return template.JS(b)
	},
}).ParseFS(htmlFiles, "templates/checklist.html.tmpl"))

// HTML renders the checklist as one self-contained web page, with the same
// look as the HTML report and a filter by status and section.
func HTML(w io.Writer, m *Model) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := htmlTemplate.Execute(bw, m); err != nil {
		return err
	}
	return bw.Flush()
}
