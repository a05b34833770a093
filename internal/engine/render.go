package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/input"
	"github.com/kubevet/kubevet/internal/manifest"
	"github.com/kubevet/kubevet/internal/render"
)

// Renderer builds inputs that are not plain manifests (Helm charts,
// Kustomize overlays) into manifests, with the way back to the user's own
// files. Renderers live in leaf packages; the command wires them in.
type Renderer interface {
	// Name says what the renderer builds ("Helm chart"), for notes.
	Name() string
	// Claims reports whether the renderer builds path: a folder when isDir
	// (a folder a renderer claims is not walked further), else a file.
	Claims(path string, isDir bool) bool
	// Render builds path: one variant per values profile, or one variant
	// with no profile.
	Render(ctx context.Context, path string) []Variant
}

// Includer is implemented by renderers whose inputs include one another
// (a Kustomize overlay and its base): a claimed folder that another claimed
// folder of the same run includes is checked through it, not on its own,
// unless it was named on the command line.
type Includer interface {
	Includes(path string) []string
}

// Variant is one rendering of a chart or kustomization.
type Variant struct {
	// Profile names the values profile (empty when the run has none).
	Profile string
	Output  render.Output
}

// renderedPrefix starts the names the engine gives rendered files while it
// checks them; findings and notes get the user's file back at the end.
const renderedPrefix = "\x00rendered:"

// renderedFile is one rendered file being checked.
type renderedFile struct {
	file    render.File
	profile string
	// starts are the first lines of the documents of file.Data, found on
	// the first locate (most rendered files have no finding).
	starts []int
	split  bool
}

// renders records the rendered files of a run. Each rendering (one
// variant of one chart or kustomization) is a world of its own for the
// checks across objects: its objects are deployed together, and apart
// from the other renderings (a dev and a prod profile, two overlays).
type renders struct {
	mu       sync.Mutex
	files    []renderedFile
	profiles []string // in order of first appearance
}

// add records f of the given world and returns the name to check it under.
func (rs *renders) add(world int, profile string, f render.File) string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.files = append(rs.files, renderedFile{file: f, profile: profile})
	if profile != "" && !slices.Contains(rs.profiles, profile) {
		rs.profiles = append(rs.profiles, profile)
	}
	return renderedPrefix + strconv.Itoa(world) + "/" + strconv.Itoa(len(rs.files)-1)
}

// worldOf returns the rendering an object's file belongs to (0 for files
// read from disk).
func worldOf(file string) int {
	rest, ok := strings.CutPrefix(file, renderedPrefix)
	if !ok {
		return 0
	}
	w, _, _ := strings.Cut(rest, "/")
	n, _ := strconv.Atoi(w)
	return n
}

func (rs *renders) lookup(name string) (*renderedFile, bool) {
	rest, ok := strings.CutPrefix(name, renderedPrefix)
	if !ok {
		return nil, false
	}
	_, idx, _ := strings.Cut(rest, "/")
	i, err := strconv.Atoi(idx)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if err != nil || i < 0 || i >= len(rs.files) {
		return nil, false
	}
	return &rs.files[i], true
}

// locate maps a position in a rendered file to the user's file. It is
// called once the run is over, from one goroutine.
func (f *renderedFile) locate(path string, line, col int) (string, int, int) {
	if f.file.Locate == nil || line <= 0 {
		return f.file.Name, 0, 0
	}
	if !f.split {
		f.split = true
		sp := manifest.NewSplitter(bytes.NewReader(f.file.Data))
		for {
			c, err := sp.Next()
			if err != nil {
				break
			}
			f.starts = append(f.starts, c.StartLine)
		}
	}
	doc := 0
	for i, s := range f.starts {
		if s <= line {
			doc = i
		}
	}
	file, l, c := f.file.Locate(doc, path, line, col)
	if file == "" {
		file = f.file.Name
	}
	if l <= 0 {
		return file, 0, 0
	}
	return file, l, c
}

// readRendered renders a chart or kustomization and queues its files.
func (r *runner) readRendered(ctx context.Context, s source, jobs chan<- job, outs chan<- output) {
	r.renderedSources.Add(1)
	variants := s.renderer.Render(ctx, s.name)
	for _, v := range variants {
		world := r.nextWorld()
		var fs []check.Finding
		for _, p := range v.Output.Problems {
			c := input.RenderError
			f := check.Finding{Check: c.ID, Refs: c.Refs, Severity: c.Severity, File: p.File, Line: p.Line, Column: p.Column, Message: p.Message}
			if v.Profile != "" {
				f.Profiles = []string{v.Profile}
			}
			fs = append(fs, f)
		}
		var notes []Note
		for _, w := range v.Output.Warnings {
			notes = append(notes, Note{File: w.File, Line: w.Line, Level: NoteWarning, Message: w.Message})
		}
		if len(fs) > 0 || len(notes) > 0 {
			outs <- output{findings: r.emit(nil, fs), notes: notes}
		}
		for _, f := range v.Output.Files {
			name := r.rendered.add(world, v.Profile, f)
			if !r.splitStream(ctx, name, bytes.NewReader(f.Data), true, jobs, outs) {
				return
			}
		}
	}
}

func (r *runner) nextWorld() int {
	r.rendered.mu.Lock()
	defer r.rendered.mu.Unlock()
	r.worlds++
	return r.worlds
}

// splitStream cuts a stream into batches of documents and queues them; it
// returns false when the run is cancelled.
func (r *runner) splitStream(ctx context.Context, name string, in io.Reader, inMemory bool, jobs chan<- job, outs chan<- output) bool {
	sp := manifest.NewSplitter(in)
	var batch []manifest.Chunk
	size := 0
	flush := func() bool {
		if len(batch) == 0 {
			return true
		}
		select {
		case jobs <- job{file: name, chunks: batch, inMemory: inMemory}:
		case <-ctx.Done():
			return false
		}
		batch, size = nil, 0
		return true
	}
	for {
		c, err := sp.Next()
		if errors.Is(err, io.EOF) {
			return flush()
		}
		if err != nil {
			ok := flush()
			outs <- output{notes: []Note{{File: name, Level: NoteError, Message: fmt.Sprintf("read error: %v", err)}}}
			return ok
		}
		if batch == nil {
			batch = make([]manifest.Chunk, 0, batchDocs)
		}
		batch = append(batch, c)
		size += len(c.Data)
		if len(batch) >= batchDocs || size >= batchBytes {
			if !flush() {
				return false
			}
		}
	}
}

// restoreRendered gives findings and notes on rendered files the user's
// files and lines back, and merges the findings that several values
// profiles share into one that lists them.
func (r *runner) restoreRendered(res *Result) {
	if len(r.rendered.files) == 0 {
		return
	}
	// A chart or kustomization counts as the files it rendered from.
	names := map[string]bool{}
	for _, f := range r.rendered.files {
		names[f.file.Name] = true
	}
	res.Files += len(names) - int(r.renderedSources.Load())
	for i := range res.Findings {
		f := &res.Findings[i]
		rf, ok := r.rendered.lookup(f.File)
		if !ok {
			continue
		}
		f.File, f.Line, f.Column = rf.locate(f.Path, f.Line, f.Column)
		if rf.profile != "" {
			f.Profiles = []string{rf.profile}
		}
	}
	for i := range res.Notes {
		n := &res.Notes[i]
		if rf, ok := r.rendered.lookup(n.File); ok {
			n.File, n.Line, _ = rf.locate("", n.Line, 1)
		}
	}
	if len(r.rendered.profiles) == 0 {
		return
	}
	// The same finding in several profiles is one finding.
	type key struct {
		check, file, path, msg string
		line, col              int
		obj                    check.ObjectRef
	}
	rank := map[string]int{}
	for i, p := range r.rendered.profiles {
		rank[p] = i
	}
	first := map[key]int{}
	out := res.Findings[:0]
	for _, f := range res.Findings {
		if len(f.Profiles) == 0 {
			out = append(out, f)
			continue
		}
		k := key{f.Check, f.File, f.Path, f.Message, f.Line, f.Column, f.Object}
		if i, ok := first[k]; ok {
			for _, p := range f.Profiles {
				if !slices.Contains(out[i].Profiles, p) {
					out[i].Profiles = append(out[i].Profiles, p)
				}
			}
			slices.SortFunc(out[i].Profiles, func(a, b string) int { return rank[a] - rank[b] })
			continue
		}
		first[k] = len(out)
		out = append(out, f)
	}
	res.Findings = out
}
