package report

import (
	"bufio"
	"embed"
	"html/template"
	"io"
	"iter"
	"sort"
	"strconv"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/rules"
)

// The HTML report is one self-contained file: the stylesheet and the script
// are embedded in the page, and its Content-Security-Policy forbids loading
// anything else, so it can be opened from a CI artifact or an e-mail without
// reaching the network.
//
//go:embed templates/report.html.tmpl templates/style.css templates/report.js
var htmlFiles embed.FS

var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"css": func() template.CSS { return PageCSS() },
	"js":  func() template.JS { return template.JS(mustRead("templates/report.js")) },
}).ParseFS(htmlFiles, "templates/report.html.tmpl"))

func mustRead(name string) string {
	b, err := htmlFiles.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// PageCSS is the stylesheet of kubevet's HTML pages (the report and the
// checklist), to be inlined in a <style> element.
func PageCSS() template.CSS { return template.CSS(mustRead("templates/style.css")) }

// Score weights: what one finding takes off its object's score of 100.
const (
	ScoreWeightError   = 25
	ScoreWeightWarning = 5
	ScoreWeightInfo    = 1
)

// NamespaceScore is the score of one namespace.
type NamespaceScore struct {
	// Namespace is the object's namespace, "" for cluster-scoped objects.
	Namespace string
	Label     string
	// Objects counts the objects read in the namespace (at least those
	// with findings).
	Objects int
	Counts  Counts
	// Score is 100 minus the weighted findings per object of the
	// namespace (rounded, at least 0): 100 when nothing is found, 0 when
	// its objects have four errors each on average.
	Score int
}

// Grade is good (90 and above), fair (70 to 89) or poor.
func (s NamespaceScore) Grade() string {
	switch {
	case s.Score >= 90:
		return "good"
	case s.Score >= 70:
		return "fair"
	}
	return "poor"
}

func weight(s check.Severity) int {
	switch s {
	case check.Error:
		return ScoreWeightError
	case check.Warning:
		return ScoreWeightWarning
	}
	return ScoreWeightInfo
}

// NamespaceLabel names a namespace for people.
func NamespaceLabel(ns string) string {
	if ns == "" {
		return "(cluster-scoped)"
	}
	return ns
}

// Scores computes the score of every namespace that has objects or
// findings, worst first. objects counts the objects read by namespace
// (engine.Result.Namespaces); findings on documents that are not objects
// are not scored.
func Scores(findings []check.Finding, objects map[string]int) []NamespaceScore {
	type acc struct {
		counts  Counts
		penalty int
		objects map[check.ObjectRef]bool
	}
	by := map[string]*acc{}
	get := func(ns string) *acc {
		a := by[ns]
		if a == nil {
			a = &acc{objects: map[check.ObjectRef]bool{}}
			by[ns] = a
		}
		return a
	}
	for ns := range objects {
		get(ns)
	}
	for _, f := range findings {
		if f.Object.Kind == "" {
			continue
		}
		a := get(f.Object.Namespace)
		a.objects[f.Object] = true
		a.penalty += weight(f.Severity)
		switch f.Severity {
		case check.Error:
			a.counts.Error++
		case check.Warning:
			a.counts.Warning++
		default:
			a.counts.Info++
		}
	}
	out := make([]NamespaceScore, 0, len(by))
	for ns, a := range by {
		n := max(objects[ns], len(a.objects))
		if n == 0 {
			continue
		}
		score := max(0, 100-(a.penalty+n/2)/n)
		out = append(out, NamespaceScore{Namespace: ns, Label: NamespaceLabel(ns), Objects: n, Counts: a.counts, Score: score})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score < out[j].Score
		}
		return out[i].Namespace < out[j].Namespace
	})
	return out
}

// Category is the seed category of a check: the spec section of its first
// rule reference ("Cluster security & governance"), or "Input" for checks
// without one.
func Category(c *check.Check) string {
	if c != nil && len(c.Refs) > 0 {
		if r, ok := rules.ByID(c.Refs[0]); ok {
			return r.Section
		}
	}
	return "Input"
}

type htmlView struct {
	Tool       Tool
	Files      int
	Documents  int
	Objects    int
	Total      int
	Counts     Counts
	Scores     []NamespaceScore
	Unscored   int
	Weights    [3]int
	Groups     iter.Seq[htmlGroup]
	Checks     []htmlCheck
	Namespaces []string
	Categories []string
	Notes      []htmlNote
	NoFindings bool
}

// htmlGroup is the findings of one file (a run of findings with the same
// file), made one at a time as the page is written.
type htmlGroup struct {
	File     string
	Count    int
	Findings iter.Seq[htmlFinding]
}

type htmlFinding struct {
	Loc, Severity, Check, Title, Category string
	Message, Object, Namespace, Path      string
	Defaulted                             bool
}

type htmlCheck struct {
	ID, Title, Severity, Category string
	Why, Fix, Example             string
	Refs                          []rules.Rule
	Count                         int
}

type htmlNote struct {
	Loc, Level, Message string
}

// htmlFindingOf is the row of a finding of check c (nil when the check is
// not in the catalog) of the given category.
func htmlFindingOf(f *check.Finding, c *check.Check, category string) htmlFinding {
	hf := htmlFinding{
		Severity: f.Severity.String(), Check: f.Check, Category: category,
		Message: MessageOf(*f), Path: f.Path, Defaulted: f.NamespaceDefaulted,
		Namespace: htmlNamespace(f),
	}
	if c != nil {
		hf.Title = c.Title
	}
	if f.Object.Kind != "" {
		hf.Object = f.Object.Kind + "/" + f.Object.Name
	}
	if f.Line > 0 {
		hf.Loc = strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column)
	}
	return hf
}

// htmlNamespace is the namespace a finding is filtered by.
func htmlNamespace(f *check.Finding) string {
	if f.Object.Kind == "" {
		return "(no object)"
	}
	return NamespaceLabel(f.Object.Namespace)
}

// htmlChecks describes the checks that fired, by ID, with how many
// findings each has.
func htmlChecks(fired map[string]int, byID map[string]*check.Check) []htmlCheck {
	var out []htmlCheck
	for id, n := range fired {
		hc := htmlCheck{ID: id, Title: id, Category: "Input", Count: n}
		if c := byID[id]; c != nil {
			hc.Title, hc.Severity, hc.Category = c.Title, c.Severity.String(), Category(c)
			hc.Why, hc.Fix, hc.Example = c.Why, c.Fix, c.Example
			for _, ref := range c.Refs {
				if rl, ok := rules.ByID(ref); ok {
					hc.Refs = append(hc.Refs, rl)
				}
			}
		}
		out = append(out, hc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// htmlGroups yields the findings by file, each group's rows made as the
// template reaches them.
func htmlGroups(fs []check.Finding, byID map[string]*check.Check, category map[string]string) iter.Seq[htmlGroup] {
	return func(yield func(htmlGroup) bool) {
		for i := 0; i < len(fs); {
			j := i + 1
			for j < len(fs) && fs[j].File == fs[i].File {
				j++
			}
			name := fs[i].File
			if name == "" {
				name = "(cluster)"
			}
			group := fs[i:j]
			rows := func(yield func(htmlFinding) bool) {
				for k := range group {
					id := group[k].Check
					if !yield(htmlFindingOf(&group[k], byID[id], category[id])) {
						return
					}
				}
			}
			if !yield(htmlGroup{File: name, Count: j - i, Findings: rows}) {
				return
			}
			i = j
		}
	}
}

// HTML renders the result as one self-contained web page: summary, scores
// per namespace, findings grouped by file with filters (severity,
// namespace, check, seed category) and the why and fix of every check that
// fired. It holds no timestamp, so the same result gives the same page.
// A first pass over the findings computes the counts, scores and filters
// the page shows before its rows; the rows are made one at a time as the
// page is written.
func HTML(w io.Writer, r *Report) error {
	res := r.Result
	byID := map[string]*check.Check{}
	for _, c := range r.Catalog {
		byID[c.ID] = c
	}
	v := htmlView{
		Tool: r.Tool, Files: res.Files, Documents: res.Documents, Objects: res.Objects,
		Total: len(res.Findings), Counts: Count(res.Findings), Scores: Scores(res.Findings, res.Namespaces),
		Weights: [3]int{ScoreWeightError, ScoreWeightWarning, ScoreWeightInfo},
	}
	fired := map[string]int{}
	namespaces := map[string]bool{}
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Object.Kind == "" {
			v.Unscored++
		}
		fired[f.Check]++
		namespaces[htmlNamespace(f)] = true
	}
	v.Checks = htmlChecks(fired, byID)
	category := map[string]string{} // by check ID: Category looks its rule up in the whole rule map
	categories := map[string]bool{}
	for id := range fired {
		category[id] = Category(byID[id])
		categories[category[id]] = true
	}
	v.Groups = htmlGroups(res.Findings, byID, category)
	for _, s := range v.Scores {
		namespaces[s.Label] = true
	}
	v.Namespaces = htmlSortedKeys(namespaces)
	v.Categories = htmlSortedKeys(categories)
	v.Notes = htmlNotes(res.Notes)
	v.NoFindings = len(res.Findings) == 0
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := htmlTemplate.Execute(bw, v); err != nil {
		return err
	}
	return bw.Flush()
}

func htmlNotes(notes []engine.Note) []htmlNote {
	var out []htmlNote
	for _, n := range notes {
		loc := n.File
		if n.Line > 0 {
			loc += ":" + strconv.Itoa(n.Line)
		}
		out = append(out, htmlNote{Loc: loc, Level: string(n.Level), Message: n.Message})
	}
	return out
}

func htmlSortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
