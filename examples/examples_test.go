package examples_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
)

// run checks one example folder with the whole catalog and the default
// configuration, as kubevet check does when no .kubevet.yaml is found.
func run(t *testing.T, dir string) *engine.Result {
	t.Helper()
	res, err := engine.Check(context.Background(), []string{dir}, engine.Options{Checks: catalog.All()})
	if err != nil {
		t.Fatalf("checking %s: %v", dir, err)
	}
	if res.Objects == 0 {
		t.Fatalf("%s: no objects read", dir)
	}
	for _, n := range res.Notes {
		if n.Level != engine.NoteInfo {
			t.Errorf("%s: note %s:%d %s: %s", dir, n.File, n.Line, n.Level, n.Message)
		}
	}
	for _, f := range res.Findings {
		if f.File == "" || f.Line <= 0 || f.Column <= 0 {
			t.Errorf("%s: finding without a position: %s", dir, describe(f))
		}
	}
	return res
}

func describe(f check.Finding) string {
	return fmt.Sprintf("%s:%d:%d %s %s [%s] %s: %s", f.File, f.Line, f.Column, f.Severity, f.Check, f.Path, f.Object, f.Message)
}

func TestGoodApp(t *testing.T) {
	res := run(t, "good-app")
	for _, f := range res.Findings {
		if f.Severity >= check.Warning {
			t.Errorf("good-app: %s", describe(f))
		}
	}
}

func TestBadApp(t *testing.T) {
	res := run(t, "bad-app")
	nErrors := 0
	checks := map[string]int{}
	for _, f := range res.Findings {
		if f.Severity == check.Error {
			nErrors++
		}
		checks[f.Check]++
	}
	if nErrors == 0 {
		t.Errorf("bad-app: no finding at error severity")
	}
	const minChecks = 15
	if len(checks) < minChecks {
		t.Errorf("bad-app: findings from %d distinct checks, want at least %d: %v", len(checks), minChecks, checks)
	}
}
