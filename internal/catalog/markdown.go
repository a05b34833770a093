package catalog

import (
	"fmt"
	"strings"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/rules"
)

// Markdown renders the catalog as docs/checks.md.
func Markdown() string {
	var b strings.Builder
	b.WriteString("# kubevet checks\n\n")
	b.WriteString("Generated from the catalog by `go test ./internal/catalog -update`; a test fails when it is stale.\n")
	b.WriteString("Check IDs are stable: they are used in configuration, exemption annotations, output and SARIF rule IDs.\n")
	b.WriteString("Refs are the rule IDs of the AKS rule map (`shared/spec/aks-rules.md`), which ties every rule to the items of the five guides.\n\n")
	b.WriteString("| ID | Severity | Refs | Title |\n|---|---|---|---|\n")
	for _, d := range Domains {
		for _, c := range d.Checks {
			title := c.Title
			if c.Disabled {
				title += " (off until configured)"
			}
			fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s |\n", c.ID, c.ID, c.Severity, strings.Join(c.Refs, ", "), title)
		}
	}
	for _, d := range Domains {
		fmt.Fprintf(&b, "\n## %s\n", d.Name)
		for _, c := range d.Checks {
			writeCheck(&b, c)
		}
	}
	return b.String()
}

func writeCheck(b *strings.Builder, c *check.Check) {
	fmt.Fprintf(b, "\n### %s\n\n", c.ID)
	fmt.Fprintf(b, "**%s.** Severity: %s", c.Title, c.Severity)
	if c.Disabled {
		b.WriteString(" (off until enabled in `.kubevet.yaml`)")
	}
	fmt.Fprintf(b, ". Applies to: %s.\n\n", c.Target.Desc)
	fmt.Fprintf(b, "*Why it matters.* %s\n\n", c.Why)
	fmt.Fprintf(b, "*How to fix.* %s\n", c.Fix)
	if c.Example != "" {
		fmt.Fprintf(b, "\n```yaml\n%s\n```\n", strings.TrimRight(c.Example, "\n"))
	}
	if len(c.Options) > 0 {
		b.WriteString("\nOptions (`checks." + c.ID + ".<option>` in `.kubevet.yaml`):\n\n")
		for _, o := range c.Options {
			fmt.Fprintf(b, "- `%s` (%s, default `%v`): %s\n", o.Name, o.Kind, defaultText(o.Default), o.Doc)
		}
	}
	if len(c.Refs) > 0 {
		b.WriteString("\nGuide items:\n\n")
		for _, id := range c.Refs {
			if r, ok := rules.ByID(id); ok {
				fmt.Fprintf(b, "- %s %s (%s). Seeds: %s\n", r.ID, r.Item, r.Section, r.Seeds)
			}
		}
	}
}

func defaultText(v any) string {
	switch x := v.(type) {
	case nil:
		return "[]"
	case []string:
		return "[" + strings.Join(x, ", ") + "]"
	}
	return fmt.Sprint(v)
}
