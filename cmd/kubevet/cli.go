package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/kubevet/kubevet/internal/baseline"
	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/config"
	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/report"
	"github.com/kubevet/kubevet/internal/schema"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

// usageError marks errors in how kubevet was called or configured.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// findingsError says the run found problems at or above --fail-on.
var errFindings = errors.New("findings at or above the failure threshold")

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// env is what a run talks to: standard streams and whether they are
// terminals.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	color          bool
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" {
		e.color = true
	}
	root := newRoot(e, filepath.Base(args[0]))
	root.SetArgs(args[1:])
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	default:
		fmt.Fprintf(stderr, "%s: %v\n", root.Name(), err)
		return exitUsage
	}
}

func newRoot(e *env, argv0 string) *cobra.Command {
	root := &cobra.Command{
		Use:           "kubevet",
		Short:         "Check Kubernetes manifests against the Kubernetes and AKS best-practice guides",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	if argv0 == "kubectl-vet" {
		// Run as a kubectl plugin: help says "kubectl vet check ...".
		root.Use = "vet"
		root.Annotations = map[string]string{cobra.CommandDisplayNameAnnotation: "kubectl vet"}
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newAKSCmd(e))
	root.AddCommand(newCheckCmd(e), newClusterCmd(e), newChecksCmd(e), newExplainCmd(e), newVersionCmd(e), newConfigCmd(e), newChecklistCmd(e), newPlanCmd(e))
	return root
}

type checkFlags struct {
	outputs    []string
	failOn     string
	configPath string
	version    string
	namespace  string
	profile    string
	asOf       string
	nsChecks   string
	noColor    bool
	// baseline drops the findings it records; baselineWrite records them.
	baseline, baselineWrite string
	// aks says how AKS configuration is read (aks_cmd.go).
	aks aksMode
	// objects, when set, gives the objects to check instead of the paths
	// (kubevet cluster, cluster_cmd.go).
	objects func(context.Context, engine.Options) (*engine.Result, error)
	// render says how charts and kustomizations are built (render_cmd.go);
	// nil where the command reads none.
	render *renderFlags
}

func newCheckCmd(e *env) *cobra.Command {
	f := checkFlags{render: &renderFlags{}}
	cmd := &cobra.Command{
		Use:   "check [PATH ...]",
		Short: "Check manifest files and folders (- reads standard input)",
		Long: `Check Kubernetes manifests: YAML and JSON files, folders (recursively: .yaml,
.yml, .json), and - for standard input. Every finding names the file, line and
column of the offending field.

Helm charts (a folder with Chart.yaml, or a packaged .tgz) are rendered and
Kustomize overlays (a folder with kustomization.yaml) are built in-process;
their findings point at the template or source file that produced the field.
A folder that a kustomization of the same run builds on is checked through it.
--mode forces one way of reading every path.

Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
2 for usage or configuration errors.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			return runCheck(cmd.Context(), e, f, args)
		},
	}
	addCheckFlags(cmd, &f)
	addRenderFlags(cmd, f.render)
	return cmd
}

// addCheckFlags registers the flags of a checking run (check, aks).
func addCheckFlags(cmd *cobra.Command, f *checkFlags) {
	fl := cmd.Flags()
	fl.StringVar(&f.asOf, "as-of", "", "check against this date (YYYY-MM-DD) instead of today: support calendars, exemption expiry; for reproducible runs")
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "output format: "+strings.Join(report.Names(), ", ")+" (FORMAT or FORMAT=FILE; repeatable)")
	fl.StringVar(&f.failOn, "fail-on", "", "lowest severity that fails the run: error, warning, info, none (default error)")
	fl.StringVar(&f.configPath, "config", "", "configuration file (default: "+config.FileName+" in the checked path's folder or a parent)")
	fl.StringVar(&f.version, "kubernetes-version", "", "target Kubernetes minor version, such as 1.34 (for API deprecations)")
	fl.StringVarP(&f.namespace, "namespace", "n", "", "namespace of objects that name none, as kubectl apply -n would give them (default \"default\")")
	fl.StringVar(&f.profile, "profile", "", "rule profile: production, regulated, dev (default production)")
	fl.StringVar(&f.nsChecks, "namespace-checks", "", "where namespace-level checks (quota, limit range, default-deny policy, Pod Security labels) run: declared (namespaces the input declares; default), all, none")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour the text output")
	fl.StringVar(&f.baseline, "baseline", "", "report and fail only on findings not recorded in this baseline file")
	fl.StringVar(&f.baselineWrite, "baseline-write", "", "record today's findings in this baseline file (and report none of them)")
}

// loadConfig finds and reads the configuration for a run over paths.
func loadConfig(path string, paths []string) (*config.Config, error) {
	if path == "" {
		start := "."
		if len(paths) > 0 && paths[0] != "-" {
			start = paths[0]
		}
		path = config.Find(start)
	}
	if path == "" {
		return &config.Config{Checks: map[string]config.CheckConfig{}}, nil
	}
	cfg, err := config.Load(path, catalog.All())
	if err != nil {
		return nil, usageError{err}
	}
	return cfg, nil
}

// outputTo is one -o FORMAT[=FILE]: a format of table F and the file it
// goes to ("" for standard output).
type outputTo[F any] struct {
	format F
	file   string
}

type output = outputTo[report.Format]

// parseOutputSpecs reads -o values against a table of formats. It returns
// how many go to standard output, of which there may be one; example shows
// how to send one to a file.
func parseOutputSpecs[F any](specs []string, table map[string]F, names []string, example string) ([]outputTo[F], int, error) {
	var out []outputTo[F]
	stdout := 0
	for _, s := range specs {
		name, file, _ := strings.Cut(s, "=")
		f, ok := table[name]
		if !ok {
			return nil, 0, usageError{fmt.Errorf("unknown output format %q (want one of %s)", name, strings.Join(names, ", "))}
		}
		if file == "" || file == "-" {
			stdout++
			file = ""
		}
		out = append(out, outputTo[F]{format: f, file: file})
	}
	if stdout > 1 {
		return nil, 0, usageError{fmt.Errorf("only one output format can go to standard output; write the others to files (%s)", example)}
	}
	return out, stdout, nil
}

// getenv reads the environment to recognise CI runners; tests replace it.
var getenv = os.Getenv

// now is the time of a run, for report timestamps; tests replace it.
var now = time.Now

// ciFormat names the annotation format of the CI runner kubevet runs on.
func ciFormat() string {
	switch {
	case getenv("GITHUB_ACTIONS") == "true":
		return "github"
	case strings.EqualFold(getenv("TF_BUILD"), "true"):
		return "azure"
	}
	return ""
}

func parseOutputs(specs []string) ([]output, error) {
	out, stdout, err := parseOutputSpecs(specs, report.Formats, report.Names(), "-o json=report.json")
	if err != nil {
		return nil, err
	}
	if stdout == 0 {
		// Standard output gets text, or on a CI runner its annotations.
		if name := ciFormat(); name != "" {
			out = append(out, output{format: report.Formats[name]})
		} else if len(specs) == 0 {
			out = append(out, output{format: report.Text})
		}
	}
	return out, nil
}

// applyBaseline writes the baseline (--baseline-write) and drops the
// findings it records (--baseline, or the baseline just written).
func applyBaseline(f checkFlags, fs []check.Finding) ([]check.Finding, int, error) {
	var b *baseline.Baseline
	switch {
	case f.baselineWrite != "":
		b = baseline.New(fs)
		if err := b.WriteFile(f.baselineWrite); err != nil {
			return nil, 0, usageError{fmt.Errorf("--baseline-write: %w", err)}
		}
	case f.baseline != "":
		var err error
		if b, err = baseline.ReadFile(f.baseline); err != nil {
			return nil, 0, usageError{fmt.Errorf("--baseline: %w", err)}
		}
	default:
		return fs, 0, nil
	}
	kept, n := b.Filter(fs)
	return kept, n, nil
}

func failThreshold(s string) (check.Severity, bool, error) {
	switch s {
	case "", "error":
		return check.Error, true, nil
	case "none":
		return 0, false, nil
	}
	sev, err := check.ParseSeverity(s)
	if err != nil {
		return 0, false, usageError{fmt.Errorf("--fail-on: %w", err)}
	}
	return sev, true, nil
}

func runCheck(ctx context.Context, e *env, f checkFlags, paths []string) error {
	cfg, err := loadConfig(f.configPath, paths)
	if err != nil {
		return err
	}
	if f.version != "" {
		v := strings.TrimPrefix(f.version, "v")
		if !config.ValidVersion(v) {
			return usageError{fmt.Errorf("--kubernetes-version %q is not a minor version like 1.34", f.version)}
		}
		cfg.KubernetesVersion = v
	}
	if f.namespace != "" {
		cfg.Namespace = f.namespace
	}
	if err := setOneOf(&cfg.Profile, "--profile", f.profile, config.Profiles); err != nil {
		return err
	}
	if err := setOneOf(&cfg.NamespaceChecks, "--namespace-checks", f.nsChecks, config.NamespaceCheckValues); err != nil {
		return err
	}
	failOn := f.failOn
	if failOn == "" {
		failOn = cfg.FailOn
	}
	threshold, failing, err := failThreshold(failOn)
	if err != nil {
		return err
	}
	outs, err := parseOutputs(f.outputs)
	if err != nil {
		return err
	}
	var asOf time.Time
	if f.asOf != "" {
		if asOf, err = time.Parse(time.DateOnly, f.asOf); err != nil {
			return usageError{fmt.Errorf("--as-of %q is not a date like 2026-08-05", f.asOf)}
		}
	}
	opt := engine.Options{Config: cfg, Checks: catalog.All(), Stdin: e.stdin, Handlers: f.aks.handlers(), Now: asOf}
	if _, note := schema.Select(targetVersion(cfg)); note != "" {
		fmt.Fprintln(e.stderr, note)
	}
	if f.render != nil {
		if opt.Renderers, opt.ForceRender, err = f.render.renderers(cfg); err != nil {
			return err
		}
	}
	var res *engine.Result
	// The guard stays on while the reports are written: the findings they
	// read are most of the heap then, and writing them makes garbage.
	defer guardHeap()()
	if f.objects != nil {
		res, err = f.objects(ctx, opt)
	} else {
		res, err = engine.Check(ctx, paths, opt)
	}
	if err != nil {
		return err
	}
	var baselined int
	if res.Findings, baselined, err = applyBaseline(f, res.Findings); err != nil {
		return err
	}
	rep := &report.Report{Tool: report.Tool{Name: "kubevet", Version: toolVersion()}, Result: res, Catalog: catalog.All(), Color: e.color && !f.noColor, Time: now(), Baselined: baselined}
	for _, o := range outs {
		if err := writeOutput(e, o, rep); err != nil {
			return err
		}
	}
	// A path that could not be read at all is a usage error, as for any
	// command-line tool; problems inside files are findings.
	for _, n := range res.Notes {
		if n.Level == engine.NoteError && isArg(n.File, paths) {
			return usageError{fmt.Errorf("%s: %s", n.File, n.Message)}
		}
	}
	if failing {
		for _, fd := range res.Findings {
			if fd.Severity >= threshold {
				return errFindings
			}
		}
	}
	return nil
}

// setOneOf sets *dst to the flag's value when it was given, after checking
// it is one of values.
func setOneOf(dst *string, flag, value string, values []string) error {
	if value == "" {
		return nil
	}
	for _, v := range values {
		if v == value {
			*dst = value
			return nil
		}
	}
	return usageError{fmt.Errorf("%s %q is not one of %s", flag, value, strings.Join(values, ", "))}
}

func isArg(file string, paths []string) bool {
	for _, p := range paths {
		if p == file {
			return true
		}
	}
	return false
}

func writeOutput(e *env, o output, rep *report.Report) error {
	if o.file == "" {
		return o.format(e.stdout, rep)
	}
	fh, err := os.Create(o.file)
	if err != nil {
		return usageError{fmt.Errorf("writing report: %w", err)}
	}
	r := *rep
	r.Color = false
	if err := o.format(fh, &r); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(e.stdout, "kubevet %s\n", toolVersion())
			return err
		},
	}
}
