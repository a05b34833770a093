// Package check defines what a kubevet check is: a fixed value with a stable
// ID, its documentation, the objects it targets and a Run function that
// reports findings on field paths. The engine turns paths into file, line and
// column.
package check

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Severity ranks findings. The zero value is Info.
type Severity int

// Severities, from the least to the most severe.
const (
	Info Severity = iota
	Warning
	Error
)

var severityNames = [...]string{"info", "warning", "error"}

func (s Severity) String() string {
	if s < Info || s > Error {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if s == n {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// MarshalText renders the severity name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// Target says which objects a check looks at.
type Target struct {
	// Desc describes the target for the documentation.
	Desc  string
	Match func(*manifest.Object) bool
}

// PodSpecs targets every object that carries a pod spec: Pods, workloads and
// custom kinds with spec.template.spec.containers.
var PodSpecs = Target{
	Desc:  "objects with a pod spec (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController, PodTemplate, and custom kinds with spec.template.spec.containers)",
	Match: func(o *manifest.Object) bool { return o.HasPodTemplate() },
}

// AllObjects targets every object.
var AllObjects = Target{Desc: "every object", Match: func(*manifest.Object) bool { return true }}

// Kinds targets objects of the given kinds, written Kind or Kind.group
// (Service, Ingress.networking.k8s.io).
func Kinds(kinds ...string) Target {
	type gk struct{ kind, group string }
	want := make([]gk, len(kinds))
	for i, k := range kinds {
		kind, group, _ := strings.Cut(k, ".")
		want[i] = gk{kind, group}
	}
	return Target{
		Desc: strings.Join(kinds, ", "),
		Match: func(o *manifest.Object) bool {
			// A few kinds: a scan, and the group only for the kind.
			for _, w := range want {
				if w.kind == o.Kind && w.group == o.Group() {
					return true
				}
			}
			return false
		},
	}
}

// OptionKind is the type of a check option.
type OptionKind int

// Option kinds.
const (
	StringList OptionKind = iota
	String
	Int
	Bool
)

func (k OptionKind) String() string {
	return [...]string{"list of strings", "string", "integer", "boolean"}[k]
}

// Option is a setting of one check, given in the configuration file under
// checks.<check-id>.
type Option struct {
	Name    string
	Kind    OptionKind
	Default any // []string, string, int or bool, matching Kind
	Doc     string
}

// Check is one rule of the catalog.
type Check struct {
	// ID is the stable kebab-case name used in config, annotations, output
	// and docs. It is a public interface: never rename it.
	ID string
	// Title is a one-line summary.
	Title    string
	Severity Severity
	// Refs lists the rule IDs of ../shared/spec/aks-rules.md the check serves.
	Refs []string
	// Why says why it matters, Fix how to fix it; Example is a YAML snippet
	// showing the fix.
	Why, Fix, Example string
	Target            Target
	Options           []Option
	// Disabled checks run only when the configuration enables them (they
	// need settings, such as the list of allowed registries).
	Disabled bool
	// Cross checks look across objects (pass.Graph): the engine runs them
	// after the whole input is read. They still report only on the object
	// they are given.
	Cross bool
	// Run inspects pass.Object and reports findings. Nil for checks the
	// engine reports itself (input diagnostics, exemptions).
	Run func(*Pass)
}

var idRe = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Validate checks the metadata of c once; the catalog tests call it.
func (c *Check) Validate() error {
	var errs []string
	if !idRe.MatchString(c.ID) || len(c.ID) > 48 {
		errs = append(errs, "ID must be kebab-case, at most 48 characters")
	}
	if c.Title == "" || strings.HasSuffix(c.Title, ".") {
		errs = append(errs, "title must be a phrase without a final period")
	}
	if c.Why == "" || c.Fix == "" {
		errs = append(errs, "why and fix must be written")
	}
	for _, r := range c.Refs {
		if !regexp.MustCompile(`^[A-Z]+-\d\d$`).MatchString(r) {
			errs = append(errs, fmt.Sprintf("ref %q is not a spec rule ID", r))
		}
	}
	if c.Target.Match == nil {
		errs = append(errs, "target is missing")
	}
	for _, o := range c.Options {
		if !optionDefaultOK(o) {
			errs = append(errs, fmt.Sprintf("option %s: default has the wrong type", o.Name))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("check %s: %s", c.ID, strings.Join(errs, "; "))
	}
	return nil
}

func optionDefaultOK(o Option) bool {
	switch o.Kind {
	case StringList:
		_, ok := o.Default.([]string)
		return ok || o.Default == nil
	case String:
		_, ok := o.Default.(string)
		return ok
	case Int:
		_, ok := o.Default.(int)
		return ok
	case Bool:
		_, ok := o.Default.(bool)
		return ok
	}
	return false
}

// Settings are the run-wide settings every check may read.
type Settings struct {
	// SystemNamespaces are namespaces of the platform, exempt from
	// application rules.
	SystemNamespaces []string
	// KubernetesVersion is the target minor version, such as "1.34".
	KubernetesVersion string
	// Profile is "production" (the default), "regulated" or "dev".
	Profile string
	// Now is the time exemptions expire against.
	Now time.Time
	// NamespaceChecks is "declared" (default), "all" or "none"; Namespaces
	// are covered whatever the input declares. See NamespaceInScope.
	NamespaceChecks string
	Namespaces      []string
}

// NamespaceInScope reports whether namespace-level checks (a quota, a limit
// range, a default-deny policy, Pod Security labels per namespace) run for
// ns. An application repository rarely holds its namespace's quota or
// policies, which the platform team owns: by default these checks run only
// for namespaces the input declares with a Namespace object (the input then
// claims the whole namespace) or that the configuration lists. System
// namespaces are never in scope.
func (s *Settings) NamespaceInScope(ns string, declared bool) bool {
	if ns == "" || s.IsSystemNamespace(ns) {
		return false
	}
	for _, n := range s.Namespaces {
		if n == ns {
			return true
		}
	}
	switch s.NamespaceChecks {
	case "all":
		return true
	case "none":
		return false
	}
	return declared
}

// DefaultSystemNamespaces are the spec's system namespaces.
var DefaultSystemNamespaces = []string{"kube-system", "kube-public", "kube-node-lease", "gatekeeper-system", "calico-system", "tigera-operator"}

// IsSystemNamespace reports whether ns is one of the system namespaces.
func (s *Settings) IsSystemNamespace(ns string) bool {
	for _, n := range s.SystemNamespaces {
		if n == ns {
			return true
		}
	}
	return false
}

// Options holds the option values of one check.
type Options map[string]any

// Strings returns a list option.
func (o Options) Strings(name string) []string { v, _ := o[name].([]string); return v }

// String returns a string option.
func (o Options) String(name string) string { v, _ := o[name].(string); return v }

// Int returns an integer option.
func (o Options) Int(name string) int { v, _ := o[name].(int); return v }

// Bool returns a boolean option.
func (o Options) Bool(name string) bool { v, _ := o[name].(bool); return v }

// DefaultOptions returns c's options at their defaults.
func (c *Check) DefaultOptions() Options {
	o := make(Options, len(c.Options))
	for _, opt := range c.Options {
		o[opt.Name] = opt.Default
	}
	return o
}

// ObjectRef names an object in findings.
type ObjectRef struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

// RefOf returns the reference of o.
func RefOf(o *manifest.Object) ObjectRef {
	ns := o.Namespace
	return ObjectRef{APIVersion: o.APIVersion, Kind: o.Kind, Namespace: ns, Name: o.Name}
}

func (r ObjectRef) String() string {
	s := r.Kind + "/" + r.Name
	if r.Namespace != "" {
		s = r.Namespace + "/" + s
	}
	return s
}

// Finding is one problem found.
type Finding struct {
	Check    string    `json:"check"`
	Refs     []string  `json:"refs"`
	Severity Severity  `json:"severity"`
	Object   ObjectRef `json:"object"`
	// NamespaceDefaulted is true when the object names no namespace and
	// Object.Namespace is the one kubectl apply would give it.
	NamespaceDefaulted bool   `json:"namespaceDefaulted,omitempty"`
	File               string `json:"file,omitempty"`
	Line               int    `json:"line,omitempty"`
	Column             int    `json:"column,omitempty"`
	Path               string `json:"path"`
	Message            string `json:"message"`
	// Profiles lists the values profiles of a Helm chart in whose
	// rendering the finding appears (empty when the run has no profiles).
	Profiles []string `json:"profiles,omitempty"`
}

// Pass is one run of one check on one object.
type Pass struct {
	Check    *Check
	Object   *manifest.Object
	Settings *Settings
	Options  Options
	// Graph indexes every object of the run; set for Cross checks only.
	Graph *graph.Graph

	findings []Finding
	runner   *Runner // nil outside a Runner
}

// Memo returns what compute returns for the pass's object and key,
// computed once for the checks a Runner runs one after another on the same
// object: checks that share one analysis (the validation checks) pay for
// it once. Outside a Runner, compute runs every time. key must be
// comparable; the value must not be modified.
func (p *Pass) Memo(key any, compute func() any) any {
	r := p.runner
	if r == nil {
		return compute()
	}
	if r.memo.obj == p.Object && r.memo.key == key {
		return r.memo.val
	}
	v := compute()
	r.memo.obj, r.memo.key, r.memo.val = p.Object, key, v
	return v
}

// Report records a finding on the field at path, at the check's severity.
func (p *Pass) Report(path manifest.Path, format string, args ...any) {
	p.ReportSeverity(p.Check.Severity, path, format, args...)
}

// ReportSeverity records a finding at severity sev (for checks whose
// findings vary in severity; configuration overrides still apply).
func (p *Pass) ReportSeverity(sev Severity, path manifest.Path, format string, args ...any) {
	var msg string
	switch {
	case len(args) == 1 && format == "%s":
		// A message built beforehand: kept as it is, not copied.
		if s, ok := args[0].(string); ok {
			msg = s
			break
		}
		msg = fmt.Sprintf(format, args...)
	case len(args) > 0 || strings.IndexByte(format, '%') >= 0:
		var ok bool
		if msg, ok = sprintf(format, args); !ok {
			msg = fmt.Sprintf(format, args...)
		}
	default:
		msg = format
	}
	p.findings = append(p.findings, NewFinding(p.Check, sev, p.Object, path, msg))
}

// sprintf is fmt.Sprintf for the formats messages use most: %s and %q of
// strings, %d of ints, and nothing else (no flags, widths or other verbs,
// no argument of another type), at a fraction of its cost. It returns
// false for anything else, which fmt.Sprintf then formats.
func sprintf(format string, args []any) (string, bool) {
	var buf [256]byte
	b := buf[:0]
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i++; i == len(format) || next == len(args) {
			return "", false
		}
		switch a := args[next]; format[i] {
		case 's':
			s, ok := a.(string)
			if !ok {
				return "", false
			}
			b = append(b, s...)
		case 'q':
			s, ok := a.(string)
			if !ok {
				return "", false
			}
			b = strconv.AppendQuote(b, s)
		case 'd':
			n, ok := a.(int)
			if !ok {
				return "", false
			}
			b = strconv.AppendInt(b, int64(n), 10)
		default:
			return "", false
		}
		next++
	}
	if next != len(args) {
		return "", false
	}
	return string(b), true
}

// NewFinding builds a finding of check c on the field at path of o.
func NewFinding(c *Check, sev Severity, o *manifest.Object, path manifest.Path, msg string) Finding {
	pos, _ := o.Locate(path)
	return Finding{
		Check:              c.ID,
		Refs:               c.Refs,
		Severity:           sev,
		Object:             RefOf(o),
		NamespaceDefaulted: o.NamespaceDefaulted,
		File:               o.File,
		Line:               pos.Line,
		Column:             pos.Column,
		Path:               path.Interned(),
		Message:            msg,
	}
}

// Run runs c on o and returns its findings.
func Run(c *Check, o *manifest.Object, s *Settings, opts Options) []Finding {
	return RunGraph(c, o, s, opts, nil)
}

// RunGraph runs c on o with g, the graph of the whole input that Cross
// checks need.
func RunGraph(c *Check, o *manifest.Object, s *Settings, opts Options, g *graph.Graph) []Finding {
	if c.Run == nil || !c.Target.Match(o) {
		return nil
	}
	if opts == nil {
		opts = c.DefaultOptions()
	}
	p := Pass{Check: c, Object: o, Settings: s, Options: opts, Graph: g}
	c.Run(&p)
	return p.findings
}

// Runner runs checks reusing one Pass, so that running every check on every
// object allocates nothing for the bookkeeping. A Runner is for one
// goroutine at a time.
type Runner struct {
	pass Pass
	buf  []Finding
	// memo is the value of Pass.Memo for one object and key. It holds
	// the object, whose address therefore cannot be reused.
	memo struct {
		obj      *manifest.Object
		key, val any
	}
}

// Buffer is a slice of findings that stays with the runner, for its
// caller to gather the findings of many objects in and copy them out
// before it asks again: the memory is reused instead of grown anew for
// every batch. The caller stores the grown slice back through the pointer.
func (r *Runner) Buffer() *[]Finding { return &r.buf }

// Run runs c on o and appends its findings to into.
func (r *Runner) Run(c *Check, o *manifest.Object, s *Settings, opts Options, g *graph.Graph, into []Finding) []Finding {
	if c.Run == nil || !c.Target.Match(o) {
		return into
	}
	p := &r.pass
	*p = Pass{Check: c, Object: o, Settings: s, Options: opts, Graph: g, findings: into, runner: r}
	c.Run(p)
	into = p.findings
	*p = Pass{}
	return into
}

// Less orders findings by file, line, column, check and message: the order
// every report shows them in.
func Less(a, b *Finding) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Column != b.Column {
		return a.Column < b.Column
	}
	if a.Check != b.Check {
		return a.Check < b.Check
	}
	return a.Message < b.Message
}

// MarshalJSON keeps refs an array even when empty.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	if f.Refs == nil {
		f.Refs = []string{}
	}
	return json.Marshal(plain(f))
}
