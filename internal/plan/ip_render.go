package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// IPFormats are the output formats of an IP plan, by -o name.
var IPFormats = map[string]func(io.Writer, *IPPlan) error{
	"text": WriteIPText,
	"json": WriteIPJSON,
}

// WriteIPJSON writes the plan as indented JSON (schema IPSchema).
func WriteIPJSON(w io.Writer, p *IPPlan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}

func orDash(p *int) string {
	if p == nil {
		return "-"
	}
	return strconv.Itoa(*p)
}

// WriteIPText writes the plan for people: the pools, each address range
// with its formula worked out, the problems and the verdict.
func WriteIPText(w io.Writer, p *IPPlan) error {
	var b strings.Builder
	surge := "every pool's surge counted"
	if p.OneUpgradeAtATime {
		surge = "one pool upgrading at a time"
	}
	fmt.Fprintf(&b, "IP plan: %s; %s; %d extra addresses in the node subnet\n\n", p.ModeTitle, surge, p.Extra)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "POOL\tNODES\tMAX SURGE\tSURGE NODES\tMAX PODS\tNODE SLOTS\tMAX NODES\tPOD CAPACITY")
	for _, pp := range p.Pools {
		maxPods := strconv.Itoa(pp.MaxPods)
		if pp.MaxPodsDefault {
			maxPods += " (default)"
		}
		if pp.StaticBlock {
			maxPods += ", static blocks"
		}
		surge := pp.MaxSurge
		if pp.MaxSurgeDefault {
			surge += " (default)"
		}
		slots, nodes := orDash(pp.NodeSlots), orDash(pp.MaxNodes)
		if pp.MaxNodesBestCase != nil {
			slots += fmt.Sprintf(" (%d at best)", *pp.NodeSlotsBestCase)
			nodes += fmt.Sprintf(" (%d at best)", *pp.MaxNodesBestCase)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%s\t%s\t%s\n", pp.Name, pp.Nodes, surge, pp.SurgeNodes, maxPods, slots, nodes, orDash(pp.PodCapacity))
	}
	tw.Flush()
	b.WriteString("\nMAX NODES is the largest node count of the pool, with its surge, that the given ranges hold next to the other pools.\n")
	for _, sp := range p.Spaces {
		b.WriteString("\n")
		name := sp.Name
		if sp.Prefix != "" {
			name += " " + sp.Prefix
			if sp.Default {
				name += " (default)"
			}
		}
		fmt.Fprintf(&b, "%s\n", name)
		fmt.Fprintf(&b, "  needs     %s\n", sp.Formula)
		need := sp.Calculation + " " + sp.Unit
		if sp.Minimum != nil {
			need += fmt.Sprintf(" (at least %d)", *sp.Minimum)
		}
		fmt.Fprintf(&b, "            %s\n", need)
		if sp.Available != nil {
			if sp.Kind == KindPodCIDR {
				fmt.Fprintf(&b, "  has       %d /24 blocks\n", *sp.Available)
			} else {
				fmt.Fprintf(&b, "  has       %d usable addresses (%d minus %d reserved by Azure)\n", *sp.Available, *sp.Available+sp.Reserved, sp.Reserved)
			}
			verdict := "fits"
			if !*sp.Fits {
				verdict = "does not fit"
			}
			if sp.Used != nil {
				verdict += fmt.Sprintf(" (%.0f%% used)", 100**sp.Used)
			}
			fmt.Fprintf(&b, "  verdict   %s\n", verdict)
		}
		if sp.Kind == KindPodCIDR {
			fmt.Fprintf(&b, "  smallest  /%d = 24 - ceil(log2(%d)): one /24 per node\n", sp.MinPrefix, max(sp.Required, 1))
		} else {
			fmt.Fprintf(&b, "  smallest  /%d = 32 - ceil(log2(%d + 5))", sp.MinPrefix, sp.Required)
			if sp.MinPrefix == smallestSubnet {
				b.WriteString(", at most /29 (Azure's smallest subnet)")
			}
			if sp.MinPrefixBestCase != nil {
				fmt.Fprintf(&b, "; /%d at best", *sp.MinPrefixBestCase)
			}
			b.WriteString("\n")
		}
	}
	if len(p.Problems) > 0 {
		b.WriteString("\n")
		tw = tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, pr := range p.Problems {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", pr.Level, pr.Rule, pr.Message)
		}
		tw.Flush()
	}
	fmt.Fprintf(&b, "\nVerdict: %s\n", p.Verdict)
	_, err := io.WriteString(w, b.String())
	return err
}
