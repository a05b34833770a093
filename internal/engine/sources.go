package engine

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// source is one input to read: a file, or standard input.
type source struct {
	// name is the path shown in findings ("-" for standard input).
	name string
	// explicit is true for a file named on the command line: it is read
	// whatever its extension.
	explicit bool
	// renderer builds the source (a chart or kustomization), when set.
	renderer Renderer
}

// claim returns the renderer that builds path, or nil.
func claim(renderers []Renderer, path string, isDir bool) Renderer {
	for _, r := range renderers {
		if r.Claims(path, isDir) {
			return r
		}
	}
	return nil
}

// readExt reports whether a file found in a folder walk is read: manifests,
// and the extensions handlers ask for.
func readExt(name string, extra []string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".yaml", ".yml", ".json":
		return true
	}
	for _, e := range extra {
		if ext == e {
			return true
		}
	}
	return false
}

// walk expands paths into sources: folders recursively (following symbolic
// links once, so loops end), in a stable order. Problems are returned as
// notes; excluded reports whether a path relative to its root is skipped.
func walk(paths []string, excluded func(rel string) bool, exts []string, renderers []Renderer, force bool) ([]source, []Note) {
	var out []source
	var notes []Note
	for _, p := range paths {
		if p == "-" {
			out = append(out, source{name: "-", explicit: true})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			notes = append(notes, Note{File: p, Level: NoteError, Message: fmt.Sprintf("cannot read: %v", unwrapPathError(err))})
			continue
		}
		if rd := claim(renderers, p, st.IsDir()); rd != nil {
			out = append(out, source{name: p, explicit: true, renderer: rd})
			continue
		}
		if force {
			what := make([]string, len(renderers))
			for i, rd := range renderers {
				what[i] = rd.Name()
			}
			notes = append(notes, Note{File: p, Level: NoteError, Message: fmt.Sprintf("not a %s", strings.Join(what, " or "))})
			continue
		}
		if !st.IsDir() {
			out = append(out, source{name: p, explicit: true})
			continue
		}
		visited := map[string]bool{}
		var rec func(dir, rel string)
		rec = func(dir, rel string) {
			real, err := filepath.EvalSymlinks(dir)
			if err != nil {
				notes = append(notes, Note{File: dir, Level: NoteError, Message: fmt.Sprintf("cannot read folder: %v", unwrapPathError(err))})
				return
			}
			if visited[real] {
				notes = append(notes, Note{File: dir, Level: NoteInfo, Message: "symbolic link loop: folder already read, skipped"})
				return
			}
			visited[real] = true
			entries, err := os.ReadDir(dir)
			if err != nil {
				notes = append(notes, Note{File: dir, Level: NoteError, Message: fmt.Sprintf("cannot read folder: %v", unwrapPathError(err))})
				return
			}
			sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
			for _, e := range entries {
				name := e.Name()
				full := filepath.Join(dir, name)
				r := name
				if rel != "" {
					r = rel + "/" + name
				}
				if excluded(r) {
					continue
				}
				mode := e.Type()
				if mode&fs.ModeSymlink != 0 {
					t, err := os.Stat(full)
					if err != nil {
						notes = append(notes, Note{File: full, Level: NoteWarning, Message: fmt.Sprintf("broken symbolic link: %v", unwrapPathError(err))})
						continue
					}
					mode = t.Mode().Type()
				}
				switch {
				case mode.IsDir():
					if strings.HasPrefix(name, ".") {
						continue // .git, .github, editors' folders
					}
					if rd := claim(renderers, full, true); rd != nil {
						out = append(out, source{name: full, renderer: rd})
						continue
					}
					rec(full, r)
				case mode.IsRegular():
					if rd := claim(renderers, full, false); rd != nil {
						out = append(out, source{name: full, renderer: rd})
					} else if readExt(name, exts) {
						out = append(out, source{name: full})
					}
				}
			}
		}
		rec(p, "")
	}
	return dropIncluded(out), notes
}

// dropIncluded drops the claimed folders that another claimed folder of
// the run includes (a Kustomize base of an overlay), unless they were named
// on the command line: they are checked through what includes them.
func dropIncluded(sources []source) []source {
	included := map[string]bool{}
	for _, s := range sources {
		if in, ok := s.renderer.(Includer); ok {
			for _, p := range in.Includes(s.name) {
				included[filepath.Clean(p)] = true
			}
		}
	}
	if len(included) == 0 {
		return sources
	}
	out := sources[:0]
	for _, s := range sources {
		if s.renderer != nil && !s.explicit && included[filepath.Clean(s.name)] {
			continue
		}
		out = append(out, s)
	}
	return out
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
