package report

import (
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

type polReport struct {
	APIVersion string      `yaml:"apiVersion"`
	Kind       string      `yaml:"kind"`
	Metadata   polMeta     `yaml:"metadata"`
	Scope      *polRef     `yaml:"scope,omitempty"`
	Summary    polSummary  `yaml:"summary"`
	Results    []polResult `yaml:"results"`
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

// PolicyReport renders the result as PolicyReport and ClusterPolicyReport
// objects.
func PolicyReport(w io.Writer, r *Report) error {
	section := sections()
	var ts polTime
	if !r.Time.IsZero() {
		ts = polTime{Seconds: r.Time.Unix(), Nanos: int32(r.Time.Nanosecond())}
	}
	labels := map[string]string{"app.kubernetes.io/managed-by": r.Tool.Name}
	reports := map[string]*polReport{} // by namespace; "" for the cluster
	get := func(ns string) *polReport {
		if p, ok := reports[ns]; ok {
			return p
		}
		p := &polReport{APIVersion: policyReportAPIVersion, Kind: "ClusterPolicyReport", Metadata: polMeta{Name: policyReportName, Labels: labels}}
		if ns != "" {
			p.Kind = "PolicyReport"
			p.Metadata.Namespace = ns
			p.Scope = &polRef{APIVersion: "v1", Kind: "Namespace", Name: ns}
		}
		reports[ns] = p
		return p
	}
	for _, f := range r.Result.Findings {
		p := get(f.Object.Namespace)
		res := polResult{
			Policy: f.Check, Rule: f.Check, Severity: PolicySeverity(f.Severity), Result: PolicyResult(f.Severity),
			Scored: f.Severity == check.Error, Source: r.Tool.Name, Message: MessageOf(f), Timestamp: ts,
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
		p.Results = append(p.Results, res)
		if res.Result == "fail" {
			p.Summary.Fail++
		} else {
			p.Summary.Warn++
		}
	}
	if len(reports) == 0 {
		get("")
	}
	keys := make([]string, 0, len(reports))
	for ns := range reports {
		keys = append(keys, ns)
	}
	sort.Strings(keys) // the cluster's report ("") first, then namespaces
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	for _, ns := range keys {
		p := reports[ns]
		if p.Results == nil {
			p.Results = []polResult{}
		}
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	return enc.Close()
}
