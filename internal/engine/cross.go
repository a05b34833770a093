package engine

import (
	"sort"
	"sync"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// crossPhase runs the checks that look across objects, once every object
// has been read: it indexes the kept objects, runs the cross checks on each
// (in parallel), places their findings on source lines by reading back only
// the documents that have findings, and applies exemptions.
func (r *runner) crossPhase(keep []kept, workers int) [][]check.Finding {
	// Input order, for deterministic graph answers.
	sort.SliceStable(keep, func(i, j int) bool {
		a, b := keep[i].obj, keep[j].obj
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Doc < b.Doc
	})
	objs := make([]*manifest.Object, len(keep))
	for i, k := range keep {
		objs[i] = k.obj
	}
	g := graph.New(objs)
	out := make([][]check.Finding, len(keep))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var cr check.Runner
			for i := range next {
				out[i] = r.crossObject(keep[i], g, &cr)
			}
		}()
	}
	for i := range keep {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func (r *runner) crossObject(k kept, g *graph.Graph, cr *check.Runner) []check.Finding {
	o := k.obj
	reloaded := false
	reload := func() {
		if !reloaded && o.File != "" {
			reloaded = o.Reload() == nil
		}
	}
	if hasExemptions(o) {
		reload() // exemption findings point at their annotation
	}
	n := len(k.findings)
	fs := k.findings
	for _, ac := range r.cross {
		fs = cr.Run(ac.c, o, &r.settings, ac.opts, g, fs)
	}
	if len(fs) > n && !reloaded {
		reload()
		for i := n; i < len(fs); i++ {
			if p, ok := manifest.ParsePath(fs[i].Path); ok {
				pos, _ := o.Locate(p)
				fs[i].Line, fs[i].Column = pos.Line, pos.Column
			}
		}
	}
	fs = r.exempt(o, fs)
	o.Detach()
	out := fs[:0]
	for _, f := range fs {
		if r.enabled(f.Check) {
			out = append(out, r.severity(f))
		}
	}
	return out
}

func hasExemptions(o *manifest.Object) bool {
	for k := range o.Annotations {
		if len(k) > len(ExemptPrefix) && k[:len(ExemptPrefix)] == ExemptPrefix {
			return true
		}
	}
	return false
}
