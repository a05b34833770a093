package aks

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/aks"
	"github.com/kubevet/kubevet/internal/engine"
)

// Fields checked against Azure/azure-rest-api-specs with the search tool
// (stable 2025-07-01 managedClusters.json, 2026-11), beyond spec §4:
//   - agentPoolProfiles[].securityProfile (AgentPoolSecurityProfile) and
//     podIPAllocationMode are in the stable API; the sshAccess values
//     (LocalUser, Disabled, EntraId) come from DOCS manage-ssh-node-access.md
//     and real CLI output, not from the spec text read.
//   - supportPlan enum KubernetesOfficial | AKSLongTermSupport.
//   - networkPolicy none|calico|azure|cilium ("cilium requires
//     networkDataplane to be 'cilium'"); outboundType gained "none".
//   - orchestratorVersion still says "within two minor versions of the
//     control plane"; DOCS say three from 1.28 (spec §9-6), which the
//     version rule follows.
//   - AgentPoolMode System: "osType must be Linux", "at least 2vCPUs and
//     4GB of memory"; a Gateway mode exists (not counted as User).
//   - maxSurge default: 10% in 2025-07-01 (see SurgeNodes).
//   - podLinkLocalAccess: preview only (see ruleIMDS).

// Object is the API version and kind findings name clusters with.
const (
	APIVersion = "containerservice.azure.com/v1"
	ObjectKind = "ManagedCluster"
)

// eval is one evaluation of the rules on one cluster.
type eval struct {
	c        *Cluster
	env      engine.HandlerEnv
	profile  string
	now      time.Time
	findings []check.Finding
	notes    []engine.Note
}

func (e *eval) enabled(ch *check.Check) bool {
	if e.env.Enabled != nil {
		return e.env.Enabled(ch)
	}
	return !ch.Disabled
}

func (e *eval) options(ch *check.Check) check.Options {
	if e.env.Options != nil {
		if o := e.env.Options(ch); o != nil {
			return o
		}
	}
	return ch.DefaultOptions()
}

func (e *eval) report(ch *check.Check, sev check.Severity, p place, format string, args ...any) {
	e.findings = append(e.findings, check.Finding{
		Check: ch.ID, Refs: ch.Refs, Severity: sev,
		Object: check.ObjectRef{APIVersion: APIVersion, Kind: ObjectKind, Name: e.c.Name},
		File:   p.File, Line: p.Line, Column: p.Column, Path: p.Path,
		Message: fmt.Sprintf(format, args...),
	})
}

// lower is the severity of a rule's WARN outcome: one step below its FAIL.
func lower(s check.Severity) check.Severity {
	if s > check.Info {
		return s - 1
	}
	return s
}

// known returns false, with a note, when n is a value kubevet could not
// resolve: the rule is then unknown rather than passed or failed.
func (e *eval) known(ch *check.Check, n *Node) bool {
	u := n.unknownWithin()
	if u == nil {
		return true
	}
	e.notes = append(e.notes, engine.Note{File: u.File, Line: u.Line, Level: engine.NoteInfo,
		Message: fmt.Sprintf("%s: unknown for cluster %q: %s is %s, which kubevet cannot resolve offline", ch.ID, e.c.Name, u.Path, u.Unknown)})
	return false
}

// rule is one evaluation function.
type rule struct {
	check *check.Check
	run   func(*eval, *check.Check)
}

var rules = []rule{
	{aks.EntraID, ruleEntraID},
	{aks.LocalAccounts, ruleLocalAccounts},
	{aks.KubernetesRBAC, ruleRBAC},
	{aks.EntraGroups, ruleEntraGroups},
	{aks.ManagedIdentity, ruleManagedIdentity},
	{aks.WorkloadIdentity, ruleWorkloadIdentity},
	{aks.KeyVaultSecretsProvider, ruleKeyVault},
	{aks.PrivateCluster, rulePrivateCluster},
	{aks.AuthorizedIPRanges, ruleAuthorizedRanges},
	{aks.NodePublicIP, ruleNodePublicIP},
	{aks.NodeSSHAccess, ruleNodeSSH},
	{aks.NetworkPlugin, ruleNetworkPlugin},
	{aks.SubnetSize, ruleSubnetSize},
	{aks.NetworkCIDRs, ruleCIDRs},
	{aks.NetworkPolicy, ruleNetworkPolicy},
	{aks.IMDSRestriction, ruleIMDS},
	{aks.EgressLockdown, ruleEgress},
	{aks.AvailabilityZones, ruleZones},
	{aks.SLATier, ruleSLA},
	{aks.ClusterAutoscaler, ruleAutoscaler},
	{aks.ProximityPlacementGroup, rulePPG},
	{aks.UnsafeSysctls, ruleSysctls},
	{aks.SystemNodePool, ruleSystemPool},
	{aks.GPUPoolTaints, ruleGPUTaints},
	{aks.FIPS, ruleFIPS},
	{aks.KubernetesVersion, ruleVersion},
	{aks.AutoUpgradeChannel, ruleUpgradeChannel},
	{aks.NodeOSUpgrade, ruleNodeOS},
	{aks.DashboardAddon, ruleDashboard},
	{aks.KMSEncryption, ruleKMS},
	{aks.AzurePolicy, ruleAzurePolicy},
	{aks.Defender, ruleDefender},
	{aks.PodSecurityPolicy, rulePSP},
	{aks.AuditLogs, ruleAuditLogs},
	{aks.ContainerInsights, ruleContainerInsights},
	{aks.ManagedPrometheus, rulePrometheus},
	{aks.RequiredTags, ruleTags},
	{aks.WindowsOSSKU, ruleWindowsSKU},
	{aks.WindowsCNI, ruleWindowsCNI},
	{aks.WindowsNetworkPolicy, ruleWindowsNetPol},
	{aks.WindowsGMSA, ruleGMSA},
}

// Evaluate runs every enabled AKS rule on the clusters, and hands each
// cluster's fact object to env.Fact when set.
func Evaluate(clusters []*Cluster, env engine.HandlerEnv) ([]check.Finding, []engine.Note) {
	var fs []check.Finding
	var notes []engine.Note
	profile, now := "production", time.Now()
	if env.Settings != nil {
		if env.Settings.Profile != "" {
			profile = env.Settings.Profile
		}
		if !env.Settings.Now.IsZero() {
			now = env.Settings.Now
		}
	}
	for _, c := range clusters {
		e := &eval{c: c, env: env, profile: profile, now: now}
		for _, r := range rules {
			if e.enabled(r.check) {
				r.run(e, r.check)
			}
		}
		fs = append(fs, e.findings...)
		notes = append(notes, e.notes...)
		if env.Fact != nil {
			if o := c.FactObject(); o != nil {
				env.Fact(o) // for the checks of workloads on this cluster
			}
		}
	}
	return fs, notes
}

// addon returns an add-on profile, matching its key case-insensitively
// (spec §0.4-2).
func (c *Cluster) addon(name string) *Node { return c.Props.Get("addonProfiles").Get(name) }

// ---- Identity & access ----

func ruleEntraID(e *eval, ch *check.Check) {
	aad := e.c.Get("aadProfile")
	if aad.IsNull() {
		e.report(ch, ch.Severity, e.c.at("aadProfile"), "cluster %q has no Entra ID integration: every API user shares certificates; enable aadProfile.managed", e.c.Name)
		return
	}
	m := aad.Get("managed")
	if !e.known(ch, m) {
		return
	}
	if !m.True() {
		e.report(ch, lower(ch.Severity), e.c.at("aadProfile.managed"), "cluster %q uses the deprecated legacy Entra ID integration; set aadProfile.managed: true", e.c.Name)
	}
}

func ruleLocalAccounts(e *eval, ch *check.Check) {
	v := e.c.Get("disableLocalAccounts")
	if !e.known(ch, v) || v.True() {
		return
	}
	e.report(ch, ch.Severity, e.c.at("disableLocalAccounts"), "cluster %q keeps local accounts: az aks get-credentials --admin gives a static cluster-admin credential; set disableLocalAccounts to true", e.c.Name)
}

func ruleRBAC(e *eval, ch *check.Check) {
	v := e.c.Get("enableRBAC")
	if !e.known(ch, v) {
		return
	}
	if v == nil {
		if e.c.Source == Terraform || e.c.Source == REST || e.c.Source == CLI {
			return // Terraform defaults to true; a live cluster reports it when set
		}
		e.report(ch, ch.Severity, e.c.at("enableRBAC"), "cluster %q does not set enableRBAC; an ARM template must set it to true explicitly", e.c.Name)
		return
	}
	if b, ok := v.Bool(); ok && !b {
		e.report(ch, ch.Severity, e.c.at("enableRBAC"), "cluster %q has Kubernetes RBAC disabled: every authenticated identity can do anything; enableRBAC must be true (set at creation)", e.c.Name)
	}
}

func ruleEntraGroups(e *eval, ch *check.Check) {
	aad := e.c.Get("aadProfile")
	if aad.IsNull() {
		return // aks-entra-id reports it
	}
	rb, groups := aad.Get("enableAzureRBAC"), aad.Get("adminGroupObjectIDs")
	if rb.True() || len(groups.Strings()) > 0 {
		return
	}
	if !e.known(ch, rb) || !e.known(ch, groups) {
		return
	}
	e.report(ch, ch.Severity, e.c.at("aadProfile.enableAzureRBAC"), "cluster %q grants access neither through Azure RBAC nor through admin groups; set aadProfile.enableAzureRBAC or adminGroupObjectIDs", e.c.Name)
}

func ruleManagedIdentity(e *eval, ch *check.Check) {
	t := e.c.GetRoot("identity.type")
	sp := e.c.Get("servicePrincipalProfile.clientId")
	if !e.known(ch, t) || !e.known(ch, sp) {
		return
	}
	if sp != nil && !strings.EqualFold(sp.Str(), "msi") {
		e.report(ch, ch.Severity, e.c.at("servicePrincipalProfile.clientId"), "cluster %q runs as a service principal, whose secret must be rotated by hand; use a managed identity", e.c.Name)
		return
	}
	switch strings.ToLower(t.Str()) {
	case "systemassigned", "userassigned":
		return
	}
	if t == nil && sp != nil {
		return // clientId msi: managed identity
	}
	e.report(ch, ch.Severity, e.c.atRoot("identity.type"), "cluster %q has no managed identity (identity.type %s); use SystemAssigned or UserAssigned", e.c.Name, setting(t))
}

func ruleWorkloadIdentity(e *eval, ch *check.Check) {
	if pi := e.c.Get("podIdentityProfile.enabled"); pi.True() {
		e.report(ch, lower(ch.Severity), e.c.at("podIdentityProfile.enabled"), "cluster %q uses AAD pod identity, which workload identity supersedes", e.c.Name)
	}
	wi, oidc := e.c.Get("securityProfile.workloadIdentity.enabled"), e.c.Get("oidcIssuerProfile.enabled")
	if !e.known(ch, wi) || !e.known(ch, oidc) {
		return
	}
	if !wi.True() {
		e.report(ch, ch.Severity, e.c.at("securityProfile.workloadIdentity.enabled"), "cluster %q has workload identity off: pods needing Azure access will use stored secrets; enable it with the OIDC issuer", e.c.Name)
		return
	}
	if !oidc.True() {
		e.report(ch, ch.Severity, e.c.at("oidcIssuerProfile.enabled"), "cluster %q enables workload identity without the OIDC issuer it needs; enable oidcIssuerProfile", e.c.Name)
	}
}

func ruleKeyVault(e *eval, ch *check.Check) {
	kv := e.c.addon("azureKeyvaultSecretsProvider")
	en := kv.Get("enabled")
	if !e.known(ch, en) {
		return
	}
	if !en.True() {
		e.report(ch, ch.Severity, e.c.at("addonProfiles.azureKeyvaultSecretsProvider.enabled"), "cluster %q has no Key Vault secrets provider; keep secrets in Azure Key Vault and mount them with the add-on", e.c.Name)
		return
	}
	rot := kv.Lookup("config.enableSecretRotation")
	if !e.known(ch, rot) || rot.True() {
		return
	}
	e.report(ch, check.Warning, e.c.at("addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation"), "cluster %q mounts Key Vault secrets without rotation; set enableSecretRotation \"true\"", e.c.Name)
}

// ---- Network ----

func (c *Cluster) private() *Node { return c.Get("apiServerAccessProfile.enablePrivateCluster") }

func rulePrivateCluster(e *eval, ch *check.Check) {
	priv := e.c.private()
	if !e.known(ch, priv) {
		return
	}
	if priv.True() {
		if f := e.c.Get("apiServerAccessProfile.enablePrivateClusterPublicFQDN"); f.True() {
			e.report(ch, check.Warning, e.c.at("apiServerAccessProfile.enablePrivateClusterPublicFQDN"), "private cluster %q also publishes its API server's private address in a public FQDN; disable enablePrivateClusterPublicFQDN", e.c.Name)
		}
		return
	}
	if e.profile == "regulated" || e.options(ch).Bool("required") {
		e.report(ch, ch.Severity, e.c.at("apiServerAccessProfile.enablePrivateCluster"), "cluster %q has a public API server, and the %s profile requires a private cluster; set enablePrivateCluster (at creation)", e.c.Name, e.profile)
	}
}

func ruleAuthorizedRanges(e *eval, ch *check.Check) {
	priv := e.c.private()
	if !e.known(ch, priv) || priv.True() {
		return
	}
	r := e.c.Get("apiServerAccessProfile.authorizedIPRanges")
	if !e.known(ch, r) {
		return
	}
	ranges := r.Strings()
	if len(ranges) == 0 {
		e.report(ch, ch.Severity, e.c.at("apiServerAccessProfile.authorizedIPRanges"), "cluster %q has a public API server open to every address; list authorizedIPRanges or make it private", e.c.Name)
		return
	}
	for i, s := range ranges {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			if a, err2 := netip.ParseAddr(s); err2 == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			} else {
				continue
			}
		}
		at := place{File: r.Items[i].File, Line: r.Items[i].Line, Column: r.Items[i].Column, Path: r.Items[i].Path}
		switch {
		case p.Bits() == 0:
			e.report(ch, ch.Severity, at, "cluster %q authorizes %s, the whole Internet, on its API server; list your own ranges", e.c.Name, s)
		case p.Addr().Is4() && p.Bits() < 16:
			e.report(ch, check.Info, at, "cluster %q authorizes %s on its API server, a range broader than /16; narrow it", e.c.Name, s)
		}
	}
}

func rulePoolBool(e *eval, ch *check.Check, path string, fail bool, format string) {
	for _, p := range e.c.Pools {
		v := p.Get(path)
		if !e.known(ch, v) {
			continue
		}
		if b, ok := v.Bool(); ok && b == fail {
			e.report(ch, ch.Severity, p.at(path), format, p.Name)
		}
	}
}

func ruleNodePublicIP(e *eval, ch *check.Check) {
	rulePoolBool(e, ch, "enableNodePublicIP", true, "node pool %q gives every node a public IP; set enableNodePublicIP false and reach nodes through a bastion")
}

func ruleNodeSSH(e *eval, ch *check.Check) {
	if e.c.Source == Terraform {
		return // no azurerm attribute (spec §4)
	}
	for _, p := range e.c.Pools {
		v := p.Get("securityProfile.sshAccess")
		if !e.known(ch, v) {
			continue
		}
		switch strings.ToLower(v.Str()) {
		case "disabled", "entraid":
			continue
		}
		val := strconvQuote(v.Str())
		e.report(ch, ch.Severity, p.at("securityProfile.sshAccess"), "node pool %q allows SSH with local users (securityProfile.sshAccess %s); set it to Disabled or EntraId", p.Name, val)
	}
}

// Mode returns how the cluster hands out pod IPs.
func (c *Cluster) Mode() NetworkMode {
	switch strings.ToLower(c.Get("networkProfile.networkPlugin").Str()) {
	case "kubenet":
		return Kubenet
	case "none":
		return BYOCNI
	case "azure":
		if strings.EqualFold(c.Get("networkProfile.networkPluginMode").Str(), "overlay") {
			return Overlay
		}
		for _, p := range c.Pools {
			if p.Get("podSubnetID").Str() != "" || (p.Get("podSubnetID") != nil && p.Get("podSubnetID").Unknown != "") {
				return PodSubnet
			}
		}
		return AzureCNI
	}
	// Unset: the API's default is kubenet for older versions and Azure CNI
	// Overlay for newer ones; count as Overlay (only nodes in the subnet).
	return Overlay
}

func ruleNetworkPlugin(e *eval, ch *check.Check) {
	v := e.c.Get("networkProfile.networkPlugin")
	if !e.known(ch, v) {
		return
	}
	switch strings.ToLower(v.Str()) {
	case "kubenet":
		e.report(ch, ch.Severity, e.c.at("networkProfile.networkPlugin"), "cluster %q uses kubenet, which retires on 2028-03-31 and supports no Windows pools; move to Azure CNI Overlay", e.c.Name)
	case "none":
		e.report(ch, check.Info, e.c.at("networkProfile.networkPlugin"), "cluster %q brings its own CNI (networkPlugin none); its network model is yours to check", e.c.Name)
	}
}

// poolIPs returns the sizing inputs of a pool, false when one is unknown.
func poolIPs(p *Pool, m NetworkMode) (PoolIPs, bool) {
	nodes, ok := p.Get("count").Int()
	if p.Get("enableAutoScaling").True() {
		nodes, ok = p.Get("maxCount").Int()
	}
	if !ok {
		nodes = 1
		if p.Get("count") != nil || p.Get("maxCount") != nil {
			return PoolIPs{}, false
		}
	}
	pods, ok := p.Get("maxPods").Int()
	if !ok {
		if p.Get("maxPods") != nil {
			return PoolIPs{}, false
		}
		pods = DefaultMaxPods(m)
	}
	surge := p.Get("upgradeSettings.maxSurge")
	return PoolIPs{Nodes: nodes, MaxPods: pods, Surge: SurgeNodes(surge.Str(), nodes)}, surge == nil || surge.Unknown == ""
}

func ruleSubnetSize(e *eval, ch *check.Check) {
	m := e.c.Mode()
	for _, p := range e.c.Pools {
		mp := p.Get("maxPods")
		if v, ok := mp.Int(); ok {
			switch {
			case v < 10 || v > 250:
				e.report(ch, ch.Severity, p.at("maxPods"), "node pool %q sets maxPods %d; AKS allows 10 to 250", p.Name, v)
			default:
				n, ok := p.Get("count").Int()
				if p.Get("enableAutoScaling").True() {
					n, ok = p.Get("minCount").Int()
				}
				if ok && v*n < 30 {
					e.report(ch, ch.Severity, p.at("maxPods"), "node pool %q has room for %d pods (maxPods %d × %d nodes); AKS needs room for at least 30 per pool", p.Name, v*n, v, n)
				}
			}
		}
	}
	// The subnet verdict needs each subnet's prefix (Terraform azurerm_subnet).
	type group struct {
		prefix *Node
		pools  []*Pool
	}
	var groups []*group
	byPrefix := map[*Node]*group{}
	for _, p := range e.c.Pools {
		if p.SubnetPrefix == nil {
			continue
		}
		g := byPrefix[p.SubnetPrefix]
		if g == nil {
			g = &group{prefix: p.SubnetPrefix}
			byPrefix[p.SubnetPrefix] = g
			groups = append(groups, g)
		}
		g.pools = append(g.pools, p)
	}
	for _, g := range groups {
		if !e.known(ch, g.prefix) {
			continue
		}
		pfx, err := netip.ParsePrefix(g.prefix.Str())
		if err != nil || !pfx.Addr().Is4() {
			continue
		}
		var ins []PoolIPs
		var names []string
		ok := true
		for _, p := range g.pools {
			in, k := poolIPs(p, m)
			ok = ok && k
			ins = append(ins, in)
			names = append(names, p.Name)
		}
		if !ok {
			e.notes = append(e.notes, engine.Note{File: g.prefix.File, Line: g.prefix.Line, Level: engine.NoteInfo,
				Message: fmt.Sprintf("%s: unknown for cluster %q: a pool's count, maxCount, maxPods or maxSurge is not resolved", ch.ID, e.c.Name)})
			continue
		}
		need, usable := NodeSubnetIPs(m, ins, 0), UsableIPs(pfx.Bits())
		at := place{File: g.prefix.File, Line: g.prefix.Line, Column: g.prefix.Column, Path: g.prefix.Path}
		switch {
		case need > usable:
			e.report(ch, ch.Severity, at, "subnet %s of node pools %s holds %d usable addresses, but %s needs %d at full scale with upgrade surge; use a /%d or larger, or Azure CNI Overlay",
				pfx, strings.Join(names, ", "), usable, m, need, MinPrefix(need))
		case need*10 > usable*8:
			e.report(ch, lower(ch.Severity), at, "subnet %s of node pools %s is %d%% full at full scale (%d of %d usable addresses with %s); leave room to grow",
				pfx, strings.Join(names, ", "), need*100/usable, need, usable, m)
		}
	}
}

func ruleCIDRs(e *eval, ch *check.Check) {
	np := e.c.Get("networkProfile")
	svcN, podN, dnsN := np.Get("serviceCidr"), np.Get("podCidr"), np.Get("dnsServiceIP")
	if !e.known(ch, svcN) || !e.known(ch, podN) || !e.known(ch, dnsN) {
		return
	}
	svc, svcErr := netip.ParsePrefix(svcN.Str())
	if svcErr == nil {
		if svc.Addr().Is4() && svc.Bits() < 13 {
			e.report(ch, ch.Severity, e.c.at("networkProfile.serviceCidr"), "serviceCidr %s is larger than AKS allows; use a /13 or smaller range", svc)
		}
		if dnsN != nil {
			dns, err := netip.ParseAddr(dnsN.Str())
			switch {
			case err != nil:
			case !svc.Contains(dns):
				e.report(ch, ch.Severity, e.c.at("networkProfile.dnsServiceIP"), "dnsServiceIP %s is outside serviceCidr %s", dns, svc)
			case dns == svc.Masked().Addr() || dns == svc.Masked().Addr().Next():
				e.report(ch, ch.Severity, e.c.at("networkProfile.dnsServiceIP"), "dnsServiceIP %s is the start of serviceCidr %s, which kubernetes.default uses; pick another, such as .10", dns, svc)
			}
		}
	}
	pod, podErr := netip.ParsePrefix(podN.Str())
	if svcErr == nil && podErr == nil && pod.Overlaps(svc) {
		e.report(ch, ch.Severity, e.c.at("networkProfile.podCidr"), "podCidr %s overlaps serviceCidr %s", pod, svc)
	}
	seen := map[*Node]bool{}
	for _, p := range e.c.Pools {
		if p.SubnetPrefix == nil || seen[p.SubnetPrefix] {
			continue
		}
		seen[p.SubnetPrefix] = true
		sub, err := netip.ParsePrefix(p.SubnetPrefix.Str())
		if err != nil {
			continue
		}
		if svcErr == nil && sub.Overlaps(svc) {
			e.report(ch, ch.Severity, e.c.at("networkProfile.serviceCidr"), "serviceCidr %s overlaps the subnet %s of node pool %q", svc, sub, p.Name)
		}
		if podErr == nil && sub.Overlaps(pod) && e.c.Mode() != AzureCNI && e.c.Mode() != PodSubnet {
			e.report(ch, ch.Severity, e.c.at("networkProfile.podCidr"), "podCidr %s overlaps the subnet %s of node pool %q", pod, sub, p.Name)
		}
	}
}

func ruleNetworkPolicy(e *eval, ch *check.Check) {
	v := e.c.Get("networkProfile.networkPolicy")
	if !e.known(ch, v) {
		return
	}
	switch strings.ToLower(v.Str()) {
	case "azure", "calico":
		return
	case "cilium":
		if dp := e.c.Get("networkProfile.networkDataplane"); e.known(ch, dp) && !strings.EqualFold(dp.Str(), "cilium") {
			e.report(ch, ch.Severity, e.c.at("networkProfile.networkDataplane"), "cluster %q uses the cilium network policy without the cilium dataplane; set networkDataplane cilium", e.c.Name)
		}
		return
	}
	e.report(ch, ch.Severity, e.c.at("networkProfile.networkPolicy"), "cluster %q has no network-policy engine (networkPolicy %s): NetworkPolicies are not enforced; choose azure, calico or cilium at creation", e.c.Name, setting(v))
}

// ruleIMDS reads networkProfile.podLinkLocalAccess. Verified with the
// search tool (2026-11): the field and its value "IMDS" appear in real az
// aks show -o json output (networkProfile.podLinkLocalAccess: "IMDS", in
// several public repositories), and DOCS imds-restriction.md describes the
// feature as preview. It is not in ContainerServiceNetworkProfile of the
// stable 2025-07-01 managedClusters.json (read in Azure/azure-rest-api-specs),
// so it is preview-only. "None" as the restricted value comes from the spec
// (§1.2 NET-09) and stays unverified against an API spec. Terraform
// (azurerm) has no attribute, so Terraform inputs are not judged.
func ruleIMDS(e *eval, ch *check.Check) {
	if e.c.Source == Terraform {
		return
	}
	v := e.c.Get("networkProfile.podLinkLocalAccess")
	if !e.known(ch, v) || strings.EqualFold(v.Str(), "None") {
		return
	}
	e.report(ch, ch.Severity, e.c.at("networkProfile.podLinkLocalAccess"), "pods of cluster %q can reach IMDS and the node identity's tokens; set networkProfile.podLinkLocalAccess None (preview) or deny 169.254.169.254/32 in egress NetworkPolicies", e.c.Name)
}

func ruleEgress(e *eval, ch *check.Check) {
	if e.profile == "dev" {
		return
	}
	v := e.c.Get("networkProfile.outboundType")
	if !e.known(ch, v) || strings.EqualFold(v.Str(), "userDefinedRouting") {
		return
	}
	sev := ch.Severity
	if e.profile == "regulated" {
		sev = check.Warning
	}
	out := v.Str()
	if out == "" {
		out = "loadBalancer"
	}
	e.report(ch, sev, e.c.at("networkProfile.outboundType"), "cluster %q sends egress straight out (outboundType %s); route it through a firewall with userDefinedRouting", e.c.Name, out)
}

// ---- Availability and scaling ----

func ruleZones(e *eval, ch *check.Check) {
	if e.profile == "dev" {
		return
	}
	for _, p := range e.c.Pools {
		z := p.Get("availabilityZones")
		if !e.known(ch, z) {
			continue
		}
		if n := len(z.Strings()); n < 2 {
			e.report(ch, ch.Severity, p.at("availabilityZones"), "node pool %q is in %d availability zone(s); create it across zones 1, 2 and 3", p.Name, n)
		}
	}
}

func ruleSLA(e *eval, ch *check.Check) {
	if e.profile == "dev" {
		return
	}
	v := e.c.GetRoot("sku.tier")
	if !e.known(ch, v) {
		return
	}
	switch strings.ToLower(v.Str()) {
	case "standard", "premium", "paid":
		return
	}
	tier := v.Str()
	if tier == "" {
		tier = "Free (default)"
	}
	e.report(ch, ch.Severity, e.c.atRoot("sku.tier"), "cluster %q is on the %s tier, with no API-server SLA; the %s profile asks for Standard", e.c.Name, tier, e.profile)
}

func ruleAutoscaler(e *eval, ch *check.Check) {
	if e.profile == "dev" {
		return
	}
	for _, p := range e.c.Pools {
		if !strings.EqualFold(p.Mode(), "User") {
			continue
		}
		as := p.Get("enableAutoScaling")
		if !e.known(ch, as) {
			continue
		}
		if !as.True() {
			e.report(ch, ch.Severity, p.at("enableAutoScaling"), "user node pool %q does not autoscale; set enableAutoScaling with minCount and maxCount", p.Name)
			continue
		}
		lo, ok1 := p.Get("minCount").Int()
		hi, ok2 := p.Get("maxCount").Int()
		if ok1 && ok2 && lo > hi {
			e.report(ch, ch.Severity, p.at("minCount"), "node pool %q has minCount %d above maxCount %d", p.Name, lo, hi)
		}
	}
}

func rulePPG(e *eval, ch *check.Check) {
	for _, p := range e.c.Pools {
		v := p.Get("proximityPlacementGroupID")
		if v.IsNull() || (v.Str() == "" && v.Unknown == "") {
			continue
		}
		if n := len(p.Get("availabilityZones").Strings()); n > 1 {
			e.report(ch, check.Warning, p.at("proximityPlacementGroupID"), "node pool %q uses a proximity placement group across %d zones, which lowers its zone-based availability; use one zone", p.Name, n)
			continue
		}
		e.report(ch, ch.Severity, p.at("proximityPlacementGroupID"), "node pool %q uses a proximity placement group: lower latency, lower availability; keep it for latency-bound workloads", p.Name)
	}
}

func ruleSysctls(e *eval, ch *check.Check) {
	for _, p := range e.c.Pools {
		v := p.Get("kubeletConfig.allowedUnsafeSysctls")
		if s := v.Strings(); len(s) > 0 {
			e.report(ch, ch.Severity, p.at("kubeletConfig.allowedUnsafeSysctls"), "node pool %q lets pods set unsafe sysctls (%s)", p.Name, strings.Join(s, ", "))
		}
	}
}

// ---- Node pools ----

const criticalTaint = "CriticalAddonsOnly=true:NoSchedule"

func ruleSystemPool(e *eval, ch *check.Check) {
	var system, user int
	for _, p := range e.c.Pools {
		if !e.known(ch, p.Get("mode")) {
			return
		}
		switch strings.ToLower(p.Mode()) {
		case "system":
			system++
		case "user":
			user++
		}
	}
	if len(e.c.Pools) == 0 {
		return
	}
	if system == 0 {
		e.report(ch, ch.Severity, e.c.at("agentPoolProfiles"), "cluster %q has no node pool with mode System", e.c.Name)
	}
	if user == 0 {
		e.report(ch, ch.Severity, e.c.Pools[0].at("mode"), "cluster %q has no User node pool: applications run on the system pool; add a User pool", e.c.Name)
	}
	for _, p := range e.c.Pools {
		if !strings.EqualFold(p.Mode(), "System") {
			continue
		}
		if p.IsWindows() {
			e.report(ch, check.Error, p.at("osType"), "system node pool %q runs Windows; system pools must be Linux", p.Name)
		}
		taints := p.Get("nodeTaints")
		if !e.known(ch, taints) {
			continue
		}
		tainted := false
		for _, t := range taints.Strings() {
			tainted = tainted || strings.EqualFold(strings.ReplaceAll(t, " ", ""), criticalTaint)
		}
		if user > 0 && !tainted {
			e.report(ch, ch.Severity, p.at("nodeTaints"), "system node pool %q is not tainted %s, so application pods land on it too", p.Name, criticalTaint)
		}
		n, ok := p.Get("count").Int()
		if p.Get("enableAutoScaling").True() {
			n, ok = p.Get("minCount").Int()
		}
		if ok && n < 2 {
			field := "count"
			if p.Get("enableAutoScaling").True() {
				field = "minCount"
			}
			e.report(ch, ch.Severity, p.at(field), "system node pool %q can run on %d node(s); keep at least two (three recommended)", p.Name, n)
		}
	}
}

var gpuSize = regexp.MustCompile(`(?i)^standard_n[cdv]`)

func ruleGPUTaints(e *eval, ch *check.Check) {
	for _, p := range e.c.Pools {
		if gpuSize.MatchString(p.Get("vmSize").Str()) && len(p.Get("nodeTaints").Strings()) == 0 && !p.Get("nodeTaints").IsUnknown() {
			e.report(ch, ch.Severity, p.at("nodeTaints"), "GPU node pool %q (%s) has no taint: any pod can take its nodes", p.Name, p.Get("vmSize").Str())
		}
	}
}

func ruleFIPS(e *eval, ch *check.Check) {
	if e.profile != "regulated" {
		return
	}
	for _, p := range e.c.Pools {
		v := p.Get("enableFIPS")
		if !e.known(ch, v) || v.True() {
			continue
		}
		e.report(ch, ch.Severity, p.at("enableFIPS"), "node pool %q is not FIPS-enabled, which the regulated profile requires; create it with enableFIPS", p.Name)
	}
}

// ---- Upgrades ----

func ruleVersion(e *eval, ch *check.Check) {
	t, err := Versions()
	if err != nil {
		e.notes = append(e.notes, engine.Note{Level: engine.NoteError, Message: err.Error()})
		return
	}
	path := "currentKubernetesVersion"
	v := e.c.Get(path)
	if v.IsNull() || (v.Str() == "" && v.Unknown == "") {
		path = "kubernetesVersion"
		v = e.c.Get(path)
	}
	if !e.known(ch, v) {
		return
	}
	if stale, days := t.Stale(e.now); stale {
		e.notes = append(e.notes, engine.Note{File: e.c.Props.File, Level: engine.NoteWarning,
			Message: fmt.Sprintf("%s: the AKS version table is %d days old (as of %s, %s); newer minors may be out, so update kubevet", ch.ID, days, t.AsOf, t.Source)})
	}
	lts := strings.EqualFold(e.c.Get("supportPlan").Str(), "AKSLongTermSupport") && strings.EqualFold(e.c.GetRoot("sku.tier").Str(), "Premium")
	cp, cpErr := MinorOf(v.Str())
	if cpErr == nil {
		e.versionVerdict(ch, t, cp, lts, e.c.at(path), fmt.Sprintf("cluster %q", e.c.Name), v.Str())
	}
	for _, p := range e.c.Pools {
		pp := "currentOrchestratorVersion"
		pv := p.Get(pp)
		if pv.IsNull() || pv.Str() == "" {
			pp = "orchestratorVersion"
			pv = p.Get(pp)
		}
		if pv == nil || !e.known(ch, pv) {
			continue
		}
		pm, err := MinorOf(pv.Str())
		if err != nil {
			continue
		}
		if cpErr == nil {
			skew := 2
			if cp >= 28 {
				skew = 3
			}
			if cp-pm > skew {
				e.report(ch, ch.Severity, p.at(pp), "node pool %q runs 1.%d, %d minors behind the control plane's 1.%d; AKS allows %d", p.Name, pm, cp-pm, cp, skew)
				continue
			}
			if pm == cp {
				continue
			}
		}
		e.versionVerdict(ch, t, pm, lts, p.at(pp), fmt.Sprintf("node pool %q", p.Name), pv.Str())
	}
}

func (e *eval) versionVerdict(ch *check.Check, t *VersionTable, minor int, lts bool, at place, who, raw string) {
	s := t.Status(minor, e.now, lts)
	switch {
	case s.LTS:
		return
	case !s.Supported && s.Platform:
		e.report(ch, ch.Severity, at, "%s runs Kubernetes %s: AKS gives 1.%d platform support only (N-3; newest GA is 1.%d, table of %s); upgrade to 1.%d or later", who, raw, minor, s.Newest, t.AsOf, s.Newest-2)
	case !s.Supported:
		e.report(ch, ch.Severity, at, "%s runs Kubernetes %s, out of AKS support (newest GA is 1.%d, table of %s); upgrade to 1.%d or later", who, raw, s.Newest, t.AsOf, s.Newest-2)
	case !s.EOL.IsZero() && s.EOL.Sub(e.now) < 60*24*time.Hour:
		e.report(ch, lower(ch.Severity), at, "%s runs Kubernetes %s, whose AKS support ends on %s; plan the upgrade", who, raw, s.EOL.Format("2006-01-02"))
	}
}

// setting quotes a setting's value for a message, or says it is not set.
func setting(v *Node) string {
	if s := v.Str(); s != "" {
		return strconv.Quote(s)
	}
	return "not set"
}

func ruleUpgradeChannel(e *eval, ch *check.Check) {
	v := e.c.Get("autoUpgradeProfile.upgradeChannel")
	if !e.known(ch, v) {
		return
	}
	switch strings.ToLower(v.Str()) {
	case "patch", "stable", "rapid", "node-image":
		return
	}
	e.report(ch, ch.Severity, e.c.at("autoUpgradeProfile.upgradeChannel"), "cluster %q has no automatic upgrade channel (upgradeChannel %s); set patch or stable with a maintenance window", e.c.Name, setting(v))
}

func ruleNodeOS(e *eval, ch *check.Check) {
	v := e.c.Get("autoUpgradeProfile.nodeOSUpgradeChannel")
	if !e.known(ch, v) {
		return
	}
	windows := false
	for _, p := range e.c.Pools {
		windows = windows || p.IsWindows()
	}
	val := strings.ToLower(v.Str())
	if val == "" && strings.EqualFold(e.c.Get("autoUpgradeProfile.upgradeChannel").Str(), "node-image") {
		val = "nodeimage"
	}
	at := e.c.at("autoUpgradeProfile.nodeOSUpgradeChannel")
	switch val {
	case "", "nodeimage":
		return // NodeImage is the default
	case "securitypatch":
		if windows {
			e.report(ch, ch.Severity, at, "cluster %q has Windows pools and nodeOSUpgradeChannel SecurityPatch, which is not known to patch Windows nodes; use NodeImage", e.c.Name)
		}
	case "unmanaged":
		if windows {
			e.report(ch, ch.Severity, at, "cluster %q has Windows pools and nodeOSUpgradeChannel Unmanaged, which does nothing on Windows; use NodeImage", e.c.Name)
			return
		}
		e.report(ch, lower(ch.Severity), at, "cluster %q patches nodes Unmanaged: Linux updates without managed reboots; use NodeImage or SecurityPatch", e.c.Name)
	default:
		e.report(ch, ch.Severity, at, "cluster %q does not patch its node OS (nodeOSUpgradeChannel %s); use NodeImage", e.c.Name, v.Str())
	}
}

// ---- Security and governance ----

func ruleDashboard(e *eval, ch *check.Check) {
	if v := e.c.addon("kubeDashboard").Get("enabled"); v.True() {
		e.report(ch, ch.Severity, e.c.at("addonProfiles.kubeDashboard.enabled"), "cluster %q runs the Kubernetes dashboard add-on; disable it", e.c.Name)
	}
}

func ruleKMS(e *eval, ch *check.Check) {
	if e.profile == "dev" {
		return
	}
	kms := e.c.Get("securityProfile.azureKeyVaultKms")
	en := kms.Get("enabled")
	if !e.known(ch, en) {
		return
	}
	sev := ch.Severity
	if e.profile == "regulated" {
		sev = check.Warning
	}
	if !en.True() {
		e.report(ch, sev, e.c.at("securityProfile.azureKeyVaultKms.enabled"), "cluster %q encrypts Secrets in etcd with Microsoft-managed keys only; enable KMS with your Key Vault key", e.c.Name)
		return
	}
	if id := kms.Get("keyId"); id == nil || (id.Str() == "" && id.Unknown == "") {
		e.report(ch, sev, e.c.at("securityProfile.azureKeyVaultKms.keyId"), "cluster %q enables KMS without a keyId", e.c.Name)
	}
}

func ruleAzurePolicy(e *eval, ch *check.Check) {
	v := e.c.addon("azurepolicy").Get("enabled")
	if !e.known(ch, v) || v.True() {
		return
	}
	e.report(ch, ch.Severity, e.c.at("addonProfiles.azurepolicy.enabled"), "cluster %q has the Azure Policy add-on off; enable it to enforce the organisation's policies", e.c.Name)
}

func ruleDefender(e *eval, ch *check.Check) {
	d := e.c.Get("securityProfile.defender")
	en := d.Lookup("securityMonitoring.enabled")
	if !e.known(ch, en) {
		return
	}
	if !en.True() {
		e.report(ch, ch.Severity, e.c.at("securityProfile.defender.securityMonitoring.enabled"), "cluster %q has no Defender for Containers sensor; enable securityProfile.defender", e.c.Name)
		return
	}
	if ws := d.Get("logAnalyticsWorkspaceResourceId"); ws == nil || (ws.Str() == "" && ws.Unknown == "") {
		e.report(ch, ch.Severity, e.c.at("securityProfile.defender.logAnalyticsWorkspaceResourceId"), "cluster %q enables Defender without a Log Analytics workspace", e.c.Name)
	}
}

func rulePSP(e *eval, ch *check.Check) {
	if v := e.c.Get("enablePodSecurityPolicy"); v.True() {
		e.report(ch, ch.Severity, e.c.at("enablePodSecurityPolicy"), "cluster %q enables PodSecurityPolicy, removed in Kubernetes 1.25; remove it and use Pod Security Admission", e.c.Name)
	}
}

func ruleAuditLogs(e *eval, ch *check.Check) {
	a := e.c.Audit
	if a == nil || a.Enabled {
		return
	}
	if a.Setting != nil {
		e.report(ch, ch.Severity, place{File: a.Setting.File, Line: a.Setting.Line, Column: a.Setting.Column, Path: a.Setting.Path},
			"diagnostic setting %s of cluster %q does not send kube-audit or kube-audit-admin; add an enabled_log for one of them", a.Setting.Path, e.c.Name)
		return
	}
	e.report(ch, ch.Severity, place{File: e.c.Props.File, Line: e.c.Props.Line, Column: e.c.Props.Column, Path: e.c.Props.Path},
		"no azurerm_monitor_diagnostic_setting sends the audit logs (kube-audit-admin) of cluster %q anywhere; add one", e.c.Name)
}

// ---- Observability ----

func ruleContainerInsights(e *eval, ch *check.Check) {
	oms := e.c.addon("omsagent")
	en := oms.Get("enabled")
	if !e.known(ch, en) {
		return
	}
	if !en.True() {
		e.report(ch, ch.Severity, e.c.at("addonProfiles.omsagent.enabled"), "cluster %q does not collect container logs (Container Insights off); enable it or check that a log shipper runs", e.c.Name)
		return
	}
	if ws := oms.Lookup("config.logAnalyticsWorkspaceResourceID"); ws == nil || (ws.Str() == "" && ws.Unknown == "") {
		e.report(ch, ch.Severity, e.c.at("addonProfiles.omsagent.config.logAnalyticsWorkspaceResourceID"), "cluster %q enables Container Insights without a Log Analytics workspace", e.c.Name)
	}
}

func rulePrometheus(e *eval, ch *check.Check) {
	v := e.c.Get("azureMonitorProfile.metrics.enabled")
	if !e.known(ch, v) || v.True() {
		return
	}
	e.report(ch, ch.Severity, e.c.at("azureMonitorProfile.metrics.enabled"), "cluster %q has no managed Prometheus metrics; enable azureMonitorProfile.metrics unless you run your own Prometheus", e.c.Name)
}

func ruleTags(e *eval, ch *check.Check) {
	want := e.options(ch).Strings("tags")
	if len(want) == 0 {
		return
	}
	missing := func(tags *Node) []string {
		var out []string
		for _, w := range want {
			if tags.Get(w) == nil {
				out = append(out, w)
			}
		}
		return out
	}
	tags := e.c.GetRoot("tags")
	if !e.known(ch, tags) {
		return
	}
	if m := missing(tags); len(m) > 0 {
		e.report(ch, ch.Severity, e.c.atRoot("tags"), "cluster %q lacks the required tags %s", e.c.Name, strings.Join(m, ", "))
	}
	for _, p := range e.c.Pools {
		pt := p.Get("tags")
		if pt.IsUnknown() {
			continue
		}
		if m := missing(pt); len(m) > 0 {
			e.report(ch, check.Info, p.at("tags"), "node pool %q lacks the tags %s", p.Name, strings.Join(m, ", "))
		}
	}
}

// ---- Windows ----

// WindowsImageMismatch reports whether a Windows container image tag is
// built for another Windows Server version than a pool's osSKU (SPEC:
// Windows2019 runs only Windows2019 containers and vice versa). For joins
// of workloads with node pools.
func WindowsImageMismatch(osSKU, imageTag string) bool {
	tag := strings.ToLower(imageTag)
	switch strings.ToLower(osSKU) {
	case "windows2022":
		return strings.Contains(tag, "ltsc2019") || strings.Contains(tag, "1809")
	case "windows2019":
		return strings.Contains(tag, "ltsc2022")
	}
	return false
}

func ruleWindowsSKU(e *eval, ch *check.Check) {
	skus := map[string]bool{}
	var first *Pool
	for _, p := range e.c.Pools {
		if !p.IsWindows() {
			continue
		}
		v := p.Get("osSKU")
		if !e.known(ch, v) {
			return
		}
		if v.Str() == "" || strings.EqualFold(v.Str(), "Windows") {
			e.report(ch, ch.Severity, p.at("osSKU"), "Windows node pool %q does not pin its Windows version (osSKU); images must match it, so set Windows2022 (or the version your images use)", p.Name)
			continue
		}
		if first == nil {
			first = p
		}
		if len(skus) > 0 && !skus[strings.ToLower(v.Str())] {
			e.report(ch, ch.Severity, p.at("osSKU"), "Windows node pool %q runs %s while pool %q runs %s; pods need a node selector per Windows version", p.Name, v.Str(), first.Name, first.Get("osSKU").Str())
		}
		skus[strings.ToLower(v.Str())] = true
	}
}

func ruleWindowsCNI(e *eval, ch *check.Check) {
	plugin := e.c.Get("networkProfile.networkPlugin")
	if !e.known(ch, plugin) || strings.EqualFold(plugin.Str(), "azure") {
		return
	}
	for _, p := range e.c.Pools {
		if p.IsWindows() {
			e.report(ch, ch.Severity, p.at("osType"), "Windows node pool %q needs the Azure CNI network plugin, but the cluster uses %q", p.Name, plugin.Str())
		}
	}
}

func ruleWindowsNetPol(e *eval, ch *check.Check) {
	var win *Pool
	for _, p := range e.c.Pools {
		if p.IsWindows() && win == nil {
			win = p
		}
	}
	if win == nil {
		return
	}
	v := e.c.Get("networkProfile.networkPolicy")
	if !e.known(ch, v) {
		return
	}
	if s := strings.ToLower(v.Str()); s == "" || s == "none" {
		e.report(ch, ch.Severity, e.c.at("networkProfile.networkPolicy"), "cluster %q has Windows pools (%q) and no network policy: Windows pods' traffic is unrestricted; use calico or azure", e.c.Name, win.Name)
	}
}

func ruleGMSA(e *eval, ch *check.Check) {
	hasWin := false
	for _, p := range e.c.Pools {
		hasWin = hasWin || p.IsWindows()
	}
	v := e.c.Get("windowsProfile.gmsaProfile.enabled")
	if !hasWin || !e.known(ch, v) || v.True() {
		return
	}
	e.report(ch, ch.Severity, e.c.at("windowsProfile.gmsaProfile.enabled"), "cluster %q has Windows pools without gMSA; enable windowsProfile.gmsaProfile for apps that authenticate to Active Directory", e.c.Name)
}

// strconvQuote quotes a value, or says it is unset.
func strconvQuote(s string) string {
	if s == "" {
		return "unset, LocalUser by default"
	}
	return `"` + s + `"`
}
