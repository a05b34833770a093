package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kubevet/kubevet/internal/report/sariftest"
	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
)

// sample is a result with what the formats must cope with: special
// characters in messages and file names, a cluster-scoped object, a
// document that is not an object, standard input, an absolute path and a
// finding without a line.
func sample() *Report {
	cat := []*check.Check{
		{ID: "privileged-container", Title: "Container runs privileged", Severity: check.Error, Refs: []string{"SEC-11", "WIN-02"}, Why: "Full access to the node.", Fix: "Set privileged to false.", Example: "securityContext:\n  privileged: false\n"},
		{ID: "image-tag", Title: "Image is not pinned to a version", Severity: check.Warning, Refs: []string{"WL-12"}, Why: "Tags move.", Fix: "Pin a digest."},
		{ID: "image-pull-policy", Title: "Container has no imagePullPolicy", Severity: check.Info, Why: "Defaults vary.", Fix: "Set it.", Disabled: true},
	}
	deploy := check.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}
	return &Report{
		Tool:    Tool{Name: "kubevet", Version: "test"},
		Catalog: cat,
		Time:    time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Result: &engine.Result{
			Files: 4, Documents: 5, Objects: 4,
			Findings: []check.Finding{
				{Check: "privileged-container", Refs: []string{"SEC-11", "WIN-02"}, Severity: check.Error, Object: deploy, File: "deploy/web app.yaml", Line: 37, Column: 11, Path: "spec.template.spec.containers[0].securityContext.privileged", Message: "100% privileged; a|b <b>x</b> @admin, key: value\r\nsecond line ##vso[task.complete result=Failed]"},
				{Check: "image-tag", Refs: []string{"WL-12"}, Severity: check.Warning, Object: deploy, File: "deploy/web app.yaml", Line: 40, Column: 16, Path: "spec.template.spec.containers[0].image", Message: "image \"nginx\" has no tag"},
				{Check: "image-pull-policy", Severity: check.Info, Object: check.ObjectRef{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole", Name: "reader"}, File: "/abs/path/rbac.yaml", Line: 1, Column: 1, Path: "rules", Message: "advice"},
				{Check: "unknown-check", Severity: check.Error, File: "-", Line: 3, Column: 1, Message: "broken document"},
				{Check: "image-tag", Refs: []string{"WL-12"}, Severity: check.Warning, Object: check.ObjectRef{APIVersion: "v1", Kind: "Pod", Namespace: "default", Name: "live"}, NamespaceDefaulted: true, Path: "spec.containers[0].image", Message: "image \"x\" has no tag"},
			},
			Notes: []engine.Note{
				{File: "deploy/values.yaml", Line: 1, Level: engine.NoteInfo, Message: "not a Kubernetes object, skipped"},
				{File: "missing", Level: engine.NoteError, Message: "no such file; or directory"},
			},
		},
	}
}

func render(t *testing.T, f Format, r *Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := f(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// ValidateSARIF validates a SARIF log against the OASIS SARIF 2.1.0 schema
// in testdata.

func TestSARIF(t *testing.T) {
	r := sample()
	out := render(t, SARIF, r)
	sariftest.Validate(t, []byte(out))
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation *struct {
						ArtifactLocation struct{ URI, URIBaseID string }       `json:"artifactLocation"`
						Region           *struct{ StartLine, StartColumn int } `json:"region"`
					} `json:"physicalLocation"`
					LogicalLocations []struct{ FullyQualifiedName string } `json:"logicalLocations"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	rules := run.Tool.Driver.Rules
	if len(rules) != 4 || rules[0].ID != "privileged-container" || rules[3].ID != "unknown-check" || rules[0].HelpURI != DocsURL+"#privileged-container" {
		t.Errorf("rules: %+v", rules)
	}
	res := run.Results
	if len(res) != 5 {
		t.Fatalf("%d results", len(res))
	}
	for _, x := range res {
		if rules[x.RuleIndex].ID != x.RuleID {
			t.Errorf("result %s points to rule %d", x.RuleID, x.RuleIndex)
		}
	}
	p := res[0].Locations[0].PhysicalLocation
	if p.ArtifactLocation.URI != "deploy/web%20app.yaml" || p.ArtifactLocation.URIBaseID != "%SRCROOT%" || p.Region.StartLine != 37 || p.Region.StartColumn != 11 {
		t.Errorf("location: %+v %+v", p.ArtifactLocation, p.Region)
	}
	if got := res[0].Locations[0].LogicalLocations[0].FullyQualifiedName; got != "shop/Deployment/web" {
		t.Errorf("logical location %q", got)
	}
	if got := res[2].Locations[0].PhysicalLocation.ArtifactLocation; got.URI != "file:///abs/path/rbac.yaml" || got.URIBaseID != "" {
		t.Errorf("absolute path: %+v", got)
	}
	if res[3].Locations[0].PhysicalLocation != nil || res[4].Locations[0].PhysicalLocation != nil {
		t.Error("standard input or a live object got a file location")
	}
	if res[2].Level != "note" || res[1].Level != "warning" || res[0].Level != "error" {
		t.Error("levels")
	}
	// The fingerprint ignores lines and messages.
	moved := sample()
	moved.Result.Findings[0].Line += 10
	moved.Result.Findings[0].Message = "reworded"
	if err := json.Unmarshal([]byte(render(t, SARIF, moved)), &log); err != nil {
		t.Fatal(err)
	}
	if a, b := res[0].PartialFingerprints[FingerprintKey], log.Runs[0].Results[0].PartialFingerprints[FingerprintKey]; a == "" || a != b {
		t.Errorf("fingerprint changed with the line: %q %q", a, b)
	}
	if res[0].PartialFingerprints[FingerprintKey] == res[1].PartialFingerprints[FingerprintKey] {
		t.Error("two findings share a fingerprint")
	}

	empty := sample()
	empty.Result.Findings, empty.Result.Notes = nil, nil
	sariftest.Validate(t, []byte(render(t, SARIF, empty)))
}

func TestGitHubEscaping(t *testing.T) {
	if got, want := GitHubData("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d"; got != want {
		t.Errorf("data: %q, want %q", got, want)
	}
	if got, want := GitHubProperty("a%b:c,d\ne"), "a%25b%3Ac%2Cd%0Ae"; got != want {
		t.Errorf("property: %q, want %q", got, want)
	}
	out := render(t, GitHub, sample())
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 8 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	want := "::error file=deploy/web app.yaml,line=37,col=11,title=privileged-container::100%25 privileged; a|b <b>x</b> @admin, key: value%0D%0Asecond line ##vso[task.complete result=Failed] (shop/Deployment/web)%0A" + DocsURL + "#privileged-container"
	if lines[0] != want {
		t.Errorf("got  %s\nwant %s", lines[0], want)
	}
	for i, prefix := range []string{"::error ", "::warning ", "::notice file=/abs/path/rbac.yaml,", "::error file=-,line=3,col=1,title=unknown-check::", "::warning title=image-tag::", "::notice file=deploy/values.yaml,line=1,title=kubevet::", "::error file=missing,title=kubevet::no such file; or directory", "2 errors, 2 warnings, 1 info in 4 objects from 4 files"} {
		if !strings.HasPrefix(lines[i], prefix) {
			t.Errorf("line %d: %q does not start with %q", i, lines[i], prefix)
		}
	}
}

func TestAzureEscaping(t *testing.T) {
	if got, want := AzureData("100% a\r\nb; c]"), "100%AZP25 a%0D%0Ab; c]"; got != want {
		t.Errorf("data: %q, want %q", got, want)
	}
	if got, want := AzureProperty("a%b;c]d\ne"), "a%AZP25b%3Bc%5Dd%0Ae"; got != want {
		t.Errorf("property: %q, want %q", got, want)
	}
	r := sample()
	r.Result.Findings[0].File = "x;y].yaml"
	r.Baselined = 3
	out := render(t, Azure, r)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 8 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	want := "##vso[task.logissue type=error;sourcepath=x%3By%5D.yaml;linenumber=37;columnnumber=11;code=privileged-container]100%AZP25 privileged; a|b <b>x</b> @admin, key: value%0D%0Asecond line ##vso[task.complete result=Failed] (shop/Deployment/web)%0A" + DocsURL + "#privileged-container"
	if lines[0] != want {
		t.Errorf("got  %s\nwant %s", lines[0], want)
	}
	// Infos are plain lines, and text from the input cannot start a command.
	if lines[2] != "/abs/path/rbac.yaml:1:1  info  image-pull-policy  advice (ClusterRole/reader) "+DocsURL+"#image-pull-policy" {
		t.Errorf("info line: %q", lines[2])
	}
	if !strings.HasPrefix(lines[4], "##vso[task.logissue type=warning;code=image-tag]") {
		t.Errorf("line without a file: %q", lines[4])
	}
	if lines[5] != "deploy/values.yaml:1: info: not a Kubernetes object, skipped" || !strings.HasPrefix(lines[6], "##vso[task.logissue type=error;sourcepath=missing]") {
		t.Errorf("notes: %q %q", lines[5], lines[6])
	}
	if !strings.HasSuffix(lines[7], "; 3 findings suppressed by the baseline") {
		t.Errorf("summary: %q", lines[7])
	}
	if got := plainLine("a\nb ##vso[task.complete] ##[error]"); strings.Contains(got, "##vso[") || strings.Contains(got, "##[") || strings.Contains(got, "\n") {
		t.Errorf("plainLine: %q", got)
	}
}

func TestJUnit(t *testing.T) {
	out := render(t, JUnit, sample())
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure struct {
					Type    string `xml:"type,attr"`
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
			SystemOut string `xml:"system-out"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.Tests != 5 || doc.Failures != 5 || len(doc.Suites) != 6 {
		t.Fatalf("%d tests, %d failures, %d suites:\n%s", doc.Tests, doc.Failures, len(doc.Suites), out)
	}
	s := doc.Suites[0]
	if s.Name != "deploy/web app.yaml" || s.Tests != 2 || s.Cases[0].Failure.Type != "privileged-container" ||
		s.Cases[0].Name != "shop/Deployment/web privileged-container spec.template.spec.containers[0].securityContext.privileged" ||
		!strings.Contains(s.Cases[0].Failure.Message, "<b>x</b>") {
		t.Errorf("first suite: %+v", s)
	}
	if doc.Suites[4].Name != "deploy/values.yaml" || doc.Suites[4].Tests != 0 || !strings.Contains(doc.Suites[4].SystemOut, "skipped") {
		t.Errorf("notes suite: %+v", doc.Suites[4])
	}

	clean := sample()
	clean.Result.Findings, clean.Result.Notes = nil, nil
	if out := render(t, JUnit, clean); !strings.Contains(out, `tests="1" failures="0"`) || !strings.Contains(out, "no findings in 4 objects from 4 files") {
		t.Errorf("clean run:\n%s", out)
	}
}

func TestMarkdown(t *testing.T) {
	r := sample()
	r.Baselined = 1
	out := render(t, Markdown, r)
	for _, want := range []string{
		"| 2 | 2 | 1 | 4 | 4 |",
		"1 finding suppressed by the baseline.",
		"<summary><code>deploy/web app.yaml</code>: 1 error, 1 warning</summary>",
		"| 37:11 | error | [`privileged-container`](" + DocsURL + "#privileged-container) | 100% privileged; a\\|b &lt;b&gt;x&lt;/b&gt; &#64;admin, key: value<br>second line",
		"`shop/Deployment/web` |",
		"<summary><code>(cluster)</code>: 1 warning</summary>",
		"- `missing` error: no such file; or directory",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<b>") || strings.Contains(out, "@admin") {
		t.Errorf("markup from the input leaks:\n%s", out)
	}
}

func TestPolicyReport(t *testing.T) {
	out := render(t, PolicyReport, sample())
	type ref struct{ APIVersion, Kind, Namespace, Name string }
	type report struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct{ Name, Namespace string }
		Scope      *ref
		Summary    struct{ Pass, Fail, Warn, Error, Skip int }
		Results    []struct {
			Policy, Rule, Category, Severity, Result, Source, Message string
			Scored                                                    bool
			Timestamp                                                 struct{ Seconds, Nanos int64 }
			Resources                                                 []struct {
				APIVersion string `yaml:"apiVersion"`
				Kind       string `yaml:"kind"`
				Namespace  string `yaml:"namespace"`
				Name       string `yaml:"name"`
			}
			Properties map[string]string
		}
	}
	var docs []report
	dec := yaml.NewDecoder(strings.NewReader(out))
	for {
		var d report
		if err := dec.Decode(&d); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		docs = append(docs, d)
	}
	if len(docs) != 3 || docs[0].Kind != "ClusterPolicyReport" || docs[1].Kind != "PolicyReport" || docs[1].Metadata.Namespace != "default" || docs[2].Metadata.Namespace != "shop" {
		t.Fatalf("reports:\n%s", out)
	}
	for _, d := range docs {
		if d.APIVersion != "wgpolicyk8s.io/v1alpha2" {
			t.Errorf("apiVersion %q", d.APIVersion)
		}
		for _, x := range d.Results {
			if x.Severity != "high" && x.Severity != "medium" && x.Severity != "low" {
				t.Errorf("severity %q is not in the CRD's enum", x.Severity)
			}
			if x.Result != "fail" && x.Result != "warn" {
				t.Errorf("result %q", x.Result)
			}
			if x.Source != "kubevet" || x.Timestamp.Seconds != sample().Time.Unix() {
				t.Errorf("source %q, timestamp %v", x.Source, x.Timestamp)
			}
		}
	}
	shop := docs[2]
	if shop.Scope == nil || shop.Scope.Kind != "Namespace" || shop.Scope.Name != "shop" || shop.Summary.Fail != 1 || shop.Summary.Warn != 1 {
		t.Errorf("shop report: %+v", shop)
	}
	x := shop.Results[0]
	if x.Policy != "privileged-container" || x.Severity != "high" || x.Result != "fail" || !x.Scored || x.Category != "Cluster security & governance" ||
		x.Resources[0].Kind != "Deployment" || x.Resources[0].Name != "web" || x.Properties["line"] != "37" || x.Properties["path"] == "" {
		t.Errorf("result: %+v", x)
	}
	cluster := docs[0]
	if len(cluster.Results) != 2 || cluster.Results[0].Resources[0].Kind != "ClusterRole" || cluster.Results[1].Resources != nil || cluster.Summary.Warn != 1 || cluster.Summary.Fail != 1 {
		t.Errorf("cluster report: %+v", cluster)
	}

	clean := sample()
	clean.Result.Findings = nil
	if out := render(t, PolicyReport, clean); strings.Count(out, "kind:") != 1 || !strings.Contains(out, "kind: ClusterPolicyReport") {
		t.Errorf("clean run:\n%s", out)
	}
}

func TestTextBaselineSummary(t *testing.T) {
	r := sample()
	if out := render(t, Text, r); strings.Contains(out, "baseline") {
		t.Errorf("baseline mentioned without one:\n%s", out)
	}
	r.Baselined = 2
	if out := render(t, Text, r); !strings.Contains(out, "from 4 files; 2 findings suppressed by the baseline\n") {
		t.Errorf("summary:\n%s", out)
	}
}

func TestFormatsTable(t *testing.T) {
	for _, name := range []string{"text", "json", "sarif", "junit", "github", "azure", "markdown", "policyreport"} {
		if Formats[name] == nil {
			t.Errorf("format %s is not in the table", name)
		}
	}
}

// TestProfiles: a finding of a chart rendered with values profiles names
// them in every format people read, and as data in JSON and SARIF.
func TestProfiles(t *testing.T) {
	r := sample()
	r.Result.Findings = r.Result.Findings[1:2]
	r.Result.Findings[0].Profiles = []string{"prod", "dev"}
	for _, name := range []string{"text", "github", "azure", "junit", "markdown", "html", "policyreport"} {
		f, ok := Formats[name]
		if !ok {
			t.Fatalf("no format %s", name)
		}
		if out := render(t, f, r); !strings.Contains(out, "profiles: prod, dev") {
			t.Errorf("%s output does not name the profiles:\n%s", name, out)
		}
	}
	js := Formats["json"]
	var doc struct {
		Findings []struct {
			Profiles []string `json:"profiles"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(render(t, js, r)), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || strings.Join(doc.Findings[0].Profiles, ",") != "prod,dev" {
		t.Errorf("JSON findings: %+v", doc.Findings)
	}
	sf := Formats["sarif"]
	out := render(t, sf, r)
	if !strings.Contains(out, `"profiles": [`) && !strings.Contains(out, `"profiles":[`) {
		t.Errorf("SARIF result has no profiles property:\n%s", out)
	}
	sariftest.Validate(t, []byte(out))
}
