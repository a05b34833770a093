package engine

import (
	"context"
	"runtime"
	"sync"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// CheckObjects checks objects that were not read from files, such as those
// listed from a live cluster (see manifest.FromTyped). It runs the same
// checks, exemptions and configuration as Check; findings carry the field
// path and no source position.
func CheckObjects(ctx context.Context, objs []*manifest.Object, opt Options) (*Result, error) {
	r, err := newRunner(opt)
	if err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	outs := make([]output, workers)
	next := make(chan *manifest.Object)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var cr check.Runner
			for obj := range next {
				r.checkObject(obj, nil, &cr, &outs[w])
			}
		}()
	}
	for _, o := range objs {
		if ctx.Err() != nil {
			break
		}
		next <- o
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{Namespaces: map[string]int{}}
	var keep []kept
	var parts [][]check.Finding
	for _, o := range outs {
		parts = append(parts, o.findings)
		keep = append(keep, o.kept...)
		res.Objects += o.objects
		for ns, n := range o.byNS {
			res.Namespaces[ns] += n
		}
	}
	for _, p := range parts {
		res.Findings = append(res.Findings, p...)
	}
	if len(keep) > 0 {
		res.Findings = r.gather(res.Findings, r.crossPhase(keep, workers))
	}
	r.spill.Close()
	if err := r.spillError(); err != nil {
		return nil, err
	}
	sortResult(res)
	return res, nil
}
