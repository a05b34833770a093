package main

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubevet/kubevet/internal/plan"
)

func newPlanCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Generate AKS plans: the IP address plan and the egress firewall allow-list",
		Long: `Generate what the AKS guides ask teams to produce by hand: the IP address plan
of a cluster's subnets (plan ip, rule NET-05) and the firewall allow-list for the
security team (plan egress, rule NET-11). Facts come from flags or from an AKS
configuration file (--from: az aks show -o json output or an ARM GET body).`,
		// Runnable, so that an unknown subcommand is an error (exit 2)
		// rather than the help text.
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newPlanIPCmd(e), newPlanEgressCmd(e))
	return cmd
}

type planIPFlags struct {
	from, plugin, allocation   string
	nodes, maxNodes, maxPods   int
	maxSurge                   string
	pools                      []string
	subnet, podSubnet, podCIDR string
	extra                      int
	oneAtATime                 bool
	serviceCIDR, dnsServiceIP  string
	avoid                      []string
	output                     string
}

func newPlanIPCmd(e *env) *cobra.Command {
	var f planIPFlags
	cmd := &cobra.Command{
		Use:   "ip",
		Short: "Compute the addresses a cluster needs and whether its subnets hold them (NET-05)",
		Long: `Compute the IP addresses an AKS cluster needs in its node subnet, pod subnet or
pod CIDR, per network plugin, with the upgrade surge; compare them with the
ranges given (Azure keeps 5 addresses of every subnet); give the smallest
range that fits and the largest node count each range holds. The service
CIDR and DNS service IP are checked when given.

Pools: --nodes/--max-nodes/--max-pods/--max-surge describe one pool; --pool
NAME:NODES[:MAX-PODS[:MAX-SURGE]] (repeatable) describes several, NODES being
the pool's count or its autoscaler maximum, e.g. --pool system:3 --pool
user:20:50:33%. --max-pods and --max-surge apply to every pool that gives none.

Exit status: 0 when the plan fits (or nothing was checked), 1 when it does not,
2 for usage errors.`,
		Example: `  kubevet plan ip --plugin azure --nodes 50 --subnet 10.0.0.0/21
  kubevet plan ip --plugin overlay --pool system:3 --pool user:20::33% --subnet 10.0.0.0/25
  kubevet plan ip --from cluster.json --subnet 10.240.0.0/24 -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runPlanIP(cmd, e, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.from, "from", "", "read the network plugin, pools, pod CIDR and service range from an AKS configuration file (az aks show -o json, ARM GET body); flags override it")
	fl.StringVar(&f.plugin, "plugin", "", "network mode: azure (pods in the node subnet), kubenet, overlay, podsubnet")
	fl.StringVar(&f.allocation, "pod-ip-allocation", "", "pod subnet IP allocation: dynamic (default) or static (/28 blocks)")
	fl.IntVar(&f.nodes, "nodes", 0, "node count of the pool")
	fl.IntVar(&f.maxNodes, "max-nodes", 0, "autoscaler maximum of the pool (planned for instead of --nodes)")
	fl.IntVar(&f.maxPods, "max-pods", 0, "max pods per node (default per plugin: azure 30, kubenet 110, overlay 250, podsubnet 110)")
	fl.StringVar(&f.maxSurge, "max-surge", "", "upgrade surge: a node count or a percentage of the pool, rounded up (default 1)")
	fl.StringArrayVar(&f.pools, "pool", nil, "a node pool as NAME:NODES[:MAX-PODS[:MAX-SURGE]] (repeatable)")
	fl.StringVar(&f.subnet, "subnet", "", "node subnet, such as 10.0.0.0/25")
	fl.StringVar(&f.podSubnet, "pod-subnet", "", "pod subnet (podsubnet plugin)")
	fl.StringVar(&f.podCIDR, "pod-cidr", "", "pod CIDR (kubenet and overlay; default 10.244.0.0/16)")
	fl.IntVar(&f.extra, "extra", 0, "other addresses taken from the node subnet: internal load balancers, private endpoints, headroom")
	fl.BoolVar(&f.oneAtATime, "one-upgrade-at-a-time", false, "count the surge of one pool only (pools upgraded one after the other), not of every pool")
	fl.StringVar(&f.serviceCIDR, "service-cidr", "", "service CIDR to check")
	fl.StringVar(&f.dnsServiceIP, "dns-service-ip", "", "DNS service IP to check against --service-cidr")
	fl.StringArrayVar(&f.avoid, "avoid", nil, "a range nothing may overlap: peered VNets, on-premises, VPN (repeatable)")
	fl.StringVarP(&f.output, "output", "o", "text", "output format: text or json")
	return cmd
}

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func parsePrefix(flag, s string) (*netip.Prefix, error) {
	if s == "" {
		return nil, nil
	}
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return nil, usagef("--%s %q is not a CIDR range such as 10.0.0.0/24", flag, s)
	}
	return &p, nil
}

// parsePool reads NAME:NODES[:MAX-PODS[:MAX-SURGE]].
func parsePool(s string) (plan.Pool, error) {
	parts := strings.Split(s, ":")
	bad := func(why string) (plan.Pool, error) {
		return plan.Pool{}, usagef("--pool %q: %s (want NAME:NODES[:MAX-PODS[:MAX-SURGE]], such as user:10:50:33%%)", s, why)
	}
	if len(parts) < 2 || len(parts) > 4 {
		return bad("wrong number of fields")
	}
	p := plan.Pool{Name: parts[0], MaxSurge: plan.DefaultSurge}
	if p.Name == "" {
		return bad("no name")
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 0 {
		return bad("the node count is not a whole number")
	}
	p.Nodes = n
	if len(parts) > 2 && parts[2] != "" {
		if p.MaxPods, err = strconv.Atoi(parts[2]); err != nil || p.MaxPods <= 0 {
			return bad("max pods is not a positive whole number")
		}
	}
	if len(parts) > 3 && parts[3] != "" {
		if p.MaxSurge, err = plan.ParseSurge(parts[3]); err != nil {
			return bad(err.Error())
		}
	}
	return p, nil
}

func readCluster(path string) (*plan.Cluster, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError{err}
	}
	c, err := plan.ReadCluster(data, path)
	if err != nil {
		return nil, usageError{err}
	}
	return c, nil
}

func runPlanIP(cmd *cobra.Command, e *env, f planIPFlags) error {
	write, ok := plan.IPFormats[f.output]
	if !ok {
		return usagef("unknown output format %q (want text or json)", f.output)
	}
	changed := cmd.Flags().Changed
	in := plan.IPInput{Extra: f.extra, OneUpgradeAtATime: f.oneAtATime}
	var cluster *plan.Cluster
	if f.from != "" {
		var err error
		if cluster, err = readCluster(f.from); err != nil {
			return err
		}
	}
	// Network mode.
	switch {
	case f.plugin != "":
		m, err := plan.ParseMode(f.plugin)
		if err != nil {
			return usageError{err}
		}
		in.Mode = m
	case cluster != nil:
		m, err := cluster.Mode()
		if err != nil {
			return usageError{err}
		}
		in.Mode = m
	default:
		return usagef("give --plugin (azure, kubenet, overlay or podsubnet) or --from")
	}
	// Pools.
	surge, err := plan.ParseSurge(f.maxSurge)
	if err != nil {
		return usagef("--max-surge: %v", err)
	}
	if f.nodes < 0 || f.maxNodes < 0 || f.maxPods < 0 || f.extra < 0 {
		return usagef("--nodes, --max-nodes, --max-pods and --extra cannot be negative")
	}
	single := changed("nodes") || changed("max-nodes")
	switch {
	case len(f.pools) > 0 && single:
		return usagef("give either --pool or --nodes/--max-nodes, not both")
	case len(f.pools) > 0:
		for _, s := range f.pools {
			p, err := parsePool(s)
			if err != nil {
				return err
			}
			if p.MaxPods == 0 {
				p.MaxPods = f.maxPods
			}
			if p.MaxSurge.Default && changed("max-surge") {
				p.MaxSurge = surge
			}
			in.Pools = append(in.Pools, p)
		}
	case single:
		if changed("max-nodes") && changed("nodes") && f.maxNodes < f.nodes {
			return usagef("--max-nodes %d is below --nodes %d", f.maxNodes, f.nodes)
		}
		n := f.nodes
		if changed("max-nodes") {
			n = f.maxNodes
		}
		in.Pools = []plan.Pool{{Name: "nodepool1", Nodes: n, MaxPods: f.maxPods, MaxSurge: surge}}
	case cluster != nil:
		pools, err := cluster.IPPools()
		if err != nil {
			return usageError{err}
		}
		for i := range pools {
			if changed("max-pods") {
				pools[i].MaxPods = f.maxPods
			}
			if changed("max-surge") {
				pools[i].MaxSurge = surge
			}
		}
		in.Pools = pools
	default:
		return usagef("give --nodes, --pool or --from")
	}
	switch strings.ToLower(f.allocation) {
	case "":
	case "dynamic":
		for i := range in.Pools {
			in.Pools[i].StaticBlock = false
		}
	case "static", "staticblock":
		for i := range in.Pools {
			in.Pools[i].StaticBlock = true
		}
	default:
		return usagef("--pod-ip-allocation %q: want dynamic or static", f.allocation)
	}
	// Ranges.
	if in.Subnet, err = parsePrefix("subnet", f.subnet); err != nil {
		return err
	}
	if in.PodSubnet, err = parsePrefix("pod-subnet", f.podSubnet); err != nil {
		return err
	}
	podCIDR, serviceCIDR, dnsIP := f.podCIDR, f.serviceCIDR, f.dnsServiceIP
	if cluster != nil {
		if podCIDR == "" && (in.Mode == plan.ModeKubenet || in.Mode == plan.ModeOverlay) {
			podCIDR = cluster.PodCIDR
		}
		if serviceCIDR == "" {
			serviceCIDR = cluster.ServiceCIDR
		}
		if dnsIP == "" {
			dnsIP = cluster.DNSServiceIP
		}
	}
	if in.PodCIDR, err = parsePrefix("pod-cidr", podCIDR); err != nil {
		return err
	}
	if in.ServiceCIDR, err = parsePrefix("service-cidr", serviceCIDR); err != nil {
		return err
	}
	if dnsIP != "" {
		a, err := netip.ParseAddr(strings.TrimSpace(dnsIP))
		if err != nil {
			return usagef("--dns-service-ip %q is not an IP address", dnsIP)
		}
		in.DNSServiceIP = &a
	}
	for _, s := range f.avoid {
		p, err := parsePrefix("avoid", s)
		if err != nil {
			return err
		}
		in.Avoid = append(in.Avoid, *p)
	}
	res, err := plan.PlanIP(in)
	if err != nil {
		return usageError{err}
	}
	if err := write(e.stdout, res); err != nil {
		return err
	}
	if !res.Fits {
		return errFindings
	}
	return nil
}

type planEgressFlags struct {
	from, cloud, region, output                      string
	private                                          bool
	monitoring, keyvault, policy, defender, workload bool
	cost, extensions, windows, gpu                   bool
	customDNS, acrs, allow, sources                  []string
}

func newPlanEgressCmd(e *env) *cobra.Command {
	var f planEgressFlags
	cmd := &cobra.Command{
		Use:   "egress",
		Short: "Write the firewall allow-list for the cluster's egress (NET-11)",
		Long: `Write the outbound rules an AKS cluster behind a firewall needs, filtered by the
cluster's facts: the required network and FQDN rules, the recommended ones and
those of each feature in use, each with its purpose and the condition that put
it there. The list comes from Microsoft's outbound-rules-control-egress.md as
summarised in kubevet's rule map; for US Government and 21Vianet only the
endpoints the rule map names are listed, the rest is reported as not covered.

Formats (-o): markdown for the security team, csv, json, and arm: an ARM
template with an Azure Firewall Policy rule collection group (network and
application rule collections).`,
		Example: `  kubevet plan egress --region westeurope --monitoring --keyvault --acr contosoacr
  kubevet plan egress --from cluster.json --custom-dns 10.0.0.4 -o arm > egress.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runPlanEgress(cmd, e, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.from, "from", "", "read the region, private cluster, add-ons and pools from an AKS configuration file (az aks show -o json, ARM GET body); flags add to it")
	fl.StringVar(&f.cloud, "cloud", "", "Azure cloud: public, usgov or china (default: from the region, else public)")
	fl.StringVar(&f.region, "region", "", "the cluster's location, such as westeurope")
	fl.BoolVar(&f.private, "private", false, "private cluster (no rules for a public API server)")
	fl.BoolVar(&f.monitoring, "monitoring", false, "Azure Monitor: Container Insights, managed Prometheus")
	fl.BoolVar(&f.keyvault, "keyvault", false, "Key Vault secrets provider (also Istio plug-in CA, app routing with Key Vault certificates)")
	fl.BoolVar(&f.policy, "azure-policy", false, "Azure Policy add-on")
	fl.BoolVar(&f.defender, "defender", false, "Microsoft Defender for Containers")
	fl.BoolVar(&f.workload, "workload-identity", false, "workload identity")
	fl.BoolVar(&f.cost, "cost-analysis", false, "cost analysis")
	fl.BoolVar(&f.extensions, "extensions", false, "cluster extensions (Microsoft.KubernetesConfiguration/extensions)")
	fl.BoolVar(&f.windows, "windows", false, "Windows node pools")
	fl.BoolVar(&f.gpu, "gpu", false, "GPU (N-series) node pools")
	fl.StringSliceVar(&f.customDNS, "custom-dns", nil, "the VNet's custom DNS server IPs (repeatable or comma-separated)")
	fl.StringSliceVar(&f.acrs, "acr", nil, "your Azure Container Registry names, such as contosoacr (repeatable)")
	fl.StringSliceVar(&f.allow, "allow-fqdn", nil, "further HTTPS endpoints your workloads need (repeatable)")
	fl.StringSliceVar(&f.sources, "source", nil, "source ranges of the rules: the cluster's subnets (default any)")
	fl.StringVarP(&f.output, "output", "o", "markdown", "output format: "+strings.Join(plan.EgressFormatNames, ", "))
	return cmd
}

func runPlanEgress(cmd *cobra.Command, e *env, f planEgressFlags) error {
	write, ok := plan.EgressFormats[f.output]
	if !ok {
		return usagef("unknown output format %q (want one of %s)", f.output, strings.Join(plan.EgressFormatNames, ", "))
	}
	changed := cmd.Flags().Changed
	var facts plan.EgressFacts
	if f.from != "" {
		c, err := readCluster(f.from)
		if err != nil {
			return err
		}
		facts = c.EgressFacts()
	}
	if changed("region") {
		facts.Region = plan.NormalizeRegion(f.region)
		facts.Cloud = plan.CloudOfRegion(facts.Region)
	}
	if f.cloud != "" {
		c, err := plan.ParseCloud(f.cloud)
		if err != nil {
			return usageError{err}
		}
		facts.Cloud = c
	}
	// A flag given sets its fact (so --private=false overrides the file);
	// evidence then names the flag.
	bools := []struct {
		flag, trigger string
		val           bool
		dst           *bool
	}{
		{"private", "public-api", f.private, &facts.Private},
		{"monitoring", "monitoring", f.monitoring, &facts.Monitoring},
		{"keyvault", "keyvault", f.keyvault, &facts.KeyVault},
		{"azure-policy", "azure-policy", f.policy, &facts.AzurePolicy},
		{"defender", "defender", f.defender, &facts.Defender},
		{"workload-identity", "workload-identity", f.workload, &facts.WorkloadIdentity},
		{"cost-analysis", "cost-analysis", f.cost, &facts.CostAnalysis},
		{"extensions", "extensions", f.extensions, &facts.Extensions},
		{"windows", "windows", f.windows, &facts.Windows},
		{"gpu", "gpu", f.gpu, &facts.GPU},
	}
	for _, b := range bools {
		if changed(b.flag) {
			*b.dst = b.val
			if facts.Evidence != nil {
				delete(facts.Evidence, b.trigger)
			}
		}
	}
	for _, s := range f.customDNS {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return usagef("--custom-dns %q is not an IP address", s)
		}
		facts.CustomDNS = append(facts.CustomDNS, a)
	}
	for _, s := range f.sources {
		p, err := parsePrefix("source", s)
		if err != nil {
			return err
		}
		facts.Sources = append(facts.Sources, *p)
	}
	facts.ACRs = append(facts.ACRs, f.acrs...)
	facts.AllowFQDNs = append(facts.AllowFQDNs, f.allow...)
	list, err := plan.PlanEgress(facts)
	if err != nil {
		return usageError{err}
	}
	if f.output == "arm" && list.NeedsRegion() {
		return usagef("-o arm needs the cluster's region: give --region (or --from a file with a location)")
	}
	return write(e.stdout, list)
}
