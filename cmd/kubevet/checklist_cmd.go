package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/checklist"
	"github.com/kubevet/kubevet/internal/cluster"
	"github.com/kubevet/kubevet/internal/config"
	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/rules"
)

// checklistHandlers are the input handlers the checklist runs with: the AKS
// configuration readers of kubevet check, so that the items of the aks-
// checks count as automated when such a file is given.
var checklistHandlers = aksMode{}.handlers

type checklistFlags struct {
	outputs      []string
	configPath   string
	attestations string
	date         string
	profile      string
	// cluster checks a live cluster instead of paths.
	cluster bool
	access  cluster.Access
}

func newChecklistCmd(e *env) *cobra.Command {
	var f checklistFlags
	cmd := &cobra.Command{
		Use:   "checklist [PATH ...]",
		Short: "Every item of the five guides with its state on this input, attestations and coverage",
		Long: `List every item of the guides kubevet serves (the rule map of the AKS
checklist), grouped by section, with its state on the checked input:
automated and passing, automated and failing (with its findings), not
applicable (it needs data the input does not have, such as AKS
configuration), or manual (a process item, or one this input cannot show).
Manual and not-applicable items are attested by people in
` + checklist.FileName + `, found in the checked path's folder or a parent
(or --attestations). See docs/checklist.md.

Exit status: 0 when the checklist was written, 2 for usage errors and for
errors in the configuration or attestation file.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.cluster && len(args) > 0 {
				return usageError{errors.New("--cluster reads the cluster, not paths: give one or the other")}
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			return runChecklist(cmd, e, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "output format: "+strings.Join(checklist.FormatNames(), ", ")+" (FORMAT or FORMAT=FILE; repeatable)")
	fl.StringVar(&f.configPath, "config", "", "configuration file (default: .kubevet.yaml in the checked path's folder or a parent)")
	fl.StringVar(&f.attestations, "attestations", "", "attestation file (default: "+checklist.FileName+" in the checked path's folder or a parent)")
	fl.StringVar(&f.date, "date", "", "day attestations and exemptions expire against, YYYY-MM-DD (default today)")
	fl.StringVar(&f.profile, "profile", "", "rule profile: production, regulated, dev (default production)")
	fl.BoolVar(&f.cluster, "cluster", false, "the checklist of a live cluster (read-only, as kubevet cluster) instead of paths")
	fl.StringVar(&f.access.Kubeconfig, "kubeconfig", "", "with --cluster: kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)")
	fl.StringVar(&f.access.Context, "context", "", "with --cluster: kubeconfig context (default: the current context)")
	return cmd
}

func runChecklist(cmd *cobra.Command, e *env, f checklistFlags, paths []string) error {
	cfg, err := loadConfig(f.configPath, paths)
	if err != nil {
		return err
	}
	if cfg.NamespaceChecks == "" {
		// The checklist asks whether every namespace the input uses meets
		// the namespace-level items (quota, default-deny policies), so
		// their checks cover every namespace unless the configuration
		// says otherwise; kubevet check covers declared ones by default.
		cfg.NamespaceChecks = "all"
	}
	if err := setOneOf(&cfg.Profile, "--profile", f.profile, config.Profiles); err != nil {
		return err
	}
	day := time.Now().UTC()
	if f.date != "" {
		day, err = time.Parse(time.DateOnly, f.date)
		if err != nil {
			return usageError{fmt.Errorf("--date %q is not a date like 2026-11-23", f.date)}
		}
	}
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	specs := f.outputs
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	outs, _, err := parseOutputSpecs(specs, checklist.Formats, checklist.FormatNames(), "-o html=checklist.html")
	if err != nil {
		return err
	}

	attPath := f.attestations
	if attPath == "" {
		start := "."
		if paths[0] != "-" {
			start = paths[0]
		}
		attPath = checklist.Find(start)
		if wd, err := os.Getwd(); err == nil && attPath != "" {
			if rel, err := filepath.Rel(wd, attPath); err == nil {
				attPath = rel
			}
		}
	}
	var atts []checklist.Attestation
	if attPath != "" {
		atts, err = checklist.LoadAttestations(attPath, func(id string) bool { _, ok := rules.ByID(id); return ok })
		if err != nil {
			return usageError{err}
		}
	}

	checks, counter := checklist.Instrument(catalog.All())
	opt := engine.Options{
		Config: cfg, Checks: checks, Stdin: e.stdin, Now: day,
		Handlers: counter.Handlers(checklistHandlers()),
	}
	var res *engine.Result
	if f.cluster {
		res, err = checkCluster(cmd.Context(), f.access, cluster.Options{}, "", opt)
		paths = []string{"cluster"}
	} else {
		// Charts and kustomizations render as kubevet check renders them
		// by default (auto mode, the charts' own values).
		if opt.Renderers, _, err = (renderFlags{}).renderers(cfg); err != nil {
			return err
		}
		res, err = engine.Check(cmd.Context(), paths, opt)
	}
	if err != nil {
		return err
	}
	for _, n := range res.Notes {
		if n.Level == engine.NoteError && isArg(n.File, paths) {
			return usageError{fmt.Errorf("%s: %s", n.File, n.Message)}
		}
	}
	m := checklist.Build(checklist.Input{
		Catalog: catalog.All(), Rules: rules.All(), Result: res,
		Ran: counter.Ran(), HandledFiles: counter.HandledFiles(), Enabled: cfg.Enabled,
		Attestations: atts, AttestationsFile: attPath, Paths: paths, Date: day,
		LiveCluster: f.cluster,
	})
	for _, o := range outs {
		if o.file == "" {
			if err := o.format(e.stdout, m); err != nil {
				return err
			}
			continue
		}
		fh, err := os.Create(o.file)
		if err != nil {
			return usageError{fmt.Errorf("writing checklist: %w", err)}
		}
		if err := o.format(fh, m); err != nil {
			fh.Close()
			return err
		}
		if err := fh.Close(); err != nil {
			return err
		}
	}
	return nil
}
