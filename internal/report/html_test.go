package report_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/report"
)

var updateHTML = flag.Bool("update-html", false, "rewrite the HTML report's golden file")

func renderHTML(t *testing.T, r *report.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.HTML(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHTMLGolden renders examples/bad-app. The page holds no timestamp, so
// it is compared whole (go test ./internal/report -run TestHTMLGolden
// -update-html to accept a change).
func TestHTMLGolden(t *testing.T) {
	res, err := engine.Check(context.Background(), []string{"../../examples/bad-app"}, engine.Options{Checks: catalog.All(), Now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	got := renderHTML(t, &report.Report{Tool: report.Tool{Name: "kubevet", Version: "test"}, Result: res, Catalog: catalog.All()})
	if again := renderHTML(t, &report.Report{Tool: report.Tool{Name: "kubevet", Version: "test"}, Result: res, Catalog: catalog.All()}); again != got {
		t.Error("two renderings of the same result differ")
	}
	path := filepath.Join("testdata", "golden", "bad-app.html")
	if *updateHTML {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the HTML report of examples/bad-app differs from %s (go test ./internal/report -run TestHTMLGolden -update-html to accept)", path)
	}
	checkSelfContained(t, got)
	if n := strings.Count(got, `<tr class="finding"`); n != len(res.Findings) {
		t.Errorf("%d finding rows, want %d", n, len(res.Findings))
	}
}

var external = regexp.MustCompile(`(?i)<link|<img|<iframe|<object|<embed|\ssrc=|url\(|@import|https?://`)

// checkSelfContained: nothing in the page can load from elsewhere.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	if !strings.Contains(page, `content="default-src 'none';`) {
		t.Error("no Content-Security-Policy forbidding other sources")
	}
	// Messages may quote URLs as text; the markup itself must not.
	markup := regexp.MustCompile(`>[^<]*<`).ReplaceAllString(page, "><")
	markup = regexp.MustCompile(`"[^"]*"`).ReplaceAllString(markup, `""`)
	if m := external.FindString(markup); m != "" {
		t.Errorf("the page refers to something outside it: %q", m)
	}
}

// TestHTMLEscaping: hostile text in messages, files, objects and notes
// comes out as text.
func TestHTMLEscaping(t *testing.T) {
	evil := `<script>alert(1)</script>"'&<img src=x onerror=alert(2)>`
	c := &check.Check{ID: "privileged-container", Title: "T <b>", Severity: check.Error, Refs: []string{"SEC-11"}, Why: evil, Fix: evil, Example: evil}
	r := &report.Report{
		Tool:    report.Tool{Name: "kubevet", Version: `"><script>x</script>`},
		Catalog: []*check.Check{c},
		Result: &engine.Result{Files: 1, Objects: 1, Namespaces: map[string]int{evil: 1},
			Findings: []check.Finding{{Check: c.ID, Severity: check.Error, Object: check.ObjectRef{Kind: "Pod", Namespace: evil, Name: evil}, File: evil + ".yaml", Line: 1, Column: 2, Path: evil, Message: evil}},
			Notes:    []engine.Note{{File: evil, Level: engine.NoteWarning, Message: evil}},
		},
	}
	page := renderHTML(t, r)
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") || strings.Contains(page, "<script>x") {
		t.Errorf("unescaped input in the page:\n%s", page)
	}
	if strings.Count(page, "<script>") != 1 {
		t.Error("want exactly the page's own script")
	}
	checkSelfContained(t, page)
}

func TestHTMLNoFindings(t *testing.T) {
	page := renderHTML(t, &report.Report{Tool: report.Tool{Name: "kubevet", Version: "test"}, Result: &engine.Result{Files: 1, Objects: 2, Namespaces: map[string]int{"shop": 2}}})
	for _, want := range []string{"Nothing found.", `data-score="100"`, ">shop<"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestScores(t *testing.T) {
	obj := func(ns, name string) check.ObjectRef {
		return check.ObjectRef{Kind: "Deployment", Namespace: ns, Name: name}
	}
	f := func(sev check.Severity, o check.ObjectRef) check.Finding {
		return check.Finding{Severity: sev, Object: o}
	}
	fs := []check.Finding{
		f(check.Error, obj("a", "x")), f(check.Warning, obj("a", "x")), f(check.Info, obj("a", "y")), // a: 31 over 4 objects
		f(check.Error, obj("b", "x")), f(check.Error, obj("b", "x")), f(check.Error, obj("b", "x")), f(check.Error, obj("b", "x")), f(check.Error, obj("b", "x")), // b: 125 over 1
		f(check.Warning, obj("", "pv")),                     // cluster-scoped: 5 over 2, 2.5 rounds to 3
		{Severity: check.Error, Message: "broken document"}, // not an object: not scored
		f(check.Warning, obj("d", "z")),                     // d: no object count, the one with a finding counts
	}
	got := report.Scores(fs, map[string]int{"a": 4, "b": 1, "": 2, "clean": 3})
	want := []struct {
		ns      string
		score   int
		objects int
		grade   string
	}{{"b", 0, 1, "poor"}, {"a", 92, 4, "good"}, {"d", 95, 1, "good"}, {"", 97, 2, "good"}, {"clean", 100, 3, "good"}}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i, w := range want {
		g := got[i]
		if g.Namespace != w.ns || g.Score != w.score || g.Objects != w.objects || g.Grade() != w.grade {
			t.Errorf("%d: got %+v (%s), want %+v", i, g, g.Grade(), w)
		}
	}
	if got[3].Label != "(cluster-scoped)" {
		t.Errorf("label %q", got[3].Label)
	}
}

func TestCategory(t *testing.T) {
	c := &check.Check{Refs: []string{"SEC-11", "WIN-02"}}
	if got := report.Category(c); got != "Cluster security & governance" {
		t.Errorf("category %q", got)
	}
	if got := report.Category(&check.Check{}); got != "Input" {
		t.Errorf("category %q", got)
	}
}
