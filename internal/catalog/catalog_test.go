package catalog_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/checktest"
	"github.com/kubevet/kubevet/internal/rules"
)

// TestFixtures runs every check on its fixtures and enforces that each
// check with a Run function has fixtures showing it firing and staying
// quiet.
func TestFixtures(t *testing.T) {
	all := catalog.All()
	for _, d := range catalog.Domains {
		t.Run(d.Name, func(t *testing.T) {
			for _, c := range d.Checks {
				if c.Run == nil {
					continue // reported by the engine; tested there
				}
				t.Run(c.ID, func(t *testing.T) {
					st := checktest.RunCheck(t, filepath.Join("..", "..", d.Dir, "testdata", c.ID), c, all)
					if st.Findings == 0 || st.CleanObjects == 0 {
						t.Errorf("check %s needs fixtures with at least one finding and one clean object; got %s", c.ID, st)
					}
				})
			}
		})
	}
}

func TestMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range catalog.All() {
		if err := c.Validate(); err != nil {
			t.Error(err)
		}
		if seen[c.ID] {
			t.Errorf("duplicate check ID %s", c.ID)
		}
		seen[c.ID] = true
	}
}

func TestRefsExistInSpec(t *testing.T) {
	for _, c := range catalog.All() {
		for _, r := range c.Refs {
			if _, ok := rules.ByID(r); !ok {
				t.Errorf("check %s refers to %s, which the spec does not define", c.ID, r)
			}
		}
	}
}

var update = flag.Bool("update", false, "rewrite docs/checks.md")

// TestDocsFresh keeps docs/checks.md in step with the catalog.
func TestDocsFresh(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "checks.md")
	want := catalog.Markdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Fatal("docs/checks.md is stale: run go test ./internal/catalog -run TestDocsFresh -update")
	}
}
