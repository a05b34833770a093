// Package engine reads manifests, runs the catalog's checks on every object
// and returns the findings, sorted. Files are read and split by one
// goroutine per file at a time, and documents are parsed and checked by a
// pool of workers, so that a run uses every core and never holds more than
// a bounded number of documents in memory.
package engine

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/config"
	"github.com/kubevet/kubevet/internal/manifest"
	"github.com/kubevet/kubevet/internal/spill"
)

// NoteLevel ranks notes: things said about the input that are not findings.
type NoteLevel string

// Note levels.
const (
	NoteInfo    NoteLevel = "info"
	NoteWarning NoteLevel = "warning"
	NoteError   NoteLevel = "error"
)

// Note is a remark about the input that is not a finding on an object: a
// skipped file, a template, an unreadable path.
type Note struct {
	File    string    `json:"file"`
	Line    int       `json:"line,omitempty"`
	Level   NoteLevel `json:"level"`
	Message string    `json:"message"`

	template bool
}

// Result is the outcome of a run.
type Result struct {
	Findings []check.Finding
	Notes    []Note
	// Files, Documents and Objects count what was read.
	Files     int
	Documents int
	Objects   int
	// Namespaces counts the objects read by namespace ("" for
	// cluster-scoped objects), for per-namespace figures in reports.
	Namespaces map[string]int
}

// Options configure a run.
type Options struct {
	// Config is the configuration (defaults when nil).
	Config *config.Config
	// Checks is the catalog to run.
	Checks []*check.Check
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Workers is the number of parallel workers (GOMAXPROCS when 0).
	Workers int
	// Now is the time exemptions expire against (time.Now when zero).
	Now time.Time
	// Handlers read inputs other than manifests (see Handler).
	Handlers []Handler
	// Renderers build charts and kustomizations (see Renderer).
	Renderers []Renderer
	// ForceRender requires every path named to be built by one of the
	// Renderers (--mode helm or kustomize): one that none claims is an
	// error note instead of being read as manifests.
	ForceRender bool
}

// Check reads paths and checks every object found.
func Check(ctx context.Context, paths []string, opt Options) (*Result, error) {
	r, err := newRunner(opt)
	if err != nil {
		return nil, err
	}
	var exts []string
	for _, h := range opt.Handlers {
		exts = append(exts, h.Extensions()...)
	}
	sources, notes := walk(paths, r.cfg.Excluded, exts, opt.Renderers, opt.ForceRender)
	res := &Result{Notes: notes}
	r.run(ctx, sources, res)
	r.spill.Close()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := r.spillError(); err != nil {
		return nil, err
	}
	r.restoreRendered(res)
	res.Notes = mergeTemplateNotes(res.Notes)
	sortResult(res)
	// Two renderings of one base say the same about it once.
	res.Notes = slices.Compact(res.Notes)
	return res, nil
}

// mergeTemplateNotes folds the notes about the templates of one chart (or
// one folder) into a single note, so that a chart's templates folder gives
// one clear message instead of one per file.
func mergeTemplateNotes(notes []Note) []Note {
	type group struct {
		first int
		files int
	}
	groups := map[string]*group{}
	out := notes[:0:0]
	for _, n := range notes {
		if !n.template {
			out = append(out, n)
			continue
		}
		key := n.Message + "\x00" + filepath.Dir(n.File)
		if g, ok := groups[key]; ok {
			g.files++
			continue
		}
		groups[key] = &group{first: len(out), files: 1}
		out = append(out, n)
	}
	for _, g := range groups {
		if g.files > 1 {
			n := &out[g.first]
			n.File = filepath.Dir(n.File)
			n.Line = 0
			n.Message = fmt.Sprintf("%d template files skipped: %s", g.files, n.Message)
		}
	}
	return out
}

type runner struct {
	cfg      *config.Config
	settings check.Settings
	active   []activeCheck
	// cross are the active checks that look across objects; when there are
	// any, objects are kept (detached from their node trees) for phase 2.
	cross  []activeCheck
	byID   map[string]*check.Check
	opt    Options
	decode manifest.Options
	// rendered are the files charts and kustomizations rendered to;
	// worlds counts their renderings.
	rendered        renders
	worlds          int
	renderedSources atomic.Int32
	// maps shares the equal label maps of kept objects.
	maps *mapSet
	// spill keeps what kept objects hold for phase 2 (their positions and
	// findings) out of the heap: in memory as bytes the collector does
	// not scan, then in a file (see spill.Store).
	spill *spill.Store
	// spillErr is the first spilled record that could not be read back.
	spillMu  sync.Mutex
	spillErr error
}

type activeCheck struct {
	c    *check.Check
	opts check.Options
}

func newRunner(opt Options) (*runner, error) {
	cfg := opt.Config
	if cfg == nil {
		cfg = &config.Config{Checks: map[string]config.CheckConfig{}}
	}
	r := &runner{cfg: cfg, settings: cfg.Settings(), opt: opt, byID: map[string]*check.Check{}, maps: newMapSet(), spill: spill.New("", spillMemory)}
	r.settings.Now = opt.Now
	if r.settings.Now.IsZero() {
		r.settings.Now = time.Now()
	}
	r.decode = manifest.Options{DefaultNamespace: cfg.Namespace}
	for _, c := range opt.Checks {
		r.byID[c.ID] = c
		if c.Run != nil && cfg.Enabled(c) {
			ac := activeCheck{c: c, opts: cfg.OptionsOf(c)}
			if c.Cross {
				r.cross = append(r.cross, ac)
			} else {
				r.active = append(r.active, ac)
			}
		}
	}
	return r, nil
}

// job is a batch of consecutive documents of one file to decode and check.
type job struct {
	file   string
	chunks []manifest.Chunk
	// inMemory is set for streams that cannot be read again from the file.
	inMemory bool
}

// Batch bounds: documents are parsed in batches, which costs less than a
// parser per document, while batches stay small enough to spread a single
// large file over every core.
const (
	batchDocs  = 32
	batchBytes = 128 << 10
)

// output is what one worker found in one document or file.
type output struct {
	findings []check.Finding
	notes    []Note
	docs     int
	objects  int
	byNS     map[string]int
	kept     []kept
}

// kept is an object waiting for the checks across objects, with the
// findings the single-object checks already gave it (exemptions are applied
// once all its findings are known).
type kept struct {
	obj      *manifest.Object
	findings findingsOf
	// fact is set for the objects handlers give as facts of the input:
	// every rendering sees them.
	fact bool
}

// worlds splits the kept objects by rendering (see renders): the files
// read from disk are one world, each rendering of a chart or kustomization
// another. Facts belong to every world (they carry no findings).
func worlds(keep []kept) [][]kept {
	if oneWorld(keep) {
		return [][]kept{keep} // the common case, without a copy of keep
	}
	byWorld := map[int]int{}
	var out [][]kept
	var facts []kept
	for _, k := range keep {
		if k.fact {
			facts = append(facts, k)
			continue
		}
		w := worldOf(k.obj.File)
		i, ok := byWorld[w]
		if !ok {
			i = len(out)
			byWorld[w] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], k)
	}
	if len(out) == 0 {
		return [][]kept{facts}
	}
	for i := range out {
		out[i] = append(out[i], facts...)
	}
	return out
}

// oneWorld reports whether keep holds no facts and objects of one world
// only, which worlds then returns as they are.
func oneWorld(keep []kept) bool {
	for i, k := range keep {
		if k.fact || i > 0 && worldOf(k.obj.File) != worldOf(keep[0].obj.File) {
			return false
		}
	}
	return true
}

func (r *runner) run(ctx context.Context, sources []source, res *Result) {
	workers := r.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan job, 4*workers)
	outs := make(chan output, 4*workers)

	// Readers: split files into documents. Two at a time keep the
	// workers fed when files are small and many.
	files := make(chan source)
	var readers sync.WaitGroup
	for range min(2, max(1, len(sources))) {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for s := range files {
				if s.renderer != nil {
					r.readRendered(ctx, s, jobs, outs)
				} else {
					r.read(ctx, s, jobs, outs)
				}
			}
		}()
	}
	go func() {
		defer close(files)
		for _, s := range sources {
			select {
			case files <- s:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		readers.Wait()
		close(jobs)
	}()

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var cr check.Runner
			for j := range jobs {
				if ctx.Err() != nil {
					continue // drain
				}
				outs <- r.check(j, &cr)
			}
		}()
	}
	go func() {
		wg.Wait()
		close(outs)
	}()
	res.Files = len(sources)
	var parts [][]check.Finding
	total := len(res.Findings)
	var keep []kept
	var crossParts [][]findingsOf
	for o := range outs {
		keep = append(keep, o.kept...)
		if len(o.findings) > 0 {
			parts = append(parts, o.findings)
			total += len(o.findings)
		}
		res.Notes = append(res.Notes, o.notes...)
		res.Documents += o.docs
		res.Objects += o.objects
		for ns, n := range o.byNS {
			if res.Namespaces == nil {
				res.Namespaces = map[string]int{}
			}
			res.Namespaces[ns] += n
		}
	}
	if len(keep) > 0 && ctx.Err() == nil {
		for _, world := range worlds(keep) {
			out := r.crossPhase(world, workers)
			for _, k := range out {
				total += int(k.count)
			}
			crossParts = append(crossParts, out)
		}
		if len(keep) >= collectAfterCross {
			// The kept objects, their graph and position indexes are
			// garbage now, and most of the heap: collect them before the
			// findings are gathered into one slice, so that the slice
			// takes their place instead of growing the heap past twice
			// what phase 2 held (the collector's next goal). One
			// collection of a heap that is mostly dead costs less than
			// the one the allocation below would start with everything
			// still marked live.
			keep = nil
			runtime.GC()
		}
	}
	all := make([]check.Finding, 0, total)
	all = append(all, res.Findings...)
	for i, p := range parts {
		all = append(all, p...)
		parts[i] = nil
	}
	for _, p := range crossParts {
		all = r.gather(all, p)
	}
	res.Findings = all
}

// collectAfterCross is the number of kept objects from which run collects
// the garbage of phase 2 before gathering the findings (see run).
const collectAfterCross = 20000

// read splits one source into documents and queues them.
func (r *runner) read(ctx context.Context, s source, jobs chan<- job, outs chan<- output) {
	var in io.Reader
	if s.name == "-" {
		if r.opt.Stdin == nil {
			outs <- output{notes: []Note{{File: "-", Level: NoteError, Message: "standard input is not available"}}}
			return
		}
		in = r.opt.Stdin
	} else {
		f, err := os.Open(s.name)
		if err != nil {
			outs <- output{notes: []Note{{File: s.name, Level: NoteError, Message: fmt.Sprintf("cannot read: %v", unwrapPathError(err))}}}
			return
		}
		defer f.Close()
		in = f
	}
	bufSize := 64 << 10
	if f, ok := in.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() < int64(bufSize) {
			bufSize = max(int(st.Size())+1, 16)
		}
	}
	br := bufio.NewReaderSize(in, bufSize)
	head, _ := br.Peek(bufSize)
	inMemory := false
	if enc := utf16Encoding(head); enc != nil {
		// Windows PowerShell's > writes UTF-16. Convert the file to UTF-8
		// in memory; its documents cannot be read back by byte offset.
		data, err := io.ReadAll(br)
		if err == nil {
			data, err = enc.NewDecoder().Bytes(data)
		}
		if err != nil {
			outs <- output{notes: []Note{{File: s.name, Level: NoteError, Message: fmt.Sprintf("cannot read UTF-16 file: %v", err)}}}
			return
		}
		br = bufio.NewReaderSize(bytes.NewReader(data), 64<<10)
		head, _ = br.Peek(64 << 10)
		inMemory = true
	}
	if bytes.IndexByte(head, 0) >= 0 {
		outs <- output{notes: []Note{{File: s.name, Level: NoteWarning, Message: "binary file, skipped"}}}
		return
	}
	for _, h := range r.opt.Handlers {
		if h.Match(s.name, head) {
			env := r.handlerEnv()
			var facts []kept
			if len(r.cross) > 0 {
				env.Fact = func(obj *manifest.Object) { facts = append(facts, kept{obj: obj, fact: true}) }
			}
			fs, notes := h.Check(ctx, s.name, br, env)
			outs <- output{notes: notes, kept: facts, findings: r.emit(nil, fs)}
			return
		}
	}
	if line, ok := templateLine(head); ok {
		outs <- output{notes: []Note{{File: s.name, Line: line, Level: NoteWarning, Message: templateMessage(s.name), template: true}}}
		return
	}
	r.splitStream(ctx, s.name, br, inMemory, jobs, outs)
}

func (r *runner) handlerEnv() HandlerEnv {
	return HandlerEnv{Settings: &r.settings, Enabled: r.cfg.Enabled, Options: r.cfg.OptionsOf}
}

func (r *runner) decodeOptions(j job) manifest.Options {
	o := r.decode
	o.InMemory = j.inMemory
	return o
}

// utf16Encoding returns the decoder for a stream that starts with a UTF-16
// byte-order mark, or nil.
func utf16Encoding(head []byte) encoding.Encoding {
	switch {
	case len(head) >= 2 && head[0] == 0xFF && head[1] == 0xFE:
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case len(head) >= 2 && head[0] == 0xFE && head[1] == 0xFF:
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	}
	return nil
}

// templateLine finds a Go template action ({{ ... }}) outside a comment in
// the start of a file: the mark of a Helm template or another generator's
// input, which is not YAML until rendered.
func templateLine(head []byte) (int, bool) {
	if !bytes.Contains(head, []byte("{{")) {
		return 0, false // most files: one vectorised search instead of a walk by line
	}
	line := 0
	for len(head) > 0 {
		line++
		l := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			l, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		t := bytes.TrimLeft(l, " \t")
		if len(t) > 0 && t[0] == '#' {
			continue
		}
		if bytes.Contains(l, []byte("{{")) {
			return line, true
		}
	}
	return 0, false
}

func templateMessage(file string) string {
	dir := filepath.Dir(file)
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "Chart.yaml")); err == nil {
			return fmt.Sprintf("Helm chart %s: its templates are not YAML until rendered; check the chart itself (kubevet check %s) to render them", d, d)
		}
		if p := filepath.Dir(d); p == d || d == "." {
			break
		}
	}
	return "Go template ({{ }}): not YAML until rendered; check the rendered output instead"
}

// check decodes a batch of documents and runs the checks on their objects.
func (r *runner) check(j job, cr *check.Runner) output {
	// The findings of the batch gather in the runner's buffer and are
	// copied out once, at their size.
	buf := cr.Buffer()
	o := output{findings: (*buf)[:0]}
	for i, p := range manifest.ParseBatch(j.chunks) {
		c := j.chunks[i]
		var d manifest.Decoded
		switch {
		case p.Alone:
			d = manifest.Decode(j.file, c, r.decodeOptions(j))
		case p.Doc == nil:
			continue
		default:
			d = manifest.DecodeNode(j.file, c, p.Doc, p.Offset, r.decodeOptions(j))
		}
		r.checkDoc(j.file, c, d, cr, &o)
	}
	*buf = o.findings[:0]
	o.findings = slices.Clone(o.findings)
	if len(o.findings) == 0 {
		o.findings = nil
	}
	return o
}

// checkObject runs the single-object checks on obj, whose input
// diagnostics are fs, and either keeps it for the checks across objects or
// applies exemptions and emits its findings.
func (r *runner) checkObject(obj *manifest.Object, fs []check.Finding, cr *check.Runner, o *output) {
	o.objects++
	if o.byNS == nil {
		o.byNS = map[string]int{}
	}
	o.byNS[obj.Namespace]++
	for _, ac := range r.active {
		fs = cr.Run(ac.c, obj, &r.settings, ac.opts, nil, fs)
	}
	if len(r.cross) > 0 {
		obj.Detach()
		obj.ShareMaps(r.maps.share)
		obj.SpillPositions(r.spill)
		o.kept = append(o.kept, kept{obj: obj, findings: r.keep(fs)}) // until phase 2
		return
	}
	o.findings = r.emit(o.findings, r.exempt(obj, fs))
}

// checkDoc runs the checks on the objects of one decoded document.
func (r *runner) checkDoc(file string, c manifest.Chunk, d manifest.Decoded, cr *check.Runner, o *output) {
	if d.Empty {
		return
	}
	o.docs++
	if d.NotKubernetes {
		o.notes = append(o.notes, Note{File: file, Line: c.StartLine, Level: NoteInfo, Message: "not a Kubernetes object (no apiVersion and kind), skipped"})
		return
	}
	var diagByObj map[*manifest.Object][]check.Finding
	for _, dg := range d.Diagnostics {
		dc := r.byID[dg.Kind]
		if dc == nil || !r.cfg.Enabled(dc) {
			continue
		}
		f := check.Finding{Check: dc.ID, Refs: dc.Refs, Severity: dc.Severity, File: dg.File, Line: dg.Pos.Line, Column: dg.Pos.Column, Path: dg.Path.String(), Message: dg.Message}
		if dg.Object != nil {
			f.Object = check.RefOf(dg.Object)
			f.NamespaceDefaulted = dg.Object.NamespaceDefaulted
			if diagByObj == nil {
				diagByObj = map[*manifest.Object][]check.Finding{}
			}
			diagByObj[dg.Object] = append(diagByObj[dg.Object], f)
			continue
		}
		o.findings = r.emit(o.findings, []check.Finding{f})
	}
	for _, obj := range d.Objects {
		fs := diagByObj[obj]
		delete(diagByObj, obj)
		if fs == nil && len(r.cross) == 0 {
			// The object's findings gather right after those of the
			// objects before it, where emit leaves them.
			fs = o.findings[len(o.findings):]
		}
		r.checkObject(obj, fs, cr, o)
	}
	// Diagnostics of objects that could not be completed (no kind).
	for _, fs := range diagByObj {
		o.findings = r.emit(o.findings, fs)
	}
}

// emit appends to into the findings of fs whose check is on in this run,
// with the configured severity. into may be fs[:0], or end where fs starts
// in the same array (checkDoc gathers an object's findings there).
func (r *runner) emit(into, fs []check.Finding) []check.Finding {
	for _, f := range fs {
		if r.enabled(f.Check) {
			into = append(into, r.severity(f))
		}
	}
	return into
}

func (r *runner) severity(f check.Finding) check.Finding {
	f.Severity = r.cfg.SeverityOf(f.Check, f.Severity)
	return f
}

// enabled reports whether findings of the check with this ID are kept.
func (r *runner) enabled(id string) bool {
	c := r.byID[id]
	return c == nil || r.cfg.Enabled(c)
}

func sortResult(res *Result) {
	sort.SliceStable(res.Findings, func(i, j int) bool { return check.Less(&res.Findings[i], &res.Findings[j]) })
	sort.SliceStable(res.Notes, func(i, j int) bool {
		a, b := res.Notes[i], res.Notes[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
}
