package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/rules"
)

// checkInfo is the JSON form of a catalog entry.
type checkInfo struct {
	ID       string         `json:"id"`
	Title    string         `json:"title"`
	Severity check.Severity `json:"severity"`
	Refs     []string       `json:"refs"`
	Enabled  bool           `json:"enabledByDefault"`
	Targets  string         `json:"targets"`
	Why      string         `json:"why"`
	Fix      string         `json:"fix"`
	Example  string         `json:"example,omitempty"`
	Options  []optionInfo   `json:"options,omitempty"`
}

type optionInfo struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Default any    `json:"default"`
	Doc     string `json:"doc"`
}

func infoOf(c *check.Check) checkInfo {
	ci := checkInfo{ID: c.ID, Title: c.Title, Severity: c.Severity, Refs: c.Refs, Enabled: !c.Disabled, Targets: c.Target.Desc, Why: c.Why, Fix: c.Fix, Example: c.Example}
	if ci.Refs == nil {
		ci.Refs = []string{}
	}
	for _, o := range c.Options {
		ci.Options = append(ci.Options, optionInfo{Name: o.Name, Type: o.Kind.String(), Default: o.Default, Doc: o.Doc})
	}
	return ci
}

func newChecksCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "checks",
		Short: "List the catalog of checks",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			all := catalog.All()
			switch format {
			case "json":
				infos := make([]checkInfo, 0, len(all))
				for _, c := range all {
					infos = append(infos, infoOf(c))
				}
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(infos)
			case "text", "":
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSEVERITY\tREFS\tTITLE")
				for _, c := range all {
					title := c.Title
					if c.Disabled {
						title += " (off until configured)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Severity, strings.Join(c.Refs, ","), title)
				}
				return tw.Flush()
			}
			return usageError{fmt.Errorf("unknown format %q (want text or json)", format)}
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", "text", "output format: text or json")
	return cmd
}

func newExplainCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "explain CHECK-ID",
		Short: "Explain a check: why it matters, how to fix it, the guide items it serves",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, ok := catalog.ByID(args[0])
			if !ok {
				return usageError{fmt.Errorf("no check %q (kubevet checks lists them)", args[0])}
			}
			_, err := fmt.Fprint(e.stdout, explain(c))
			return err
		},
	}
}

// explain renders a check's documentation for the terminal.
func explain(c *check.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", c.ID, c.Title)
	fmt.Fprintf(&b, "Severity: %s", c.Severity)
	if c.Disabled {
		b.WriteString(" (off until enabled in the configuration)")
	}
	fmt.Fprintf(&b, "\nApplies to: %s\n\n", c.Target.Desc)
	fmt.Fprintf(&b, "Why it matters\n  %s\n\n", wrap(c.Why, 76, "  "))
	fmt.Fprintf(&b, "How to fix\n  %s\n", wrap(c.Fix, 76, "  "))
	if c.Example != "" {
		b.WriteString("\nExample\n")
		for _, l := range strings.Split(c.Example, "\n") {
			b.WriteString("    " + l + "\n")
		}
	}
	if len(c.Options) > 0 {
		b.WriteString("\nOptions (in .kubevet.yaml under checks." + c.ID + ")\n")
		for _, o := range c.Options {
			fmt.Fprintf(&b, "  %s (%s, default %v): %s\n", o.Name, o.Kind, o.Default, o.Doc)
		}
	}
	if len(c.Refs) > 0 {
		b.WriteString("\nGuide items it serves\n")
		for _, id := range c.Refs {
			r, ok := rules.ByID(id)
			if !ok {
				fmt.Fprintf(&b, "  %s\n", id)
				continue
			}
			fmt.Fprintf(&b, "  %s %s (%s)\n      seeds: %s\n", r.ID, r.Item, r.Section, wrap(r.Seeds, 70, "      "))
		}
	}
	fmt.Fprintf(&b, "\nSilence it on one object with the annotation\n  exempt.kubevet.io/%s: \"<reason>; expires=YYYY-MM-DD\"\n", c.ID)
	return b.String()
}

// wrap folds text at width, indenting continuation lines.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		if i > 0 {
			if n+1+len(w) > width {
				b.WriteString("\n" + indent)
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
