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
func (r *runner) crossPhase(keep []kept, workers int) []findingsOf {
	// The graph sees the objects in input order, so that its answers are
	// deterministic and "first" means first in the input.
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
	// The work goes by namespace (cluster-scoped objects first): a
	// namespace's objects stay unpacked while it is worked on, so memory
	// holds one namespace at a time.
	order := make([]int, len(keep))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return keep[order[i]].obj.Namespace < keep[order[j]].obj.Namespace })
	out := make([]findingsOf, len(keep))
	for start := 0; start < len(order); {
		ns := keep[order[start]].obj.Namespace
		end := start + 1
		for end < len(order) && keep[order[end]].obj.Namespace == ns {
			end++
		}
		group := order[start:end]
		for _, i := range group {
			keep[i].obj.Pin()
		}
		var wg sync.WaitGroup
		next := make(chan int)
		for range min(workers, len(group)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var cr check.Runner
				var scratch []check.Finding
				for i := range next {
					if keep[i].fact {
						continue // facts inform the graph; no check reports on them
					}
					out[i] = r.crossObject(keep[i], g, &cr, &scratch)
					keep[i].findings = findingsOf{} // out[i] has them now
				}
			}()
		}
		for _, i := range group {
			next <- i
		}
		close(next)
		wg.Wait()
		for _, i := range group {
			keep[i].obj.Unpin()
		}
		start = end
	}
	return out
}

// crossObject runs the cross checks on k and returns all its findings,
// exemptions applied, kept like k's until the run gathers them (see
// findingsOf). scratch is the worker's buffer to expand and grow them in.
func (r *runner) crossObject(k kept, g *graph.Graph, cr *check.Runner, scratch *[]check.Finding) findingsOf {
	o := k.obj
	fs, err := r.expand((*scratch)[:0], k.findings)
	if err != nil {
		r.failSpill(err)
	}
	for _, ac := range r.cross {
		fs = cr.Run(ac.c, o, &r.settings, ac.opts, g, fs)
	}
	if len(o.Annotations) > 0 {
		fs = r.exempt(o, fs)
	}
	fs = r.emit(fs[:0], fs)
	// No finding can be reported on o any more: its positions (and the
	// document exemptions may have read back) go now, not at the end of
	// the phase.
	o.Node = nil
	o.DropPositions()
	out := r.keep(fs)
	*scratch = fs[:0]
	return out
}
