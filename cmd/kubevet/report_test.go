package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubevet/kubevet/internal/report/sariftest"

	"github.com/kubevet/kubevet/internal/catalog"
)

// The tests run as on a developer's machine whatever CI runs them: no CI
// variables (which would turn text into annotations) and a fixed clock
// (report timestamps stay golden).
func init() {
	getenv = func(string) string { return "" }
	now = func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }
}

func TestGoldenFormats(t *testing.T) {
	for _, format := range []string{"sarif", "junit", "github", "azure", "markdown", "policyreport"} {
		t.Run(format, func(t *testing.T) {
			out, errs, code := kubevet(t, "", "check", "-o", format, "testdata/input")
			if code != 1 {
				t.Errorf("exit %d, want 1; stderr: %s", code, errs)
			}
			if format == "sarif" {
				sariftest.Validate(t, []byte(out))
				out = sarifGolden(t, out)
			}
			golden(t, "out."+format, out)
		})
	}
}

// sarifGolden checks that a SARIF log lists every check of the catalog as a
// rule, in order, and that results point to their rule; it returns the log
// with only the rules that produced results and without rule indexes, so
// that the golden file does not change with every check added to the
// catalog (keys come out sorted).
func sarifGolden(t *testing.T, out string) string {
	t.Helper()
	var log map[string]any
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run := log["runs"].([]any)[0].(map[string]any)
	driver := run["tool"].(map[string]any)["driver"].(map[string]any)
	rules := driver["rules"].([]any)
	all := catalog.All()
	if len(rules) != len(all) {
		t.Errorf("%d rules for %d checks", len(rules), len(all))
	}
	for i, c := range all {
		if i < len(rules) && rules[i].(map[string]any)["id"] != c.ID {
			t.Errorf("rule %d is %v, want %s", i, rules[i].(map[string]any)["id"], c.ID)
		}
	}
	used := map[string]bool{}
	for _, r := range run["results"].([]any) {
		res := r.(map[string]any)
		i := int(res["ruleIndex"].(float64))
		if i >= len(rules) || rules[i].(map[string]any)["id"] != res["ruleId"] {
			t.Errorf("result of %v points to rule %d", res["ruleId"], i)
		}
		used[res["ruleId"].(string)] = true
		delete(res, "ruleIndex")
	}
	var kept []any
	for _, r := range rules {
		if used[r.(map[string]any)["id"].(string)] {
			kept = append(kept, r)
		}
	}
	driver["rules"] = kept
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSARIFExamples validates the SARIF of the bundled examples.
func TestSARIFExamples(t *testing.T) {
	for _, dir := range []string{"../../examples/bad-app", "../../examples/good-app"} {
		out, errs, code := kubevet(t, "", "check", "-o", "sarif", dir)
		if code == 2 {
			t.Fatalf("%s: %s", dir, errs)
		}
		sariftest.Validate(t, []byte(out))
	}
}

// TestCIAutoSelect: on GitHub Actions and Azure Pipelines, standard output
// gets annotations unless a format was asked there.
func TestCIAutoSelect(t *testing.T) {
	saved := getenv
	t.Cleanup(func() { getenv = saved })
	dir := t.TempDir()
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string // a line of standard output starts with it ("" for no output)
	}{
		{"github", map[string]string{"GITHUB_ACTIONS": "true"}, nil, "::error file=testdata/input/app.yaml,line=37,col=11,title=privileged-container::"},
		{"azure", map[string]string{"TF_BUILD": "True"}, nil, "##vso[task.logissue type=error;sourcepath=testdata/input/app.yaml;linenumber=37;"},
		{"github with a report file", map[string]string{"GITHUB_ACTIONS": "true"}, []string{"-o", "sarif=" + filepath.Join(dir, "r.sarif")}, "::error "},
		{"explicit text wins", map[string]string{"GITHUB_ACTIONS": "true"}, []string{"-o", "text"}, "testdata/input/app.yaml\n"},
		{"explicit json wins", map[string]string{"TF_BUILD": "True"}, []string{"-o", "json"}, "{"},
		{"not on CI", map[string]string{"GITHUB_ACTIONS": "false"}, nil, "testdata/input/app.yaml\n"},
		{"not on CI, file only", nil, []string{"-o", "junit=" + filepath.Join(dir, "r.xml")}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			getenv = func(k string) string { return c.env[k] }
			out, errs, code := kubevet(t, "", append(append([]string{"check"}, c.args...), "testdata/input")...)
			if code != 1 {
				t.Errorf("exit %d; stderr: %s", code, errs)
			}
			hasLine := strings.HasPrefix(out, c.want) || strings.Contains(out, "\n"+c.want)
			if !hasLine || c.want == "" && out != "" {
				t.Errorf("standard output %.200q has no line starting %q", out, c.want)
			}
		})
	}
}

const baselineApp = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: nginx:1.27
        securityContext: {privileged: true}
`

// TestBaseline: a written baseline silences today's findings through line
// shifts; a new problem fails the run again.
func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app.yaml")
	base := filepath.Join(dir, "baseline.json")
	write := func(s string) {
		if err := os.WriteFile(app, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(baselineApp)
	if _, _, code := kubevet(t, "", "check", app); code != 1 {
		t.Fatalf("the app should fail without a baseline: exit %d", code)
	}
	out, errs, code := kubevet(t, "", "check", "--baseline-write", base, app)
	if code != 0 || !strings.Contains(out, "suppressed by the baseline") {
		t.Fatalf("--baseline-write: exit %d, %s\n%s", code, errs, out)
	}
	data, err := os.ReadFile(base)
	if err != nil || !strings.Contains(string(data), `"version": "kubevet.io/baseline/v1"`) || !strings.Contains(string(data), `"check": "privileged-container"`) {
		t.Fatalf("baseline file: %v\n%s", err, data)
	}

	// Lines added above the problem and reformatting: nothing new.
	write("# owned by the shop team\n\n" + strings.Replace(baselineApp, "  name: api\n  namespace: shop\n", "  namespace: shop\n  name: api\n", 1))
	out, errs, code = kubevet(t, "", "check", "--baseline", base, app)
	if code != 0 {
		t.Errorf("after a line shift: exit %d, %s\n%s", code, errs, out)
	}
	if !strings.Contains(out, "0 errors, 0 warnings, 0 infos in 1 object from 1 file; ") || !strings.Contains(out, "suppressed by the baseline") {
		t.Errorf("summary:\n%s", out)
	}
	// Baselined findings are gone from every output.
	out, _, _ = kubevet(t, "", "check", "--baseline", base, "-o", "sarif", app)
	if strings.Contains(out, `"ruleId"`) {
		t.Errorf("a baselined finding is in the SARIF:\n%s", out)
	}

	// A new problem fails the run, and only it is reported.
	write(strings.Replace(baselineApp, "{privileged: true}", "{privileged: true, capabilities: {add: [NET_ADMIN]}}", 1))
	out, _, code = kubevet(t, "", "check", "--baseline", base, "-o", "github", app)
	if code != 1 || !strings.Contains(out, "title=capabilities-added") || strings.Contains(out, "title=privileged-container") {
		t.Errorf("new problem: exit %d\n%s", code, out)
	}

	// A missing or broken baseline is a usage error.
	if _, errs, code := kubevet(t, "", "check", "--baseline", filepath.Join(dir, "nope.json"), app); code != 2 || !strings.Contains(errs, "--baseline") {
		t.Errorf("missing baseline: exit %d, %s", code, errs)
	}
	os.WriteFile(base, []byte(`{"version": "v0"}`), 0o644)
	if _, errs, code := kubevet(t, "", "check", "--baseline", base, app); code != 2 || !strings.Contains(errs, "baseline version") {
		t.Errorf("broken baseline: exit %d, %s", code, errs)
	}
}
