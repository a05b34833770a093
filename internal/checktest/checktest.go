// Package checktest runs checks on fixture files whose expected findings are
// written in the fixture itself, as "# want <check-id>" YAML comments on the
// line where the finding must land. The harness fails on a finding nobody
// wanted and on a want that no finding matched.
package checktest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/config"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// ConfigFile is the optional configuration of a fixture folder, in the
// format of .kubevet.yaml.
const ConfigFile = "kubevet.yaml"

// Now is the fixed time fixtures run at.
var Now = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Stats says what a check's fixtures showed, for the catalog meta-tests.
type Stats struct {
	Findings     int
	CleanObjects int
	Files        int
}

// Run runs each check on the fixtures in dir/<check-id>/*.yaml and compares
// findings with the want markers. It returns the statistics per check ID.
func Run(t *testing.T, dir string, checks []*check.Check) map[string]Stats {
	t.Helper()
	stats := map[string]Stats{}
	for _, c := range checks {
		t.Run(c.ID, func(t *testing.T) {
			stats[c.ID] = RunCheck(t, filepath.Join(dir, c.ID), c, checks)
		})
	}
	return stats
}

// RunCheck runs c on the fixtures in folder.
func RunCheck(t *testing.T, folder string, c *check.Check, catalog []*check.Check) Stats {
	t.Helper()
	var st Stats
	cfg := &config.Config{Checks: map[string]config.CheckConfig{}}
	if _, err := os.Stat(filepath.Join(folder, ConfigFile)); err == nil {
		var err error
		cfg, err = config.Load(filepath.Join(folder, ConfigFile), catalog)
		if err != nil {
			t.Fatalf("fixture configuration: %v", err)
		}
	}
	settings := cfg.Settings()
	settings.Now = Now
	files, _ := filepath.Glob(filepath.Join(folder, "*.yaml"))
	if len(files) == 0 {
		t.Fatalf("no fixtures in %s", folder)
	}
	for _, f := range files {
		if filepath.Base(f) == ConfigFile {
			continue
		}
		st.Files++
		objs, wants := load(t, f, c.ID, manifest.Options{DefaultNamespace: cfg.Namespace})
		var g *graph.Graph
		if c.Cross {
			// Each fixture file is one whole input. Objects are detached
			// as the engine detaches them before checks across objects.
			for _, o := range objs {
				o.Detach()
			}
			g = graph.New(objs)
		}
		got := map[int][]string{}
		for _, o := range objs {
			fs := check.RunGraph(c, o, &settings, cfg.OptionsOf(c), g)
			if len(fs) == 0 {
				st.CleanObjects++
			}
			for _, fd := range fs {
				st.Findings++
				if fd.Check != c.ID {
					t.Errorf("%s:%d: finding reported under check %q", f, fd.Line, fd.Check)
				}
				if fd.Message == "" {
					t.Errorf("%s:%d: finding without a message", f, fd.Line)
				}
				got[fd.Line] = append(got[fd.Line], fd.Check)
				if !take(wants, fd.Line, fd.Check) {
					t.Errorf("%s:%d:%d: unexpected finding %s: %s (path %s)", f, fd.Line, fd.Column, fd.Check, fd.Message, fd.Path)
				}
			}
		}
		for _, line := range sortedKeys(wants) {
			for _, id := range wants[line] {
				t.Errorf("%s:%d: want %s, but no such finding (findings on that line: %v)", f, line, id, got[line])
			}
		}
	}
	return st
}

func take(wants map[int][]string, line int, id string) bool {
	for i, w := range wants[line] {
		if w == id {
			wants[line] = append(wants[line][:i], wants[line][i+1:]...)
			if len(wants[line]) == 0 {
				delete(wants, line)
			}
			return true
		}
	}
	return false
}

func sortedKeys(m map[int][]string) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// load decodes a fixture and reads its want markers. Fixtures must be valid
// input: a diagnostic fails the test, unless the check under test is that
// diagnostic.
func load(t *testing.T, file, id string, opt manifest.Options) ([]*manifest.Object, map[int][]string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	objs, diags, err := manifest.ReadAll(file, bytes.NewReader(data), opt)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	for _, dg := range diags {
		if dg.Kind != id {
			t.Errorf("%s:%d: fixture is not valid input: %s: %s", file, dg.Pos.Line, dg.Kind, dg.Message)
		}
	}
	// The markers are read document by document, as the objects were
	// decoded, so that a broken document keeps the markers of the others.
	s := manifest.NewSplitter(bytes.NewReader(data))
	wants := map[int][]string{}
	for {
		c, err := s.Next()
		if errors.Is(err, io.EOF) {
			return objs, wants
		}
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if yaml.Unmarshal(c.Data, &doc) == nil {
			Markers(&doc, c.StartLine-1, wants)
		}
	}
}

// Objects decodes the YAML documents in src. Test input must be valid: a
// diagnostic fails the test.
func Objects(t testing.TB, src string) []*manifest.Object {
	t.Helper()
	objs, diags := read(t, "test.yaml", strings.NewReader(src))
	mustBeValid(t, diags)
	return objs
}

// File decodes the YAML documents in the file at path. Like Objects, it
// fails the test on a diagnostic.
func File(t testing.TB, path string) []*manifest.Object {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	objs, diags := read(t, path, fh)
	mustBeValid(t, diags)
	return objs
}

// read decodes r with manifest.ReadAll, failing the test on a read error.
func read(t testing.TB, name string, r io.Reader) ([]*manifest.Object, []manifest.Diagnostic) {
	t.Helper()
	objs, diags, err := manifest.ReadAll(name, r, manifest.Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return objs, diags
}

// mustBeValid fails the test if there are diagnostics, naming them all.
func mustBeValid(t testing.TB, diags []manifest.Diagnostic) {
	t.Helper()
	if len(diags) == 0 {
		return
	}
	var b strings.Builder
	for _, dg := range diags {
		fmt.Fprintf(&b, "\n\t%s:%d:%d: %s: %s", dg.File, dg.Pos.Line, dg.Pos.Column, dg.Kind, dg.Message)
	}
	t.Fatalf("invalid test input:%s", b.String())
}

// Markers collects "# want id..." line comments below n into wants, by line.
func Markers(n *yaml.Node, offset int, wants map[int][]string) {
	if n == nil {
		return
	}
	if ids, ok := parseWant(n.LineComment); ok {
		wants[n.Line+offset] = append(wants[n.Line+offset], ids...)
	}
	for _, c := range n.Content {
		Markers(c, offset, wants)
	}
}

func parseWant(comment string) ([]string, bool) {
	comment = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(comment), "#"))
	rest, ok := strings.CutPrefix(comment, "want ")
	if !ok {
		return nil, false
	}
	var ids []string
	for _, f := range strings.FieldsFunc(rest, func(r rune) bool { return r == ' ' || r == ',' }) {
		if f == "want" {
			continue
		}
		ids = append(ids, f)
	}
	return ids, len(ids) > 0
}

// String renders stats for failure messages.
func (s Stats) String() string {
	return fmt.Sprintf("%d findings, %d clean objects in %d files", s.Findings, s.CleanObjects, s.Files)
}
