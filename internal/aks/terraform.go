package aks

import (
	"regexp"
	"strings"
)

// TFResource is one Terraform resource, from .tf files (parsed by
// internal/aks/terraform) or from a terraform show -json plan. Body holds
// its attributes by their Terraform names; nested blocks are lists of maps
// (as in plan JSON). A value that is a reference the reader could not
// resolve is a Node with Unknown set to the expression text
// (azurerm_subnet.aks.id).
type TFResource struct {
	Type, Name string
	// Address is the resource address (module.net.azurerm_subnet.aks).
	Address string
	Body    *Node
}

// Terraform resource types read.
const (
	TFCluster  = "azurerm_kubernetes_cluster"
	TFNodePool = "azurerm_kubernetes_cluster_node_pool"
	TFSubnet   = "azurerm_subnet"
	TFDiag     = "azurerm_monitor_diagnostic_setting"
)

// tfGet follows a dotted path of Terraform names, stepping into the first
// element of a block list.
func tfGet(n *Node, path string) *Node {
	cur := n
	for _, k := range strings.Split(path, ".") {
		if cur != nil && cur.Kind == List {
			if len(cur.Items) == 0 {
				return nil
			}
			cur = cur.Items[0]
		}
		if cur == nil || cur.Unknown != "" {
			return cur
		}
		cur = cur.Get(k)
	}
	if cur != nil && cur.Kind == Null {
		return nil
	}
	return cur
}

// tfBlock returns a nested block (the first, if repeated), nil when absent
// or empty.
func tfBlock(n *Node, path string) *Node {
	b := tfGet(n, path)
	if b != nil && b.Kind == List {
		if len(b.Items) == 0 {
			return nil
		}
		return b.Items[0]
	}
	return b
}

// tfMapping maps an ARM path (relative to properties, or to the pool) to
// Terraform names, newest first (spec §4; azurerm v4 renamed several,
// §0.4-3).
type tfMapping struct {
	arm string
	tf  []string
}

var tfClusterMap = []tfMapping{
	{"aadProfile.enableAzureRBAC", []string{"azure_active_directory_role_based_access_control.azure_rbac_enabled"}},
	{"aadProfile.adminGroupObjectIDs", []string{"azure_active_directory_role_based_access_control.admin_group_object_ids"}},
	{"disableLocalAccounts", []string{"local_account_disabled"}},
	{"enableRBAC", []string{"role_based_access_control_enabled"}},
	{"servicePrincipalProfile.clientId", []string{"service_principal.client_id"}},
	{"securityProfile.workloadIdentity.enabled", []string{"workload_identity_enabled"}},
	{"oidcIssuerProfile.enabled", []string{"oidc_issuer_enabled"}},
	{"addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation", []string{"key_vault_secrets_provider.secret_rotation_enabled"}},
	{"apiServerAccessProfile.enablePrivateCluster", []string{"private_cluster_enabled"}},
	{"apiServerAccessProfile.enablePrivateClusterPublicFQDN", []string{"private_cluster_public_fqdn_enabled"}},
	{"apiServerAccessProfile.authorizedIPRanges", []string{"api_server_access_profile.authorized_ip_ranges", "api_server_authorized_ip_ranges"}},
	{"networkProfile.networkPlugin", []string{"network_profile.network_plugin"}},
	{"networkProfile.networkPluginMode", []string{"network_profile.network_plugin_mode"}},
	{"networkProfile.networkPolicy", []string{"network_profile.network_policy"}},
	{"networkProfile.networkDataplane", []string{"network_profile.network_data_plane", "network_profile.ebpf_data_plane"}},
	{"networkProfile.podCidr", []string{"network_profile.pod_cidr"}},
	{"networkProfile.serviceCidr", []string{"network_profile.service_cidr"}},
	{"networkProfile.dnsServiceIP", []string{"network_profile.dns_service_ip"}},
	{"networkProfile.outboundType", []string{"network_profile.outbound_type"}},
	{"kubernetesVersion", []string{"kubernetes_version"}},
	{"currentKubernetesVersion", []string{"current_kubernetes_version"}},
	{"supportPlan", []string{"support_plan"}},
	{"autoUpgradeProfile.upgradeChannel", []string{"automatic_upgrade_channel", "automatic_channel_upgrade"}},
	{"autoUpgradeProfile.nodeOSUpgradeChannel", []string{"node_os_upgrade_channel", "node_os_channel_upgrade"}},
	{"addonProfiles.kubeDashboard.enabled", []string{"addon_profile.kube_dashboard.enabled"}},
	{"securityProfile.azureKeyVaultKms.keyId", []string{"key_management_service.key_vault_key_id"}},
	{"addonProfiles.azurepolicy.enabled", []string{"azure_policy_enabled", "addon_profile.azure_policy.enabled"}},
	{"securityProfile.defender.logAnalyticsWorkspaceResourceId", []string{"microsoft_defender.log_analytics_workspace_id"}},
	{"addonProfiles.omsagent.config.logAnalyticsWorkspaceResourceID", []string{"oms_agent.log_analytics_workspace_id", "addon_profile.oms_agent.log_analytics_workspace_id"}},
	{"enablePodSecurityPolicy", []string{"enable_pod_security_policy"}},
}

// Blocks whose presence enables a feature (ARM path of the flag, Terraform
// block).
var tfPresence = []tfMapping{
	{"addonProfiles.azureKeyvaultSecretsProvider.enabled", []string{"key_vault_secrets_provider"}},
	{"securityProfile.azureKeyVaultKms.enabled", []string{"key_management_service"}},
	{"securityProfile.defender.securityMonitoring.enabled", []string{"microsoft_defender"}},
	{"addonProfiles.omsagent.enabled", []string{"oms_agent"}},
	{"azureMonitorProfile.metrics.enabled", []string{"monitor_metrics"}},
	{"windowsProfile.gmsaProfile.enabled", []string{"windows_profile.gmsa"}},
}

var tfRootMap = []tfMapping{
	{"sku.tier", []string{"sku_tier"}},
	{"identity.type", []string{"identity.type"}},
	{"tags", []string{"tags"}},
	{"name", []string{"name"}},
}

var tfPoolMap = []tfMapping{
	{"name", []string{"name"}},
	{"count", []string{"node_count"}},
	{"minCount", []string{"min_count"}},
	{"maxCount", []string{"max_count"}},
	{"enableAutoScaling", []string{"auto_scaling_enabled", "enable_auto_scaling"}},
	{"maxPods", []string{"max_pods"}},
	{"vnetSubnetID", []string{"vnet_subnet_id"}},
	{"podSubnetID", []string{"pod_subnet_id"}},
	{"upgradeSettings.maxSurge", []string{"upgrade_settings.max_surge"}},
	{"enableNodePublicIP", []string{"node_public_ip_enabled", "enable_node_public_ip"}},
	{"availabilityZones", []string{"zones", "availability_zones"}},
	{"vmSize", []string{"vm_size"}},
	{"mode", []string{"mode"}},
	{"nodeTaints", []string{"node_taints"}},
	{"osType", []string{"os_type"}},
	{"osSKU", []string{"os_sku"}},
	{"enableFIPS", []string{"fips_enabled"}},
	{"orchestratorVersion", []string{"orchestrator_version"}},
	{"currentOrchestratorVersion", []string{"current_orchestrator_version"}},
	{"proximityPlacementGroupID", []string{"proximity_placement_group_id"}},
	{"kubeletConfig.allowedUnsafeSysctls", []string{"kubelet_config.allowed_unsafe_sysctls"}},
	{"tags", []string{"tags"}},
}

// put stores v at an ARM path under n, creating the maps on the way at the
// position of at.
func put(n *Node, path string, v *Node, at *Node) {
	parts := strings.Split(path, ".")
	cur := n
	for _, k := range parts[:len(parts)-1] {
		next := cur.Get(k)
		if next == nil {
			next = &Node{Kind: Map, File: at.File, Line: at.Line, Column: at.Column, Path: at.Path}
			cur.Set(k, next)
		}
		cur = next
	}
	cur.Set(parts[len(parts)-1], v)
}

// unknownAt is an unknown scalar at a block whose presence is unknown.
func unknownAt(blk *Node) *Node {
	return &Node{Kind: Scalar, Unknown: blk.MaybeAbsent, File: blk.File, Line: blk.Line, Column: blk.Column, Path: blk.Path}
}

func synthTrue(at *Node) *Node {
	return &Node{Kind: Scalar, Tag: "bool", Value: "true", File: at.File, Line: at.Line, Column: at.Column, Path: at.Path}
}

// applyMap copies the mapped Terraform values of body into dst and records
// the Terraform spelling of every ARM path (prefix + arm) in names.
func applyMap(dst, body *Node, maps []tfMapping, addr, prefix string, names map[string]string, anchor func(tfPath string) *Node) {
	for _, m := range maps {
		names[strings.ToLower(prefix+m.arm)] = addr + "." + m.tf[0]
		for _, t := range m.tf {
			if v := tfGet(body, t); v != nil {
				put(dst, m.arm, v, anchor(t))
				break
			}
		}
	}
}

// anchorIn returns the node that a created parent map sits on: the
// enclosing Terraform block when there is one, else the resource.
func anchorIn(body *Node) func(string) *Node {
	return func(t string) *Node {
		if i := strings.LastIndex(t, "."); i > 0 {
			if b := tfBlock(body, t[:i]); b != nil {
				return b
			}
		}
		return body
	}
}

var (
	// A reference may name an instance: azurerm_subnet.aks[0].id,
	// azurerm_subnet.aks["nodes"].id.
	tfRefCluster = regexp.MustCompile(`^azurerm_kubernetes_cluster\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.id$`)
	tfRefSubnet  = regexp.MustCompile(`^azurerm_subnet\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.id$`)
)

// ClustersFromTerraform builds clusters from Terraform resources: each
// azurerm_kubernetes_cluster with its default_node_pool, the
// azurerm_kubernetes_cluster_node_pool resources that point at it, and the
// address prefixes of the azurerm_subnet resources the pools use.
func ClustersFromTerraform(res []TFResource) []*Cluster {
	var clusters []*Cluster
	byName := map[string]*Cluster{}
	subnets := map[string]*Node{} // resource name and name attribute -> prefix node
	for _, r := range res {
		if r.Type != TFSubnet {
			continue
		}
		if pre := tfGet(r.Body, "address_prefixes"); pre != nil && pre.Kind == List && len(pre.Items) > 0 {
			subnets["res:"+r.Name] = pre.Items[0]
			subnets["addr:"+r.Address] = pre.Items[0]
			if n := tfGet(r.Body, "name").Str(); n != "" {
				subnets["name:"+strings.ToLower(n)] = pre.Items[0]
			}
		}
	}
	subnetOf := func(p *Pool) {
		id := p.Get("vnetSubnetID")
		if id == nil {
			return
		}
		if m := tfRefSubnet.FindStringSubmatch(id.Unknown); m != nil {
			p.SubnetPrefix = subnets["addr:"+strings.TrimSuffix(id.Unknown, ".id")]
			if p.SubnetPrefix == nil {
				p.SubnetPrefix = subnets["res:"+m[1]]
			}
		} else if s := id.Str(); s != "" {
			p.SubnetPrefix = subnets["name:"+strings.ToLower(s[strings.LastIndex(s, "/")+1:])]
		}
	}
	for _, r := range res {
		if r.Type != TFCluster {
			continue
		}
		b := r.Body
		names := map[string]string{}
		props := &Node{Kind: Map, File: b.File, Line: b.Line, Column: b.Column, Path: r.Address}
		root := &Node{Kind: Map, File: b.File, Line: b.Line, Column: b.Column, Path: r.Address}
		applyMap(props, b, tfClusterMap, r.Address, "properties.", names, anchorIn(b))
		applyMap(root, b, tfRootMap, r.Address, "", names, anchorIn(b))
		for _, m := range tfPresence {
			names[strings.ToLower("properties."+m.arm)] = r.Address + "." + m.tf[0]
			if blk := tfBlock(b, m.tf[0]); blk != nil {
				on := synthTrue(blk)
				if blk.MaybeAbsent != "" {
					on = unknownAt(blk) // a dynamic block with an unknown for_each
				}
				put(props, m.arm, on, blk)
			}
		}
		// Entra ID: the block means a managed integration in azurerm v4
		// (v3 had managed = true|false; v4 dropped legacy integration).
		names["properties.aadprofile"] = r.Address + ".azure_active_directory_role_based_access_control"
		names["properties.aadprofile.managed"] = r.Address + ".azure_active_directory_role_based_access_control"
		if blk := tfBlock(b, "azure_active_directory_role_based_access_control"); blk != nil {
			managed := blk.Get("managed")
			if blk.MaybeAbsent != "" {
				managed = unknownAt(blk)
			} else if managed == nil {
				managed = synthTrue(blk)
			}
			put(props, "aadProfile.managed", managed, blk)
		}
		// Terraform has no "msi" client: a service_principal block is a
		// service principal, whatever its client_id refers to
		// (azuread_application.aks.client_id).
		if sp := props.Lookup("servicePrincipalProfile.clientId"); sp != nil && sp.Unknown != "" && sp.Kind == Scalar {
			known := *sp
			known.Tag, known.Value, known.Unknown = "str", sp.Unknown, ""
			props.Get("servicePrincipalProfile").Set("clientId", &known)
		}
		names["identity"] = r.Address + ".identity"
		names["properties.agentpoolprofiles"] = r.Address + ".default_node_pool"
		root.Set("properties", props)
		c := &Cluster{Name: r.Name, Source: Terraform, Root: root, Props: props, names: names}
		if n := tfGet(b, "name").Str(); n != "" {
			c.Name = n
		}
		if dp := tfBlock(b, "default_node_pool"); dp != nil {
			p := tfPool(dp, r.Address+".default_node_pool", true)
			subnetOf(p)
			c.Pools = append(c.Pools, p)
		}
		clusters = append(clusters, c)
		byName[r.Name] = c
	}
	if len(clusters) == 0 {
		return nil
	}
	for _, c := range clusters {
		c.Audit = &AuditLogs{}
	}
	for _, r := range res {
		if r.Type != TFDiag {
			continue
		}
		owner := clusters[0]
		if id := tfGet(r.Body, "target_resource_id"); id != nil {
			m := tfRefCluster.FindStringSubmatch(id.Unknown)
			switch {
			case m != nil && byName[m[1]] != nil:
				owner = byName[m[1]]
			case m == nil && !strings.Contains(strings.ToLower(id.Str()+id.Unknown), "managedclusters") && !strings.Contains(id.Unknown, TFCluster):
				continue // another resource's logs
			}
		}
		if auditEnabled(r.Body) {
			owner.Audit.Enabled = true
		} else if owner.Audit.Setting == nil {
			owner.Audit.Setting = r.Body
		}
	}
	for _, r := range res {
		if r.Type != TFNodePool {
			continue
		}
		owner := clusters[0]
		if id := tfGet(r.Body, "kubernetes_cluster_id"); id != nil {
			if m := tfRefCluster.FindStringSubmatch(id.Unknown); m != nil && byName[m[1]] != nil {
				owner = byName[m[1]]
			} else if strings.HasPrefix(id.Unknown, "data.") || strings.HasPrefix(id.Unknown, "module.") {
				continue // a pool of a cluster declared elsewhere
			} else if s := id.Str(); s != "" {
				for _, c := range clusters {
					if strings.EqualFold(c.Name, s[strings.LastIndex(s, "/")+1:]) {
						owner = c
					}
				}
			}
		}
		p := tfPool(r.Body, r.Address, false)
		subnetOf(p)
		owner.Pools = append(owner.Pools, p)
	}
	return clusters
}

// tfPool maps a default_node_pool block or a node-pool resource.
func tfPool(b *Node, addr string, system bool) *Pool {
	names := map[string]string{}
	n := &Node{Kind: Map, File: b.File, Line: b.Line, Column: b.Column, Path: addr}
	applyMap(n, b, tfPoolMap, addr, "", names, anchorIn(b))
	if system {
		// default_node_pool is always the System pool; only_critical_addons_enabled
		// sets the CriticalAddonsOnly=true:NoSchedule taint.
		n.Set("mode", &Node{Kind: Scalar, Tag: "str", Value: "System", File: b.File, Line: b.Line, Column: b.Column, Path: addr})
		names["nodetaints"] = addr + ".only_critical_addons_enabled"
		if oc := tfGet(b, "only_critical_addons_enabled"); oc != nil {
			if oc.True() {
				t := *oc
				t.Kind, t.Tag, t.Value = Scalar, "str", "CriticalAddonsOnly=true:NoSchedule"
				n.Set("nodeTaints", &Node{Kind: List, File: oc.File, Line: oc.Line, Column: oc.Column, Path: oc.Path, Items: []*Node{&t}})
			} else if oc.Unknown != "" {
				n.Set("nodeTaints", oc)
			}
		}
	} else if n.Get("mode") == nil {
		names["mode"] = addr + ".mode"
		n.Set("mode", &Node{Kind: Scalar, Tag: "str", Value: "User", File: b.File, Line: b.Line, Column: b.Column, Path: addr})
	}
	return &Pool{Name: n.Get("name").Str(), Node: n, names: names}
}

// planResources lists the resources of a terraform show -json plan
// (planned_values.root_module and its child modules).
func planResources(plan *Node) []TFResource {
	var out []TFResource
	var walk func(m *Node)
	walk = func(m *Node) {
		if m == nil {
			return
		}
		if rs := m.Get("resources"); rs != nil {
			for _, r := range rs.Items {
				if r.Get("mode").Str() == "data" {
					continue
				}
				addr := r.Get("address").Str()
				body := r.Get("values")
				if body == nil {
					body = &Node{Kind: Map, File: r.File, Line: r.Line, Column: r.Column}
				}
				reroot(body, addr)
				// Place the resource itself at its address line.
				if a := r.Get("address"); a != nil {
					body.Line, body.Column = a.Line, a.Column
				}
				out = append(out, TFResource{Type: r.Get("type").Str(), Name: r.Get("name").Str(), Address: addr, Body: body})
			}
		}
		if cm := m.Get("child_modules"); cm != nil {
			for _, c := range cm.Items {
				walk(c)
			}
		}
	}
	walk(plan.Lookup("planned_values.root_module"))
	return out
}

// auditEnabled reports whether a diagnostic setting enables the AKS audit
// logs: enabled_log (v4) or log with enabled = true (v3) blocks of category
// kube-audit or kube-audit-admin, or of category group audit or allLogs.
func auditEnabled(b *Node) bool {
	for _, blk := range []string{"enabled_log", "log"} {
		l := b.Get(blk)
		if l == nil {
			continue
		}
		items := l.Items
		if l.Kind == Map {
			items = []*Node{l}
		}
		for _, it := range items {
			if blk == "log" {
				if en := it.Get("enabled"); en != nil && !en.True() {
					continue
				}
			}
			switch strings.ToLower(it.Get("category").Str()) {
			case "kube-audit", "kube-audit-admin":
				return true
			}
			switch strings.ToLower(it.Get("category_group").Str()) {
			case "audit", "alllogs":
				return true
			}
		}
	}
	return false
}
