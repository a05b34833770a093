package aks_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kubevet/kubevet/internal/aks"
	"github.com/kubevet/kubevet/internal/aks/terraform"
	"github.com/kubevet/kubevet/internal/check"
	aksChecks "github.com/kubevet/kubevet/internal/checks/aks"
	"github.com/kubevet/kubevet/internal/engine"
)

var update = flag.Bool("update", false, "rewrite the .want files of the fixtures")

// checkDate is the date the fixtures are checked at.
var checkDate = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// testEnv runs every AKS check, the off-by-default ones included, with
// the given profile.
func testEnv(profile string) engine.HandlerEnv {
	return engine.HandlerEnv{
		Settings: &check.Settings{Profile: profile, Now: checkDate},
		Enabled:  func(*check.Check) bool { return true },
		Options: func(c *check.Check) check.Options {
			o := c.DefaultOptions()
			if c == aksChecks.RequiredTags {
				o["tags"] = []string{"owner", "env"}
			}
			return o
		},
	}
}

// runFixture checks a JSON fixture file, or every .tf file of a folder.
func runFixture(t *testing.T, path string, env engine.HandlerEnv) ([]check.Finding, []engine.Note) {
	t.Helper()
	var h engine.Handler = aks.Handler{}
	files := []string{path}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		h = terraform.Handler{}
		files, _ = filepath.Glob(filepath.Join(path, "*.tf"))
	}
	var fs []check.Finding
	var notes []engine.Note
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head := data
		if len(head) > 64<<10 {
			head = head[:64<<10]
		}
		if !h.Match(f, head) {
			t.Fatalf("%s: handler does not take it", f)
		}
		a, b := h.Check(context.Background(), f, bytes.NewReader(data), env)
		fs = append(fs, a...)
		notes = append(notes, b...)
	}
	return fs, notes
}

// wantLines renders findings and unknown-notes as "file:line check-id"
// and "file:line unknown check-id" lines.
func wantLines(fs []check.Finding, notes []engine.Note) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%d %s", filepath.Base(f.File), f.Line, f.Check))
	}
	for _, n := range notes {
		if id, _, ok := strings.Cut(n.Message, ": unknown"); ok {
			out = append(out, fmt.Sprintf("%s:%d unknown %s", filepath.Base(n.File), n.Line, id))
		}
	}
	sort.Strings(out)
	return out
}

func fixtures(t *testing.T) []string {
	ents, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".json") {
			out = append(out, filepath.Join("testdata", e.Name()))
		}
	}
	return out
}

// profileOf reads the profile a fixture is checked with from the first
// line of its .want file ("# profile dev"); regulated by default, so that
// every profile-bound rule runs.
func profileOf(want []byte) string {
	if p, ok := strings.CutPrefix(string(want), "# profile "); ok {
		p, _, _ = strings.Cut(p, "\n")
		return strings.TrimSpace(p)
	}
	return "regulated"
}

// TestFixtures checks each fixture against the exact set of findings
// written next to it (fixture.want).
func TestFixtures(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(filepath.Base(fx), func(t *testing.T) {
			wantFile := strings.TrimSuffix(fx, ".json") + ".want"
			wantData, _ := os.ReadFile(wantFile)
			profile := profileOf(wantData)
			fs, notes := runFixture(t, fx, testEnv(profile))
			got := wantLines(fs, notes)
			for _, f := range fs {
				if f.Line == 0 || f.Path == "" || f.Message == "" || f.Object.Kind != aks.ObjectKind || f.Object.Name == "" {
					t.Errorf("finding without place, message or object: %+v", f)
				}
			}
			if *update {
				head := ""
				if profile != "regulated" {
					head = "# profile " + profile + "\n"
				}
				if err := os.WriteFile(wantFile, []byte(head+strings.Join(got, "\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			var want []string
			for _, l := range strings.Split(string(wantData), "\n") {
				if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
					want = append(want, l)
				}
			}
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("findings differ\n got:\n  %s\nwant:\n  %s\n(messages:\n%s)", strings.Join(got, "\n  "), strings.Join(want, "\n  "), messages(fs))
			}
		})
	}
}

func messages(fs []check.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s:%d %s %s %s\n", filepath.Base(f.File), f.Line, f.Check, f.Path, f.Message)
	}
	return b.String()
}

// TestEveryCheckFiresAndStaysQuiet requires, across the fixtures, each AKS
// check to fire on some cluster and to stay quiet on another.
func TestEveryCheckFiresAndStaysQuiet(t *testing.T) {
	fired := map[string]bool{}
	quiet := map[string]bool{}
	for _, fx := range fixtures(t) {
		wantData, _ := os.ReadFile(strings.TrimSuffix(fx, ".json") + ".want")
		fs, _ := runFixture(t, fx, testEnv(profileOf(wantData)))
		perCluster := map[string]map[string]bool{}
		for _, f := range fs {
			if perCluster[f.Object.Name] == nil {
				perCluster[f.Object.Name] = map[string]bool{}
			}
			perCluster[f.Object.Name][f.Check] = true
			fired[f.Check] = true
		}
		names := clusterNames(t, fx)
		for _, n := range names {
			for _, c := range aksChecks.Checks {
				if !perCluster[n][c.ID] {
					quiet[c.ID] = true
				}
			}
		}
	}
	for _, c := range aksChecks.Checks {
		if !fired[c.ID] {
			t.Errorf("%s never fires on the fixtures", c.ID)
		}
		if !quiet[c.ID] {
			t.Errorf("%s never stays quiet on the fixtures", c.ID)
		}
	}
}

func clusterNames(t *testing.T, fx string) []string {
	var cs []*aks.Cluster
	if st, _ := os.Stat(fx); st.IsDir() {
		files := map[string][]byte{}
		tfs, _ := filepath.Glob(filepath.Join(fx, "*.tf"))
		for _, f := range tfs {
			b, _ := os.ReadFile(f)
			files[f] = b
		}
		res, _ := terraform.Parse(files)
		cs = aks.ClustersFromTerraform(res)
	} else {
		data, _ := os.ReadFile(fx)
		var err error
		if cs, err = aks.Parse(fx, data); err != nil {
			t.Fatal(err)
		}
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}
