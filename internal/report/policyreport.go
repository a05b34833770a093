package report

import (
	"bufio"
	"bytes"
	"io"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/check"
)

// PolicyReport renders the result as wgpolicyk8s.io/v1alpha2 PolicyReport
// and ClusterPolicyReport objects (multi-document YAML) for Policy Reporter
// and other readers of the Policy WG's reports. Field names follow the CRDs
// of kubernetes-sigs/wg-policy-prototypes (policy-report/crd/v1alpha2/
// wgpolicyk8s.io_clusterpolicyreports.yaml and api/v1alpha2/
// policyreport_types.go): results[] with policy, rule, category, severity
// (enum high, medium, low), result (enum pass, fail, warn, error, skip),
// scored, source, message, timestamp {seconds, nanos}, resources[] (object
// references) and properties (strings); summary {pass, fail, warn, error,
// skip}; scope (an object reference).
//
// One PolicyReport per namespace holds the results of that namespace's
// objects (scope: the Namespace); one ClusterPolicyReport holds those of
// cluster-scoped objects and of documents that are not objects. Severity
// maps error to high, warning to medium and info to low (the v1alpha2 enum
// has no info). Result: error findings "fail" (scored), warnings and infos
// "warn" (not scored), matching the default --fail-on error. Every result
// has the report's time, so that the same input gives the same report.

const (
	policyReportAPIVersion = "wgpolicyk8s.io/v1alpha2"
	policyReportName       = "kubevet"
)

// polReport is a report without its results, which are written after it
// one at a time (polResults).
type polReport struct {
	APIVersion string     `yaml:"apiVersion"`
	Kind       string     `yaml:"kind"`
	Metadata   polMeta    `yaml:"metadata"`
	Scope      *polRef    `yaml:"scope,omitempty"`
	Summary    polSummary `yaml:"summary"`
}

type polMeta struct {
	Name      string            `yaml:"name"`
	Namespace string            `yaml:"namespace,omitempty"`
	Labels    map[string]string `yaml:"labels"`
}

type polRef struct {
	APIVersion string `yaml:"apiVersion,omitempty"`
	Kind       string `yaml:"kind"`
	Namespace  string `yaml:"namespace,omitempty"`
	Name       string `yaml:"name"`
}

type polSummary struct {
	Pass  int `yaml:"pass"`
	Fail  int `yaml:"fail"`
	Warn  int `yaml:"warn"`
	Error int `yaml:"error"`
	Skip  int `yaml:"skip"`
}

type polResult struct {
	Policy     string            `yaml:"policy"`
	Rule       string            `yaml:"rule"`
	Category   string            `yaml:"category,omitempty"`
	Severity   string            `yaml:"severity"`
	Result     string            `yaml:"result"`
	Scored     bool              `yaml:"scored"`
	Source     string            `yaml:"source"`
	Message    string            `yaml:"message"`
	Timestamp  polTime           `yaml:"timestamp"`
	Resources  []polRef          `yaml:"resources,omitempty"`
	Properties map[string]string `yaml:"properties,omitempty"`
}

type polTime struct {
	Seconds int64 `yaml:"seconds"`
	Nanos   int32 `yaml:"nanos"`
}

// PolicySeverity maps a severity to the PolicyReport severity.
func PolicySeverity(s check.Severity) string {
	switch s {
	case check.Error:
		return "high"
	case check.Warning:
		return "medium"
	}
	return "low"
}

// PolicyResult maps a severity to the PolicyReport result.
func PolicyResult(s check.Severity) string {
	if s == check.Error {
		return "fail"
	}
	return "warn"
}

// polResultOf is the PolicyReport result of a finding.
func polResultOf(f *check.Finding, tool string, ts polTime, section map[string]string) polResult {
	res := polResult{
		Policy: f.Check, Rule: f.Check, Severity: PolicySeverity(f.Severity), Result: PolicyResult(f.Severity),
		Scored: f.Severity == check.Error, Source: tool, Message: MessageOf(*f), Timestamp: ts,
	}
	if len(f.Refs) > 0 {
		res.Category = section[f.Refs[0]]
	}
	if f.Object.Kind != "" {
		res.Resources = []polRef{{APIVersion: f.Object.APIVersion, Kind: f.Object.Kind, Namespace: f.Object.Namespace, Name: f.Object.Name}}
	}
	props := map[string]string{}
	set := func(k, v string) {
		if v != "" && v != "0" {
			props[k] = v
		}
	}
	set("file", slashPath(f.File))
	set("line", strconv.Itoa(f.Line))
	set("column", strconv.Itoa(f.Column))
	set("path", f.Path)
	set("refs", strings.Join(f.Refs, ","))
	if len(props) > 0 {
		res.Properties = props
	}
	return res
}

// polReportOf is the empty report of a namespace ("" for the cluster).
func polReportOf(ns string, labels map[string]string) *polReport {
	p := &polReport{APIVersion: policyReportAPIVersion, Kind: "ClusterPolicyReport", Metadata: polMeta{Name: policyReportName, Labels: labels}}
	if ns != "" {
		p.Kind = "PolicyReport"
		p.Metadata.Namespace = ns
		p.Scope = &polRef{APIVersion: "v1", Kind: "Namespace", Name: ns}
	}
	return p
}

// polResults holds one result under the key results, so that it is
// encoded at the depth it has in its report.
type polResults struct {
	Results []polResult `yaml:"results"`
}

// yamlPiece encodes v as the YAML encoder of the whole report does (indent
// 2, one document).
func yamlPiece(buf *bytes.Buffer, v any) error {
	buf.Reset()
	enc := yaml.NewEncoder(buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return enc.Close()
}

// PolicyReport renders the result as PolicyReport and ClusterPolicyReport
// objects. A first pass over the findings counts each namespace's results
// for its summary; the second writes each report's results one at a time
// (the findings of a namespace in their order), so that no report is held
// whole in memory.
func PolicyReport(w io.Writer, r *Report) error {
	section := sections()
	var ts polTime
	if !r.Time.IsZero() {
		ts = polTime{Seconds: r.Time.Unix(), Nanos: int32(r.Time.Nanosecond())}
	}
	labels := map[string]string{"app.kubernetes.io/managed-by": r.Tool.Name}
	fs := r.Result.Findings
	reports := map[string]*polReport{} // by namespace; "" for the cluster
	for i := range fs {
		ns := fs[i].Object.Namespace
		p := reports[ns]
		if p == nil {
			p = polReportOf(ns, labels)
			reports[ns] = p
		}
		if PolicyResult(fs[i].Severity) == "fail" {
			p.Summary.Fail++
		} else {
			p.Summary.Warn++
		}
	}
	if len(reports) == 0 {
		reports[""] = polReportOf("", labels)
	}
	keys := make([]string, 0, len(reports))
	for ns := range reports {
		keys = append(keys, ns)
	}
	sort.Strings(keys) // the cluster's report ("") first, then namespaces
	rank := make(map[string]int, len(keys))
	for k, ns := range keys {
		rank[ns] = k
	}
	order, start := byGroup(len(fs), len(keys), func(i int) int { return rank[fs[i].Object.Namespace] })
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	for k, ns := range keys {
		p := reports[ns]
		if k > 0 {
			bw.WriteString("---\n")
		}
		if err := yamlPiece(&buf, p); err != nil {
			return err
		}
		bw.Write(buf.Bytes())
		if start[k] == start[k+1] {
			bw.WriteString("results: []\n")
			continue
		}
		bw.WriteString("results:\n")
		for _, i := range order[start[k]:start[k+1]] {
			res := polResultOf(&fs[i], r.Tool.Name, ts, section)
			if err := yamlPiece(&buf, polResults{[]polResult{res}}); err != nil {
				return err
			}
			bw.Write(bytes.TrimPrefix(buf.Bytes(), []byte("results:\n")))
		}
	}
	return bw.Flush()
}
