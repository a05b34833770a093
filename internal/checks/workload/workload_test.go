package workload_test

import (
	"testing"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/workload"
	"github.com/kubevet/kubevet/internal/checktest"
	"github.com/kubevet/kubevet/internal/manifest"
)

// options returns c's default options, with required-labels configured.
func options(c *check.Check) check.Options {
	o := c.DefaultOptions()
	if c == workload.RequiredLabels {
		o["labels"] = []string{"app.kubernetes.io/name", "owner"}
	}
	return o
}

// TestWellConfigured runs every workload check, enabled or not, on
// workloads configured as the guides ask: none may report.
func TestWellConfigured(t *testing.T) {
	objs := checktest.File(t, "testdata/well-configured.yaml")
	s := &check.Settings{}
	for _, c := range workload.Checks {
		for _, o := range objs {
			for _, f := range check.Run(c, o, s, options(c)) {
				t.Errorf("%s:%d: %s: %s", f.File, f.Line, f.Check, f.Message)
			}
		}
	}
}

// TestRequiredLabelsQuietByDefault: with no label configured, the check
// reports nothing.
func TestRequiredLabelsQuietByDefault(t *testing.T) {
	c := workload.RequiredLabels
	for _, o := range checktest.File(t, "testdata/required-labels/labels.yaml") {
		if fs := check.Run(c, o, &check.Settings{}, c.DefaultOptions()); len(fs) > 0 {
			t.Errorf("%s: %d findings with no label configured", check.RefOf(o), len(fs))
		}
	}
}

// TestNoAllocationWhenClean keeps Run cheap: on objects with nothing to
// report, no check allocates.
func TestNoAllocationWhenClean(t *testing.T) {
	objs := checktest.File(t, "testdata/well-configured.yaml")
	s := &check.Settings{KubernetesVersion: "1.35"}
	run := func(c *check.Check, o *manifest.Object, opts check.Options) float64 {
		return testing.AllocsPerRun(20, func() {
			p := check.Pass{Check: c, Object: o, Settings: s, Options: opts}
			c.Run(&p)
		})
	}
	// The Pass escapes through the call of Run: measure that once.
	base := run(&check.Check{Run: func(*check.Pass) {}}, objs[0], nil)
	for _, c := range workload.Checks {
		opts := options(c)
		for _, o := range objs {
			if !c.Target.Match(o) {
				continue
			}
			if allocs := run(c, o, opts) - base; allocs > 0 {
				t.Errorf("%s on %s: %v allocations per run", c.ID, check.RefOf(o), allocs)
			}
		}
	}
}
