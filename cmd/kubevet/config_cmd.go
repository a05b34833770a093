package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/config"
)

func newConfigCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Work with the configuration file"}
	var force bool
	var path string
	initCmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented default " + config.FileName,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			text := defaultConfig(catalog.All())
			if path == "-" {
				_, err := fmt.Fprint(e.stdout, text)
				return err
			}
			flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(path, flag, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return usageError{fmt.Errorf("%s exists; use --force to overwrite it", path)}
			}
			if err != nil {
				return usageError{err}
			}
			if _, err := f.WriteString(text); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			_, err = fmt.Fprintf(e.stderr, "wrote %s\n", path)
			return err
		},
	}
	initCmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	initCmd.Flags().StringVar(&path, "file", config.FileName, "where to write (- for standard output)")
	cmd.AddCommand(initCmd)
	return cmd
}

// defaultConfig renders a commented configuration that states every
// default, so that it parses to the same behaviour as no file at all.
func defaultConfig(checks []*check.Check) string {
	var b strings.Builder
	b.WriteString(`# kubevet configuration. kubevet reads the first .kubevet.yaml found in the
# checked path's folder or one of its parents; --config names another.
# Unknown keys and values of the wrong type are errors.

# Target Kubernetes minor version, for deprecated and removed APIs.
# kubernetesVersion: "1.35"

# Namespace given to objects that name none (what kubectl apply -n does).
# namespace: default

# production, regulated or dev: turns conditional rules on or off.
# profile: production

# Lowest severity that fails the run: error, warning, info or none.
# failOn: error

# Namespaces of the platform, exempt from application rules.
# systemNamespaces: [` + strings.Join(check.DefaultSystemNamespaces, ", ") + `]

# Where namespace-level checks (ResourceQuota, LimitRange, default-deny
# NetworkPolicy, Pod Security labels) run: declared (namespaces the input
# declares with a Namespace object), all (every namespace it uses) or none.
# namespaceChecks: declared
# Namespaces covered by them even when the input does not declare them.
# namespaces: []

# How paths are read: auto (per folder: a Helm chart, a kustomization or
# plain manifests), manifests, helm or kustomize. --mode overrides it.
# mode: auto

# How Helm charts render (file names relative to this file). -f and --set
# add to these; --release-name and --values-profile replace them.
# helm:
#   values: [values.yaml]
#   set: ["image.tag=1.2.3"]
#   setString: []
#   releaseName: release-name
#   profiles:
#     prod: [values-prod.yaml]
#     dev: [values-dev.yaml]

# Paths not to read (globs; "dir/**" skips a folder).
# exclude:
#   - "vendor/**"

# Per-check settings: enabled, severity (error, warning, info) and options.
# Silence one object with the annotation
#   exempt.kubevet.io/<check-id>: "<reason>; expires=YYYY-MM-DD"
checks:
`)
	for _, c := range checks {
		if c.Run == nil && len(c.Options) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  # %s (%s): %s\n", c.ID, c.Severity, c.Title)
		if c.Disabled || len(c.Options) > 0 {
			fmt.Fprintf(&b, "  %s:\n", c.ID)
			fmt.Fprintf(&b, "    enabled: %v\n", !c.Disabled)
			for _, o := range c.Options {
				fmt.Fprintf(&b, "    # %s\n", o.Doc)
				fmt.Fprintf(&b, "    %s: %s\n", o.Name, yamlValue(o.Default))
			}
		}
	}
	return b.String()
}

func yamlValue(v any) string {
	switch x := v.(type) {
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = fmt.Sprintf("%q", s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case string:
		return fmt.Sprintf("%q", x)
	case nil:
		return "[]"
	}
	return fmt.Sprint(v)
}
