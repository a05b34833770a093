package checklist

import (
	"context"
	"io"
	"sync/atomic"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
)

// Counter learns which checks could run on an input: it wraps the checks
// given to the engine so that each counts the objects it was run on (the
// engine calls Run only on objects its target matches), and the input
// handlers so that they count the files they read. The engine needs no
// change for it, and checks that look across objects are counted too.
type Counter struct {
	ids   []string
	ran   []atomic.Int64
	files atomic.Int64
}

// Instrument returns copies of checks that count their runs in the
// returned Counter. The copies keep every other field, IDs included, so
// configuration, exemptions and findings are the same as with checks.
func Instrument(checks []*check.Check) ([]*check.Check, *Counter) {
	c := &Counter{ids: make([]string, len(checks)), ran: make([]atomic.Int64, len(checks))}
	out := make([]*check.Check, len(checks))
	for i, orig := range checks {
		cp := *orig
		c.ids[i] = orig.ID
		if orig.Run != nil {
			run, n := orig.Run, &c.ran[i]
			cp.Run = func(p *check.Pass) {
				n.Add(1)
				run(p)
			}
		}
		out[i] = &cp
	}
	return out, c
}

// Handlers wraps input handlers so that the files they read are counted.
func (c *Counter) Handlers(hs []engine.Handler) []engine.Handler {
	out := make([]engine.Handler, len(hs))
	for i, h := range hs {
		out[i] = countingHandler{Handler: h, files: &c.files}
	}
	return out
}

// Ran returns, by check ID, the number of objects each check ran on
// (checks that ran on none are left out).
func (c *Counter) Ran() map[string]int {
	out := map[string]int{}
	for i := range c.ran {
		if n := c.ran[i].Load(); n > 0 {
			out[c.ids[i]] += int(n)
		}
	}
	return out
}

// HandledFiles is the number of files the input handlers read: AKS
// configuration (az aks show JSON, ARM templates, Terraform).
func (c *Counter) HandledFiles() int { return int(c.files.Load()) }

type countingHandler struct {
	engine.Handler
	files *atomic.Int64
}

func (h countingHandler) Check(ctx context.Context, name string, r io.Reader, env engine.HandlerEnv) ([]check.Finding, []engine.Note) {
	h.files.Add(1)
	return h.Handler.Check(ctx, name, r, env)
}
