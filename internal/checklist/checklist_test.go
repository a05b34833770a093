package checklist_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checklist"
	"github.com/kubevet/kubevet/internal/config"
	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

var day = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func known(id string) bool { _, ok := rules.ByID(id); return ok }

// build runs the catalog on paths the way kubevet checklist does.
func build(t *testing.T, atts []checklist.Attestation, attFile string, handlers []engine.Handler, paths ...string) *checklist.Model {
	t.Helper()
	checks, counter := checklist.Instrument(catalog.All())
	// As kubevet checklist: namespace-level checks cover every namespace.
	cfg := &config.Config{Checks: map[string]config.CheckConfig{}, NamespaceChecks: "all"}
	res, err := engine.Check(context.Background(), paths, engine.Options{Config: cfg, Checks: checks, Now: day, Handlers: counter.Handlers(handlers)})
	if err != nil {
		t.Fatal(err)
	}
	return checklist.Build(checklist.Input{
		Catalog: catalog.All(), Rules: rules.All(), Result: res, Ran: counter.Ran(), HandledFiles: counter.HandledFiles(),
		Attestations: atts, AttestationsFile: attFile, Paths: paths, Date: day,
	})
}

func badApp(t *testing.T) *checklist.Model {
	t.Helper()
	const file = "testdata/kubevet-attestations.yaml"
	atts, err := checklist.LoadAttestations(file, known)
	if err != nil {
		t.Fatal(err)
	}
	return build(t, atts, file, nil, "../../examples/bad-app")
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./internal/checklist -update to accept):\n--- got\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	m := badApp(t)
	for name, ext := range map[string]string{"text": "txt", "markdown": "md", "html": "html", "json": "json"} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := checklist.Formats[name](&b, m); err != nil {
				t.Fatal(err)
			}
			if name == "json" && !json.Valid(b.Bytes()) {
				t.Fatal("invalid JSON")
			}
			golden(t, "bad-app."+ext, b.Bytes())
		})
	}
}

func items(m *checklist.Model) map[string]checklist.Item {
	out := map[string]checklist.Item{}
	for _, s := range m.Sections {
		for _, it := range s.Items {
			out[it.Rule.ID] = it
		}
	}
	return out
}

// TestStates: every guide item is listed once, in its section, and the
// states follow from the input and the attestations.
func TestStates(t *testing.T) {
	m := badApp(t)
	its := items(m)
	if len(its) != len(rules.All()) || m.Coverage.Items != len(rules.All()) {
		t.Fatalf("%d items, coverage says %d, want %d", len(its), m.Coverage.Items, len(rules.All()))
	}
	for i, r := range rules.All() {
		if _, ok := its[r.ID]; !ok {
			t.Errorf("item %d %s missing", i, r.ID)
		}
	}
	c := m.Coverage
	if c.Passing+c.Failing != c.Automated || c.Automated+c.Attested+c.NotApplicable+c.Open != c.Items {
		t.Errorf("coverage does not add up: %+v", c)
	}
	cases := []struct {
		id     string
		state  checklist.State
		status checklist.Status
	}{
		{"DR-05", checklist.Manual, checklist.StatusAttested}, // P, attested
		{"UPG-04", checklist.Manual, checklist.StatusOpen},    // P, attestation expired
		{"WL-04", checklist.Manual, checklist.StatusOpen},     // P, not attested
		{"IAM-01", checklist.NotApplicable, checklist.StatusAttested},
		{"IAM-02", checklist.NotApplicable, checklist.StatusNotApplicable}, // C only, manifests only
		{"SEC-11", checklist.Failing, checklist.StatusFailing},             // attested, still failing
		{"IAM-09", checklist.Failing, checklist.StatusFailing},
		{"WL-13", checklist.Failing, checklist.StatusFailing},
	}
	for _, tc := range cases {
		it := its[tc.id]
		if it.State != tc.state || it.Status != tc.status {
			t.Errorf("%s: %s/%s, want %s/%s (%s)", tc.id, it.State, it.Status, tc.state, tc.status, it.Reason)
		}
	}
	if !its["UPG-04"].Expired || its["DR-05"].Expired || c.ExpiredAttestations != 1 {
		t.Errorf("expiry: UPG-04 %v, DR-05 %v, %d expired", its["UPG-04"].Expired, its["DR-05"].Expired, c.ExpiredAttestations)
	}
	if it := its["SEC-11"]; it.Attestation == nil || len(it.Findings) == 0 || !strings.Contains(it.AttestationLine(), "does not hide") {
		t.Errorf("SEC-11: %+v", it)
	}
	for id, it := range its {
		if (it.State == checklist.Failing) != (len(it.Findings) > 0) {
			t.Errorf("%s: state %s with %d findings", id, it.State, len(it.Findings))
		}
		if it.Reason == "" {
			t.Errorf("%s: no reason", id)
		}
	}
}

// TestGoodApp: on a well-configured input, items are automated and pass,
// and an item fails only through a finding of the run.
func TestGoodApp(t *testing.T) {
	m := build(t, nil, "", nil, "../../examples/good-app")
	if m.Coverage.Passing == 0 {
		t.Errorf("coverage %+v", m.Coverage)
	}
	for id, it := range items(m) {
		if it.State == checklist.Failing && len(it.Findings) == 0 {
			t.Errorf("%s fails without a finding", id)
		}
	}
}

// TestNoManifests: with no object, items automatable from manifests only
// are not applicable, and no item is automated.
func TestNoManifests(t *testing.T) {
	m := build(t, nil, "", nil, t.TempDir())
	its := items(m)
	if m.Coverage.Automated != 0 {
		t.Errorf("automated %d with no object", m.Coverage.Automated)
	}
	if it := its["WL-01"]; it.State != checklist.NotApplicable {
		t.Errorf("WL-01 is %s: %s", it.State, it.Reason)
	}
}

// aksHandler stands for the AKS configuration reader: it takes .aks.json
// files and reports nothing.
type aksHandler struct{}

func (aksHandler) Name() string                     { return "AKS configuration" }
func (aksHandler) Extensions() []string             { return []string{".json"} }
func (aksHandler) Match(name string, _ []byte) bool { return strings.HasSuffix(name, ".aks.json") }
func (aksHandler) Check(context.Context, string, io.Reader, engine.HandlerEnv) ([]check.Finding, []engine.Note) {
	return nil, nil
}

// TestAKSChecks: a check with an aks- ID and no Run (reported by the AKS
// handler) counts as run when a handler read a file or when it found
// something, and makes its items automated.
func TestAKSChecks(t *testing.T) {
	aksCheck := &check.Check{ID: "aks-test-private-cluster", Title: "Private API server", Refs: []string{"NET-01"}, Target: check.Target{Desc: "AKS configuration"}}
	cat := append(catalog.All(), aksCheck)
	finding := []check.Finding{{Check: aksCheck.ID, Refs: aksCheck.Refs, Severity: check.Error, File: "cluster.json", Message: "the API server is public"}}
	for _, tc := range []struct {
		name     string
		files    int
		findings []check.Finding
		want     checklist.State
	}{
		{"no configuration", 0, nil, checklist.NotApplicable},
		{"configuration read, nothing found", 1, nil, checklist.Passing},
		{"configuration read, finding", 1, finding, checklist.Failing},
		{"finding without a counted file", 0, finding, checklist.Failing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := checklist.Build(checklist.Input{Catalog: cat, Rules: rules.All(), Result: &engine.Result{Files: 1, Findings: tc.findings}, HandledFiles: tc.files, Date: day})
			it := items(m)["NET-01"]
			if it.State != tc.want {
				t.Errorf("NET-01 is %s, want %s: %s", it.State, tc.want, it.Reason)
			}
			if got := m.Inputs.AKSConfiguration; got != (tc.files > 0 || tc.findings != nil) {
				t.Errorf("AKSConfiguration = %v", got)
			}
		})
	}
	// Through the engine: the counter sees the handler read the file.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cluster.aks.json"), []byte("{}"), 0o644)
	m := build(t, nil, "", []engine.Handler{aksHandler{}}, dir)
	if !m.Inputs.AKSConfiguration || m.Inputs.Manifests {
		t.Errorf("inputs %+v", m.Inputs)
	}
}

// TestCounter: the instrumented checks count the objects their target
// matched, and keep their IDs and behaviour.
func TestCounter(t *testing.T) {
	checks, counter := checklist.Instrument(catalog.All())
	res, err := engine.Check(context.Background(), []string{"../../examples/bad-app"}, engine.Options{Checks: checks, Now: day})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := engine.Check(context.Background(), []string{"../../examples/bad-app"}, engine.Options{Checks: catalog.All(), Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != len(plain.Findings) {
		t.Errorf("instrumented run: %d findings, plain run %d", len(res.Findings), len(plain.Findings))
	}
	ran := counter.Ran()
	// examples/bad-app has 16 objects, among them a Deployment, a CronJob
	// and a Pod with pod specs, and 2 StorageClasses.
	if ran["image-tag"] == 0 || ran["image-tag"] > res.Objects || ran["storage-class-in-tree"] != 2 {
		t.Errorf("ran: %v", ran)
	}
	if _, ok := ran["syntax"]; ok {
		t.Errorf("an engine-reported check counted runs: %v", ran)
	}
}
