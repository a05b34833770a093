package check

import (
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kubevet/kubevet/internal/manifest"
)

func TestDeferMessages(t *testing.T) {
	q := resource.MustParse("100m")
	c := &Check{ID: "demo", Severity: Warning, Target: AllObjects, Run: func(p *Pass) {
		p.Report(manifest.NewPath("spec"), "container %q has %d ports, ok=%v", "web", 3, true)
		p.Report(manifest.NewPath("spec"), "requests %v", &q) // a pointer: formatted at once
		p.Report(manifest.NewPath("spec"), "constant text")
	}}
	obj := &manifest.Object{APIVersion: "v1", Kind: "Pod", Name: "p"}
	want := []string{`container "web" has 3 ports, ok=true`, "requests 100m", "constant text"}
	for _, deferMsg := range []bool{false, true} {
		r := Runner{DeferMessages: deferMsg}
		fs := r.Run(c, obj, &Settings{}, nil, nil, nil)
		if len(fs) != len(want) {
			t.Fatalf("defer=%v: %d findings", deferMsg, len(fs))
		}
		if got := fs[0].Deferred != nil; got != deferMsg {
			t.Errorf("defer=%v: first message deferred = %v", deferMsg, got)
		}
		if fs[1].Deferred != nil || fs[2].Deferred != nil {
			t.Errorf("defer=%v: a pointer argument or a constant message must be formatted at once", deferMsg)
		}
		for i := range fs {
			fs[i].Resolve()
			if fs[i].Message != want[i] || fs[i].Deferred != nil {
				t.Errorf("defer=%v: message %d = %q (deferred %v), want %q", deferMsg, i, fs[i].Message, fs[i].Deferred, want[i])
			}
		}
	}
}
