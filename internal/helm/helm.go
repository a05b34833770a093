// Package helm renders Helm charts in-process with the Helm SDK (v3), the
// way `helm template` does without a cluster, and maps the rendered YAML
// back to the chart's template files and lines.
//
// # Rendering
//
// Render loads a chart folder or a packaged chart (.tgz) with the SDK's
// loader, checks that the dependencies listed in Chart.yaml are present in
// charts/ (unpacked folders or packaged .tgz), reads the values (-f files in
// order, then --set, then --set-string, as `helm template` does), enables or
// disables dependencies by their condition and tags
// (chartutil.ProcessDependenciesWithMerge), coalesces the values, validates
// them against every values.schema.json and runs engine.Render with
// Capabilities for the given Kubernetes version. There is no cluster: lookup
// returns an empty map and getHostByName an empty string. NOTES.txt and
// partials (files whose name starts with "_") are not output. The files of
// the crds/ folders of the chart and its enabled dependencies are, as they
// are (helm install applies them; helm template only with --include-crds),
// so that the chart's custom resources are validated against them.
// A library chart renders to nothing, without a Problem.
//
// Schema validation uses the same validator as the SDK
// (santhosh-tekuri/jsonschema/v6) but is run here rather than by
// chartutil.ToRenderValuesWithSchemaValidation, for two reasons: the SDK's
// validator fetches http(s) $refs from the network, which kubevet must
// never do (here a remote $ref is taken as the permissive schema `true`,
// as the SDK does for unresolved urn: refs), and its structured errors give
// the path of the failing value, which is located in the values file that
// set it.
//
// # File names
//
// A rendered template is reported under the path the user gave joined with
// its path inside the chart: "examples/shop/templates/deployment.yaml". A
// template of an unpacked subchart is under its folder
// ("examples/shop/charts/redis/templates/service.yaml"), one of a packaged
// subchart under the archive's name, as if the archive were a folder
// ("examples/shop/charts/postgres-1.0.0.tgz/templates/statefulset.yaml");
// likewise when the chart given is itself an archive
// ("dist/shop-0.1.0.tgz/templates/deployment.yaml"). An aliased dependency is
// found under the folder or archive it was loaded from.
//
// # Lines (Locate)
//
// Each render.File has a Locate that maps a rendered line to a template line.
// It aligns the rendered output of one template with its source, like a
// diff. Each template line is cut into its literal text (what is outside
// {{ }} actions, after the {{- and -}} trims) and its actions; a rendered
// line fits a template line when the literal runs appear in it in order,
// at its start and end when nothing else can be written there. The
// alignment is monotonic except inside a {{ range }} body, where it may go
// back to an earlier line of the body (the next iteration). A line that an
// action wrote is given to that action's line: any rendered line to a line
// that starts with an output action ("    {{- toYaml . | nindent 4 }}"),
// and the lines after a match to a line whose action comes after literal
// text ("  labels: {{ toYaml .l | nindent 4 }}"). Among all alignments the
// one with the most literal text matched wins (dynamic programming over
// rendered × template lines, computed on the first Locate of a file).
//
// What is exact and what is approximate:
//   - A rendered line whose template line has literal text (a key such as
//     "  replicas: ") maps to that line: plain lines, lines in if/with/else
//     branches, lines of range bodies (every iteration maps to the body),
//     lines with an inline {{ if }}. The shop golden test maps 269 of its 270
//     rendered lines, all to the right line; the one left is a blank line.
//   - A rendered line written by an action maps to the line of the action
//     that wrote it: the `{{- toYaml .Values.resources | nindent 12 }}` or
//     `{{- include "shop.labels" . | nindent 4 }}` line, also for an action
//     written over several lines (its first line). It never maps into
//     _helpers.tpl: which define wrote which line cannot be told from the
//     output alone, and the include site is where the user changes what is
//     passed. The column is then 1.
//   - Identical lines (two "  name: x" in the two branches of an if) are
//     told apart only by their order and neighbours; the alignment may pick
//     the wrong one of them.
//   - A rendered line that no template line explains (text of `tpl`, a
//     define in the template file itself, a blank line after a trimmed
//     control line) maps to line 0: Locate then gives the file only, never a
//     guessed line. So does every line of a template whose rendered lines ×
//     template lines exceed 4 Mi (the alignment's memory bound).
//   - The column is the column of the finding's key ("image:" for the path
//     "...containers[0].image") in the template line when it is written
//     there, else 1.
//
// An aliased dependency (two aliases of one subchart) renders its template
// twice: both files have the name of the one template file.
//
// # Bounds
//
// The SDK's engine cannot be interrupted: Render runs it in a goroutine and
// returns a Problem when ctx is done first; a template that loops forever
// then keeps that goroutine busy until the process exits (kubevet is a
// command, so it does). Output larger than MaxOutput is refused with a
// Problem. Panics in the SDK become Problems. Any error of the chart, of the
// values or of a template is a render.Problem at the file and line it names;
// Render never fails the run. An error raised inside a helper
// (`fail`/`required` in a define of _helpers.tpl) is reported at the
// include site in the template: the SDK's error keeps only that position.
//
// The SDK writes a few warnings (coalescing, dependency conditions) with the
// standard log package; this package does not redirect them.
package helm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/strvals"

	"github.com/kubevet/kubevet/internal/render"
)

// MaxOutput is the most rendered YAML (all templates of a chart together)
// that Render returns; beyond it the chart gives a Problem and no files.
const MaxOutput = 64 << 20

// Options are the values and release settings of a render, as the flags of
// `helm template` give them.
type Options struct {
	ValueFiles []string // -f/--values, in order
	Set        []string // --set (helm strvals syntax)
	SetString  []string // --set-string
	// ReleaseName is .Release.Name; empty means "release-name", like
	// `helm template`.
	ReleaseName string
	// Namespace is .Release.Namespace; empty means "default".
	Namespace string
	// KubeVersion is the target Kubernetes version for
	// .Capabilities.KubeVersion, a minor like "1.34" (rendered as
	// "v1.34.0") or a full "v1.34.2"; empty keeps the SDK default.
	KubeVersion string
}

// IsChart reports whether dir is a chart folder (has Chart.yaml).
func IsChart(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, "Chart.yaml"))
	return err == nil && fi.Mode().IsRegular()
}

// IsPackage reports whether a file is a packaged chart: its name ends in
// .tgz or .tar.gz and head (its first bytes) starts with the gzip magic.
func IsPackage(name string, head []byte) bool {
	lower := strings.ToLower(name)
	if !strings.HasSuffix(lower, ".tgz") && !strings.HasSuffix(lower, ".tar.gz") {
		return false
	}
	return bytes.HasPrefix(head, []byte{0x1f, 0x8b})
}

// Render renders the chart at path (a folder or a packaged .tgz) with opt
// and returns one render.File per template that rendered to some content,
// sorted by name, or the Problems that stopped the chart. It never panics
// and never touches the network or a cluster.
func Render(ctx context.Context, path string, opt Options) (out render.Output) {
	defer func() {
		if r := recover(); r != nil {
			out = render.Output{Problems: []render.Problem{{
				File:    path,
				Message: fmt.Sprintf("rendering the chart failed: internal error in the Helm SDK: %v", r),
			}}}
		}
	}()
	r := &renderer{root: path, opt: opt}
	return r.run(ctx)
}

type renderer struct {
	root string
	opt  Options
	// prefix maps a chart's full path in the SDK (chart.ChartFullPath:
	// "shop/charts/redis") to the user's path of its folder or archive.
	prefix map[string]string
	// templates maps the SDK's name of a template
	// ("shop/charts/redis/templates/x.yaml") to its user path and source.
	templates map[string]templateFile
}

type templateFile struct {
	name   string
	source []byte
}

func problem(file string, format string, args ...any) render.Output {
	return render.Output{Problems: []render.Problem{{File: file, Message: fmt.Sprintf(format, args...)}}}
}

func (r *renderer) run(ctx context.Context) render.Output {
	if err := ctx.Err(); err != nil {
		return problem(r.root, "chart not rendered: %v", err)
	}
	var ch *chart.Chart
	err := safe(func() (err error) {
		ch, err = loader.Load(r.root)
		return err
	})
	if err != nil {
		return render.Output{Problems: []render.Problem{loadProblem(r.root, err)}}
	}
	r.prefix = map[string]string{}
	r.mapOrigins(ch, r.root)

	// As `helm template` (action.CheckDependencies): every dependency of
	// Chart.yaml must be in charts/, enabled or not.
	if problems := missingDependencies(ch, r.root); len(problems) > 0 {
		return render.Output{Problems: problems}
	}

	caps := chartutil.DefaultCapabilities.Copy()
	if r.opt.KubeVersion != "" {
		v := r.opt.KubeVersion
		if strings.Count(v, ".") == 1 {
			v += ".0" // a minor ("1.34") is its first release, as a cluster reports it
		}
		kv, err := chartutil.ParseKubeVersion(v)
		if err != nil {
			return problem(r.root, "invalid Kubernetes version %q: %v; give a version like 1.34", r.opt.KubeVersion, err)
		}
		caps.KubeVersion = *kv
	}
	if c := ch.Metadata.KubeVersion; c != "" && !chartutil.IsCompatibleRange(c, caps.KubeVersion.String()) {
		file := filepath.Join(r.root, "Chart.yaml")
		line, col := keyLine(rawFile(ch, "Chart.yaml"), "kubeVersion")
		return render.Output{Problems: []render.Problem{{File: file, Line: line, Column: col,
			Message: fmt.Sprintf("chart requires kubeVersion %s, which excludes the target Kubernetes %s; render for another version or widen kubeVersion", c, caps.KubeVersion.String())}}}
	}

	vals, src, problems := r.values()
	if len(problems) > 0 {
		return render.Output{Problems: problems}
	}
	if err := safe(func() error { return chartutil.ProcessDependenciesWithMerge(ch, vals) }); err != nil {
		return problem(filepath.Join(r.root, "Chart.yaml"), "processing the chart's dependencies failed: %v", err)
	}
	name, ns := r.opt.ReleaseName, r.opt.Namespace
	if name == "" {
		name = "release-name"
	}
	if ns == "" {
		ns = "default"
	}
	rel := chartutil.ReleaseOptions{Name: name, Namespace: ns, Revision: 1, IsInstall: true}
	var top chartutil.Values
	err = safe(func() (err error) {
		top, err = chartutil.ToRenderValuesWithSchemaValidation(ch, vals, rel, caps, true)
		return err
	})
	if err != nil {
		return problem(r.root, "coalescing the values failed: %v", err)
	}
	r.templates = map[string]templateFile{}
	r.mapTemplates(ch)
	coalesced, _ := top["Values"].(chartutil.Values)
	if problems := r.validate(ch, coalesced, src); len(problems) > 0 {
		return render.Output{Problems: problems}
	}
	if err := ctx.Err(); err != nil {
		return problem(r.root, "chart not rendered: %v", err)
	}
	files, err := renderBounded(ctx, ch, top)
	if err != nil {
		if ctx.Err() != nil {
			return problem(r.root, "chart not rendered: %v (a template may loop forever or build a huge output)", ctx.Err())
		}
		return render.Output{Problems: []render.Problem{r.templateProblem(err)}}
	}
	out := r.output(files)
	out.Files = append(out.Files, r.crds(ch)...)
	return out
}

// crds returns the files of the crds/ folders of the chart and of its
// enabled dependencies: helm install applies them before the templates
// (helm template leaves them out unless --include-crds), and the custom
// resources of the chart are validated against them. They are not
// templates: positions are their own.
func (r *renderer) crds(c *chart.Chart) []render.File {
	var out []render.File
	for _, f := range c.Files {
		ext := strings.ToLower(path.Ext(f.Name))
		if !strings.HasPrefix(f.Name, "crds/") || ext != ".yaml" && ext != ".yml" && ext != ".json" {
			continue
		}
		name := filepath.Join(r.prefix[c.ChartFullPath()], filepath.FromSlash(f.Name))
		out = append(out, render.File{Name: name, Data: f.Data, Locate: func(_ int, _ string, line, col int) (string, int, int) {
			return name, line, col
		}})
	}
	for _, dep := range c.Dependencies() {
		out = append(out, r.crds(dep)...)
	}
	return out
}

// renderBounded runs engine.Render, which cannot be interrupted, in a
// goroutine and gives up when ctx is done.
func renderBounded(ctx context.Context, ch *chart.Chart, top chartutil.Values) (map[string]string, error) {
	type result struct {
		files map[string]string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		var res result
		res.err = safe(func() (err error) {
			var e engine.Engine // no client: lookup returns an empty map
			res.files, err = e.Render(ch, top)
			return err
		})
		done <- res
	}()
	select {
	case res := <-done:
		return res.files, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (r *renderer) output(files map[string]string) render.Output {
	var out render.Output
	total := 0
	for _, data := range files {
		total += len(data)
	}
	if total > MaxOutput {
		return problem(r.root, "chart not rendered: its templates render to %d MiB, more than the %d MiB kubevet accepts; check for a loop that builds the output", total>>20, MaxOutput>>20)
	}
	for key, data := range files {
		if strings.HasSuffix(key, "/NOTES.txt") || strings.TrimSpace(data) == "" {
			continue
		}
		t, ok := r.templates[key]
		if !ok {
			// Every template comes from the chart tree walked above; keep
			// the file under a name made from the SDK's one if not.
			t = templateFile{name: filepath.Join(r.root, filepath.FromSlash(key))}
		}
		out.Files = append(out.Files, render.File{
			Name:   t.name,
			Data:   []byte(data),
			Locate: newLineMap(t.name, t.source, []byte(data)).Locate,
		})
	}
	slices.SortFunc(out.Files, func(a, b render.File) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// safe runs f and turns a panic in it into an error.
func safe(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error in the Helm SDK: %v", r)
		}
	}()
	return f()
}

// values reads the -f files and the --set flags the way `helm template`
// does (cli/values.Options.MergeValues, without its URL and stdin reading)
// and returns them with where each came from.
func (r *renderer) values() (map[string]any, []valueSource, []render.Problem) {
	base := map[string]any{}
	var src []valueSource
	var problems []render.Problem
	for _, f := range r.opt.ValueFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			problems = append(problems, render.Problem{File: f, Message: fmt.Sprintf("cannot read the values file: %v", errors.Unwrap(err))})
			continue
		}
		cur, err := chartutil.ReadValues(data)
		if err != nil {
			line, col := yamlErrorLine(err)
			problems = append(problems, render.Problem{File: f, Line: line, Column: col, Message: "values file is not valid YAML: " + cleanYAMLError(err)})
			continue
		}
		base = mergeMaps(base, cur)
		src = append(src, valueSource{file: f, data: data})
	}
	for _, s := range r.opt.Set {
		if err := strvals.ParseInto(s, base); err != nil {
			problems = append(problems, render.Problem{File: r.root, Message: fmt.Sprintf("--set %s: %v", s, err)})
			continue
		}
		own := map[string]any{}
		_ = strvals.ParseInto(s, own)
		src = append(src, valueSource{flag: "--set " + s, set: own})
	}
	for _, s := range r.opt.SetString {
		if err := strvals.ParseIntoString(s, base); err != nil {
			problems = append(problems, render.Problem{File: r.root, Message: fmt.Sprintf("--set-string %s: %v", s, err)})
			continue
		}
		own := map[string]any{}
		_ = strvals.ParseIntoString(s, own)
		src = append(src, valueSource{flag: "--set-string " + s, set: own})
	}
	return base, src, problems
}

// mergeMaps merges b into a copy of a, tables key by key, like the -f
// merging of the Helm CLI.
func mergeMaps(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if bm, ok := v.(map[string]any); ok {
			if am, ok := out[k].(map[string]any); ok {
				out[k] = mergeMaps(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// mapOrigins records where each chart of the tree was loaded from: its
// folder or archive under its parent's charts/. The SDK keeps only the
// chart's name, so a dependency is matched to the charts/ entry whose
// Chart.yaml has the same bytes.
func (r *renderer) mapOrigins(c *chart.Chart, prefix string) {
	r.prefix[c.ChartFullPath()] = prefix
	entries := chartEntries(c)
	for _, dep := range c.Dependencies() {
		own := rawFile(dep, "Chart.yaml")
		p := filepath.Join(prefix, "charts", dep.Name())
		for _, e := range entries {
			if own != nil && bytes.Equal(e.chartYAML, own) {
				p = filepath.Join(prefix, "charts", e.name)
				break
			}
		}
		r.mapOrigins(dep, p)
	}
}

type chartEntry struct {
	name      string // "redis" or "postgres-1.0.0.tgz"
	chartYAML []byte
}

// chartEntries lists the charts/ entries of c with their Chart.yaml, in
// name order.
func chartEntries(c *chart.Chart) []chartEntry {
	var out []chartEntry
	for _, f := range c.Raw {
		rest, ok := strings.CutPrefix(f.Name, "charts/")
		if !ok {
			continue
		}
		entry, inside, _ := strings.Cut(rest, "/")
		switch {
		case inside == "Chart.yaml":
			out = append(out, chartEntry{name: entry, chartYAML: f.Data})
		case inside == "" && strings.HasSuffix(entry, ".tgz"):
			files, err := loader.LoadArchiveFiles(bytes.NewReader(f.Data))
			if err != nil {
				continue
			}
			for _, bf := range files {
				if bf.Name == "Chart.yaml" {
					out = append(out, chartEntry{name: entry, chartYAML: bf.Data})
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b chartEntry) int { return strings.Compare(a.name, b.name) })
	return out
}

// mapTemplates records the user path and source of every template of the
// (dependency-processed) chart tree under the name engine.Render gives it.
func (r *renderer) mapTemplates(c *chart.Chart) {
	full := c.ChartFullPath()
	prefix, ok := r.prefix[full]
	if !ok {
		// An aliased copy made by ProcessDependencies: its own full path
		// is new, its parent's is known.
		prefix = filepath.Join(r.prefix[parentPath(full)], "charts", c.Name())
		for _, e := range chartEntries(parentOf(c)) {
			if bytes.Equal(e.chartYAML, rawFile(c, "Chart.yaml")) {
				prefix = filepath.Join(r.prefix[parentPath(full)], "charts", e.name)
				break
			}
		}
		r.prefix[full] = prefix
	}
	for _, t := range c.Templates {
		if t == nil {
			continue
		}
		r.templates[path.Join(full, t.Name)] = templateFile{
			name:   filepath.Join(prefix, filepath.FromSlash(t.Name)),
			source: t.Data,
		}
	}
	for _, dep := range c.Dependencies() {
		r.mapTemplates(dep)
	}
}

func parentPath(full string) string {
	if i := strings.LastIndex(full, "/charts/"); i >= 0 {
		return full[:i]
	}
	return ""
}

func parentOf(c *chart.Chart) *chart.Chart {
	if c.Parent() != nil {
		return c.Parent()
	}
	return &chart.Chart{}
}

// rawFile returns the bytes of the chart's own file name (Chart.yaml,
// values.yaml) as loaded, or nil.
func rawFile(c *chart.Chart, name string) []byte {
	if c == nil {
		return nil
	}
	for _, f := range c.Raw {
		if f != nil && f.Name == name {
			return f.Data
		}
	}
	return nil
}
