// Package aks holds the metadata of the checks of AKS cluster configuration
// (spec sections 1.1 to 1.9, rules automatable from the ManagedCluster
// resource). They have no Run function: internal/aks reads az aks show
// output, ARM resources and templates, Terraform and plans, and evaluates
// them itself, reporting under these IDs.
package aks

import (
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// target says the checks read AKS cluster configuration, not manifests.
var target = check.Target{Desc: "AKS cluster configuration", Match: func(*manifest.Object) bool { return false }}

// Checks is the AKS domain's list, in catalog order.
var Checks = []*check.Check{
	EntraID, LocalAccounts, KubernetesRBAC, EntraGroups, ManagedIdentity, WorkloadIdentity, KeyVaultSecretsProvider,
	PrivateCluster, AuthorizedIPRanges, NodePublicIP, NodeSSHAccess, NetworkPlugin, SubnetSize, NetworkCIDRs,
	NetworkPolicy, IMDSRestriction, EgressLockdown,
	AvailabilityZones, SLATier, ClusterAutoscaler, ProximityPlacementGroup, UnsafeSysctls,
	SystemNodePool, GPUPoolTaints, FIPS,
	KubernetesVersion, AutoUpgradeChannel, NodeOSUpgrade,
	DashboardAddon, KMSEncryption, AzurePolicy, Defender, PodSecurityPolicy,
	AuditLogs, ContainerInsights, ManagedPrometheus, RequiredTags,
	WindowsOSSKU, WindowsCNI, WindowsNetworkPolicy, WindowsGMSA,
}

// EntraID is IAM-01.
var EntraID = &check.Check{
	ID: "aks-entra-id", Title: "Cluster does not use managed Entra ID integration", Severity: check.Warning, Refs: []string{"IAM-01"},
	Why: "Without Microsoft Entra ID integration every user of the API server holds a shared client certificate that cannot be revoked per person. " +
		"The legacy integration (aadProfile.managed false, clientAppID/serverAppID) is deprecated.",
	Fix: "Enable the managed integration: properties.aadProfile.managed: true (az aks update --enable-aad), or the azure_active_directory_role_based_access_control block in Terraform.",
	Example: `# ARM
"aadProfile": {"managed": true, "enableAzureRBAC": true, "adminGroupObjectIDs": ["<group id>"]}
# Terraform
azure_active_directory_role_based_access_control {
  azure_rbac_enabled     = true
  admin_group_object_ids = [var.aks_admins]
}`,
	Target: target,
}

// LocalAccounts is IAM-02.
var LocalAccounts = &check.Check{
	ID: "aks-local-accounts", Title: "Local cluster-admin accounts are enabled", Severity: check.Warning, Refs: []string{"IAM-02"},
	Why: "With local accounts, az aks get-credentials --admin hands out a static cluster-admin credential that bypasses Entra ID, its MFA and its audit.",
	Fix: "Set properties.disableLocalAccounts: true (Terraform local_account_disabled = true). It requires Entra ID integration.",
	Example: `"disableLocalAccounts": true
# Terraform
local_account_disabled = true`,
	Target: target,
}

// KubernetesRBAC is IAM-03.
var KubernetesRBAC = &check.Check{
	ID: "aks-kubernetes-rbac", Title: "Kubernetes RBAC is disabled", Severity: check.Error, Refs: []string{"IAM-03"},
	Why: "Without RBAC every authenticated identity can do everything in the cluster. An ARM template must say enableRBAC: true explicitly.",
	Fix: "Set properties.enableRBAC: true (Terraform role_based_access_control_enabled = true, the default). It can only be set when the cluster is created.",
	Example: `"enableRBAC": true
# Terraform
role_based_access_control_enabled = true`,
	Target: target,
}

// EntraGroups is IAM-04.
var EntraGroups = &check.Check{
	ID: "aks-entra-groups", Title: "Cluster access is not granted through Entra groups or Azure RBAC", Severity: check.Warning, Refs: []string{"IAM-04"},
	Why: "The guides ask to grant cluster roles to groups, not to individual users, so that joining or leaving a team is one change in Entra ID.",
	Fix: "Set aadProfile.enableAzureRBAC: true and assign the AKS RBAC roles to groups, or list admin groups in aadProfile.adminGroupObjectIDs.",
	Example: `"aadProfile": {"managed": true, "enableAzureRBAC": true}
# Terraform
azure_active_directory_role_based_access_control { azure_rbac_enabled = true }`,
	Target: target,
}

// ManagedIdentity is IAM-06.
var ManagedIdentity = &check.Check{
	ID: "aks-managed-identity", Title: "Cluster uses a service principal instead of a managed identity", Severity: check.Warning, Refs: []string{"IAM-06"},
	Why: "A service principal's secret expires and must be rotated by hand; a managed identity has no secret to leak or rotate.",
	Fix: "Use identity.type SystemAssigned or UserAssigned and no servicePrincipalProfile (clientId \"msi\"); in Terraform an identity block and no service_principal block.",
	Example: `"identity": {"type": "SystemAssigned"}
# Terraform
identity { type = "SystemAssigned" }`,
	Target: target,
}

// WorkloadIdentity is IAM-08.
var WorkloadIdentity = &check.Check{
	ID: "aks-workload-identity", Title: "Workload identity is not enabled", Severity: check.Warning, Refs: []string{"IAM-08"},
	Why: "Pods that call Azure need an identity; without workload identity they end up with stored secrets. AAD pod identity is superseded by workload identity.",
	Fix: "Enable securityProfile.workloadIdentity.enabled and oidcIssuerProfile.enabled (Terraform workload_identity_enabled and oidc_issuer_enabled), and disable podIdentityProfile.",
	Example: `"oidcIssuerProfile": {"enabled": true},
"securityProfile": {"workloadIdentity": {"enabled": true}}
# Terraform
oidc_issuer_enabled       = true
workload_identity_enabled = true`,
	Target: target,
}

// KeyVaultSecretsProvider is IAM-09.
var KeyVaultSecretsProvider = &check.Check{
	ID: "aks-key-vault-secrets-provider", Title: "Key Vault secrets provider is off or does not rotate secrets", Severity: check.Info, Refs: []string{"IAM-09"},
	Why: "The Secrets Store CSI driver add-on mounts secrets from Azure Key Vault instead of keeping them in Kubernetes Secrets; without rotation, a rotated secret is not picked up.",
	Fix: "Enable addonProfiles.azureKeyvaultSecretsProvider with config.enableSecretRotation \"true\" (Terraform key_vault_secrets_provider { secret_rotation_enabled = true }).",
	Example: `"addonProfiles": {"azureKeyvaultSecretsProvider": {"enabled": true, "config": {"enableSecretRotation": "true"}}}
# Terraform
key_vault_secrets_provider { secret_rotation_enabled = true }`,
	Target: target,
}

// PrivateCluster is NET-01.
var PrivateCluster = &check.Check{
	ID: "aks-private-cluster", Title: "API server is public where a private cluster is required", Severity: check.Error, Refs: []string{"NET-01"},
	Why: "A private cluster's API server has no public endpoint. The regulated profile (or the required option) requires it; a private cluster that also publishes a public FQDN leaks its private address in public DNS.",
	Fix: "Create the cluster with apiServerAccessProfile.enablePrivateCluster: true (Terraform private_cluster_enabled = true) and leave enablePrivateClusterPublicFQDN off.",
	Example: `"apiServerAccessProfile": {"enablePrivateCluster": true}
# Terraform
private_cluster_enabled = true`,
	Options: []check.Option{{Name: "required", Kind: check.Bool, Default: false, Doc: "Require a private cluster in every profile (the regulated profile always does)."}},
	Target:  target,
}

// AuthorizedIPRanges is NET-02.
var AuthorizedIPRanges = &check.Check{
	ID: "aks-authorized-ip-ranges", Title: "Public API server is open to every address", Severity: check.Warning, Refs: []string{"NET-02"},
	Why: "A public API server without authorized IP ranges (or with 0.0.0.0/0) accepts connections from the whole Internet.",
	Fix: "List your egress and admin ranges in apiServerAccessProfile.authorizedIPRanges (Terraform api_server_access_profile { authorized_ip_ranges }), or make the cluster private.",
	Example: `"apiServerAccessProfile": {"authorizedIPRanges": ["203.0.113.0/24"]}
# Terraform
api_server_access_profile { authorized_ip_ranges = ["203.0.113.0/24"] }`,
	Target: target,
}

// NodePublicIP is NET-03.
var NodePublicIP = &check.Check{
	ID: "aks-node-public-ip", Title: "Node pool gives every node a public IP", Severity: check.Warning, Refs: []string{"NET-03"},
	Why:     "Nodes with public IPs can be reached directly from the Internet; the guides ask for access through a bastion only.",
	Fix:     "Set enableNodePublicIP: false on the pool (Terraform node_public_ip_enabled = false; v3 enable_node_public_ip).",
	Example: `"agentPoolProfiles": [{"name": "system", "enableNodePublicIP": false}]`,
	Target:  target,
}

// NodeSSHAccess is NET-03.
var NodeSSHAccess = &check.Check{
	ID: "aks-node-ssh-access", Title: "Node pool allows SSH with local users", Severity: check.Info, Refs: []string{"NET-03"},
	Why:     "SSH to nodes with local keys (securityProfile.sshAccess LocalUser, the default) is a way around the cluster's access control; AKS can disable it or use Entra ID.",
	Fix:     "Set securityProfile.sshAccess to Disabled (or EntraId) on each pool: az aks nodepool update --ssh-access disabled. Terraform has no attribute for it yet.",
	Example: `"agentPoolProfiles": [{"name": "system", "securityProfile": {"sshAccess": "Disabled"}}]`,
	Target:  target,
}

// NetworkPlugin is NET-04.
var NetworkPlugin = &check.Check{
	ID: "aks-network-plugin", Title: "Cluster does not use Azure CNI", Severity: check.Warning, Refs: []string{"NET-04"},
	Why:     "kubenet retires on 2028-03-31, supports no Windows pools and needs a route per node; Azure CNI (Overlay or a pod subnet) is the recommended network model.",
	Fix:     "Use networkProfile.networkPlugin azure with networkPluginMode overlay (Terraform network_plugin = \"azure\", network_plugin_mode = \"overlay\"). kubenet clusters can be upgraded in place to Overlay.",
	Example: `"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay"}`,
	Target:  target,
}

// SubnetSize is NET-05.
var SubnetSize = &check.Check{
	ID: "aks-subnet-size", Title: "Node subnet or max pods cannot hold the node pools", Severity: check.Error, Refs: []string{"NET-05"},
	Why: "With legacy Azure CNI every node takes 1 + maxPods addresses of its subnet, including the surge nodes of an upgrade; a /25 holds only three such nodes. " +
		"maxPods must be 10 to 250, and a pool must have room for 30 pods.",
	Fix: "Give the pools a subnet of at least the prefix the message names, switch to Azure CNI Overlay (only nodes use the subnet), or lower maxPods.",
	Example: `resource "azurerm_subnet" "aks" {
  address_prefixes = ["10.10.0.0/21"]
}`,
	Target: target,
}

// NetworkCIDRs is NET-06.
var NetworkCIDRs = &check.Check{
	ID: "aks-network-cidrs", Title: "Service, pod and node address ranges overlap or are invalid", Severity: check.Error, Refs: []string{"NET-06"},
	Why:     "Overlapping service, pod and node ranges break routing; dnsServiceIP must be inside serviceCidr and not its first address (used by kubernetes.default); serviceCidr must be /13 or smaller.",
	Fix:     "Pick non-overlapping ranges, for example podCidr 10.244.0.0/16, serviceCidr 10.0.0.0/16 and dnsServiceIP 10.0.0.10, away from the VNet's ranges.",
	Example: `"networkProfile": {"serviceCidr": "10.0.0.0/16", "dnsServiceIP": "10.0.0.10", "podCidr": "10.244.0.0/16"}`,
	Target:  target,
}

// NetworkPolicy is NET-07.
var NetworkPolicy = &check.Check{
	ID: "aks-network-policy", Title: "No network-policy engine is enabled", Severity: check.Warning, Refs: []string{"NET-07"},
	Why:     "Without a network-policy engine Kubernetes NetworkPolicies are accepted and silently not enforced, and it can only be chosen when the cluster is created (cilium also needs the cilium dataplane).",
	Fix:     "Set networkProfile.networkPolicy to azure, calico or cilium (with networkDataplane cilium).",
	Example: `"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay", "networkPolicy": "cilium", "networkDataplane": "cilium"}`,
	Target:  target,
}

// IMDSRestriction is NET-09.
var IMDSRestriction = &check.Check{
	ID: "aks-imds-restriction", Title: "Pods can reach the node's instance metadata endpoint", Severity: check.Info, Refs: []string{"NET-09"},
	Why:     "Pods that reach IMDS (169.254.169.254) can take the node's managed-identity tokens. AKS can block it (networkProfile.podLinkLocalAccess None, preview), or an egress NetworkPolicy can.",
	Fix:     "Set networkProfile.podLinkLocalAccess: None (az aks update --enable-imds-restriction, preview, then reimage the nodes), or deny 169.254.169.254/32 with an egress NetworkPolicy in every namespace.",
	Example: `"networkProfile": {"podLinkLocalAccess": "None"}`,
	Target:  target,
}

// EgressLockdown is NET-10.
var EgressLockdown = &check.Check{
	ID: "aks-egress-lockdown", Title: "Egress does not go through a firewall", Severity: check.Info, Refs: []string{"NET-10"},
	Why:     "With outboundType userDefinedRouting the cluster's egress goes through your firewall, which can allow only the FQDNs AKS needs and stop data leaks. Required under the regulated profile.",
	Fix:     "Create the cluster with networkProfile.outboundType userDefinedRouting and a route table sending 0.0.0.0/0 to the firewall; kubevet plan egress lists the rules it needs.",
	Example: `"networkProfile": {"outboundType": "userDefinedRouting"}`,
	Target:  target,
}

// AvailabilityZones is DR-01.
var AvailabilityZones = &check.Check{
	ID: "aks-availability-zones", Title: "Node pool is not spread over availability zones", Severity: check.Warning, Refs: []string{"DR-01"},
	Why:     "A pool in one zone goes down with that zone's datacenter. Zones can only be chosen when the pool is created. (Regions without zones are not known to kubevet.)",
	Fix:     "Create each pool with availabilityZones [\"1\",\"2\",\"3\"] (Terraform zones = [\"1\", \"2\", \"3\"]).",
	Example: `"agentPoolProfiles": [{"name": "system", "availabilityZones": ["1", "2", "3"]}]`,
	Target:  target,
}

// SLATier is DR-02.
var SLATier = &check.Check{
	ID: "aks-sla-tier", Title: "Control plane has no uptime SLA (Free tier)", Severity: check.Warning, Refs: []string{"DR-02"},
	Why:     "The Free tier has no financially backed SLA for the API server; Standard gives 99.95% with zones. The production and regulated profiles require it.",
	Fix:     "Set sku.tier Standard (or Premium; Terraform sku_tier = \"Standard\"). The legacy value Paid counts as Standard.",
	Example: `"sku": {"name": "Base", "tier": "Standard"}`,
	Target:  target,
}

// ClusterAutoscaler is SCL-01.
var ClusterAutoscaler = &check.Check{
	ID: "aks-cluster-autoscaler", Title: "User node pool does not autoscale", Severity: check.Warning, Refs: []string{"SCL-01"},
	Why:     "Without the cluster autoscaler pending pods wait for someone to add nodes, and idle nodes keep costing.",
	Fix:     "Set enableAutoScaling: true with minCount <= maxCount on every User pool (Terraform auto_scaling_enabled, v3 enable_auto_scaling).",
	Example: `{"name": "apps", "mode": "User", "enableAutoScaling": true, "minCount": 2, "maxCount": 10}`,
	Target:  target,
}

// ProximityPlacementGroup is SCL-04.
var ProximityPlacementGroup = &check.Check{
	ID: "aks-proximity-placement-group", Title: "Node pool uses a proximity placement group", Severity: check.Info, Refs: []string{"SCL-04"},
	Why:     "A proximity placement group keeps nodes close for latency, but it lowers the zone-based availability; across several zones it works against itself.",
	Fix:     "Use a proximity placement group only for latency-bound pools, in a single zone, and keep other pools zone-redundant.",
	Example: `{"name": "lowlat", "availabilityZones": ["1"], "proximityPlacementGroupID": "<ppg id>"}`,
	Target:  target,
}

// UnsafeSysctls is SCL-05.
var UnsafeSysctls = &check.Check{
	ID: "aks-unsafe-sysctls", Title: "Node pool allows unsafe sysctls", Severity: check.Warning, Refs: []string{"SCL-05"},
	Why:     "kubeletConfig.allowedUnsafeSysctls lets pods change kernel settings that are not namespaced, affecting every pod on the node.",
	Fix:     "Remove allowedUnsafeSysctls, or keep such pools for the one workload that needs them, with a taint.",
	Example: `{"name": "apps", "kubeletConfig": {"cpuManagerPolicy": "static"}}`,
	Target:  target,
}

// SystemNodePool is NP-01.
var SystemNodePool = &check.Check{
	ID: "aks-system-node-pool", Title: "System and user node pools are not separated", Severity: check.Warning, Refs: []string{"NP-01"},
	Why:     "Application pods on the system pool compete with CoreDNS and metrics-server; AKS recommends a dedicated System pool (CriticalAddonsOnly taint, Linux, at least two nodes) and User pools for apps.",
	Fix:     "Keep one System pool tainted CriticalAddonsOnly=true:NoSchedule (Terraform only_critical_addons_enabled = true) with count >= 2, and add a User pool.",
	Example: `{"name": "system", "mode": "System", "count": 3, "nodeTaints": ["CriticalAddonsOnly=true:NoSchedule"]}`,
	Target:  target,
}

// GPUPoolTaints is NP-02.
var GPUPoolTaints = &check.Check{
	ID: "aks-gpu-pool-taints", Title: "GPU node pool has no taint", Severity: check.Info, Refs: []string{"NP-02"},
	Why:     "Without a taint any pod can land on an expensive GPU node and keep it from the workloads that need it.",
	Fix:     "Taint GPU pools (sku=gpu:NoSchedule) and give the GPU workloads a matching toleration and node selector.",
	Example: `{"name": "gpu", "vmSize": "Standard_NC6s_v3", "nodeTaints": ["sku=gpu:NoSchedule"]}`,
	Target:  target,
}

// FIPS is NP-03.
var FIPS = &check.Check{
	ID: "aks-fips", Title: "Node pool is not FIPS-enabled (regulated profile)", Severity: check.Warning, Refs: []string{"NP-03"},
	Why:     "Regulated industries often require FIPS 140 validated cryptography on nodes; AKS enables it per pool, only at creation.",
	Fix:     "Create pools with enableFIPS: true (Terraform fips_enabled = true). Checked under the regulated profile only.",
	Example: `{"name": "system", "enableFIPS": true}`,
	Target:  target,
}

// KubernetesVersion is UPG-01.
var KubernetesVersion = &check.Check{
	ID: "aks-kubernetes-version", Title: "Kubernetes version is out of AKS support", Severity: check.Error, Refs: []string{"UPG-01"},
	Why: "AKS supports the newest three GA minors (N to N-2); N-3 gets platform support only, and older clusters may be upgraded by force. " +
		"Node pools may lag the control plane by at most three minors (two before 1.28). kubevet ships the AKS calendar with its date; it warns when the table is older than 120 days.",
	Fix:     "Upgrade the control plane and then the node pools one minor at a time (az aks upgrade), or move to the LTS plan (supportPlan AKSLongTermSupport on the Premium tier).",
	Example: `"kubernetesVersion": "1.35"`,
	Target:  target,
}

// AutoUpgradeChannel is UPG-02.
var AutoUpgradeChannel = &check.Check{
	ID: "aks-auto-upgrade-channel", Title: "No automatic upgrade channel", Severity: check.Warning, Refs: []string{"UPG-02"},
	Why:     "Without an upgrade channel (the API default is none) the cluster stays on its patch version until someone upgrades it, and falls out of support.",
	Fix:     "Set autoUpgradeProfile.upgradeChannel to patch or stable (Terraform automatic_upgrade_channel, v3 automatic_channel_upgrade) with a maintenance window.",
	Example: `"autoUpgradeProfile": {"upgradeChannel": "patch", "nodeOSUpgradeChannel": "NodeImage"}`,
	Target:  target,
}

// NodeOSUpgrade is UPG-03 and WIN-05.
var NodeOSUpgrade = &check.Check{
	ID: "aks-node-os-upgrade", Title: "Node OS images are not patched automatically", Severity: check.Warning, Refs: []string{"UPG-03", "WIN-05"},
	Why:     "Nodes need their OS patched: None leaves them unpatched, Unmanaged patches Linux without reboots and does nothing on Windows, whose nodes get fixes only through new node images.",
	Fix:     "Set autoUpgradeProfile.nodeOSUpgradeChannel to NodeImage (or SecurityPatch for Linux-only clusters); Terraform node_os_upgrade_channel, v3 node_os_channel_upgrade.",
	Example: `"autoUpgradeProfile": {"nodeOSUpgradeChannel": "NodeImage"}`,
	Target:  target,
}

// DashboardAddon is SEC-01.
var DashboardAddon = &check.Check{
	ID: "aks-dashboard-addon", Title: "Kubernetes dashboard add-on is enabled", Severity: check.Error, Refs: []string{"SEC-01"},
	Why:     "The dashboard add-on runs with broad rights and has been a common way into clusters; AKS disallows it from 1.19.",
	Fix:     "Disable addonProfiles.kubeDashboard and use the Azure portal's Kubernetes resources view.",
	Example: `"addonProfiles": {"kubeDashboard": {"enabled": false}}`,
	Target:  target,
}

// KMSEncryption is SEC-02.
var KMSEncryption = &check.Check{
	ID: "aks-kms-etcd-encryption", Title: "Secrets are not encrypted with a customer key (KMS)", Severity: check.Info, Refs: []string{"SEC-02"},
	Why:     "etcd is encrypted at rest with Microsoft-managed keys; KMS with your own Key Vault key lets you control and revoke the key. A warning under the regulated profile.",
	Fix:     "Enable securityProfile.azureKeyVaultKms with keyId (Terraform key_management_service { key_vault_key_id }).",
	Example: `"securityProfile": {"azureKeyVaultKms": {"enabled": true, "keyId": "https://kv.vault.azure.net/keys/etcd/<version>", "keyVaultNetworkAccess": "Public"}}`,
	Target:  target,
}

// AzurePolicy is SEC-03.
var AzurePolicy = &check.Check{
	ID: "aks-azure-policy", Title: "Azure Policy add-on is not enabled", Severity: check.Warning, Refs: []string{"SEC-03"},
	Why:     "The Azure Policy add-on enforces and reports the organisation's rules (allowed registries, no privileged pods) in every cluster.",
	Fix:     "Enable addonProfiles.azurepolicy (Terraform azure_policy_enabled = true).",
	Example: `"addonProfiles": {"azurepolicy": {"enabled": true}}`,
	Target:  target,
}

// Defender is SEC-04.
var Defender = &check.Check{
	ID: "aks-defender", Title: "Microsoft Defender for Containers is not enabled", Severity: check.Warning, Refs: []string{"SEC-04"},
	Why:     "Defender's sensor finds threats at runtime and reports vulnerable images; it needs the security profile and a Log Analytics workspace. The subscription's Defender plan is not checked.",
	Fix:     "Enable securityProfile.defender.securityMonitoring with logAnalyticsWorkspaceResourceId (Terraform microsoft_defender { log_analytics_workspace_id }).",
	Example: `"securityProfile": {"defender": {"logAnalyticsWorkspaceResourceId": "<workspace id>", "securityMonitoring": {"enabled": true}}}`,
	Target:  target,
}

// PodSecurityPolicy is SEC-12.
var PodSecurityPolicy = &check.Check{
	ID: "aks-pod-security-policy", Title: "PodSecurityPolicy is enabled", Severity: check.Warning, Refs: []string{"SEC-12"},
	Why:     "PodSecurityPolicy is deprecated and removed in Kubernetes 1.25; a cluster with it enabled cannot upgrade. Pod Security Admission replaces it.",
	Fix:     "Remove enablePodSecurityPolicy and label namespaces with pod-security.kubernetes.io/enforce.",
	Example: `"enablePodSecurityPolicy": false`,
	Target:  target,
}

// AuditLogs is SEC-13.
var AuditLogs = &check.Check{
	ID: "aks-audit-logs", Title: "Cluster audit logs are not collected", Severity: check.Warning, Refs: []string{"SEC-13"},
	Why: "The API server's audit log (kube-audit, kube-audit-admin) records who did what in the cluster; AKS keeps it only when a diagnostic setting sends it to a workspace, storage account or Event Hub. " +
		"Checked in Terraform, where the diagnostic setting is part of the configuration; az aks show does not include it (az monitor diagnostic-settings list --resource <cluster id> does).",
	Fix: "Add an azurerm_monitor_diagnostic_setting whose target_resource_id is the cluster, with enabled_log { category = \"kube-audit-admin\" } (or kube-audit), and also kube-apiserver and guard.",
	Example: `resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-audit"
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.ws.id
  enabled_log { category = "kube-audit-admin" }
  enabled_log { category = "guard" }
}`,
	Target: target,
}

// ContainerInsights is OBS-01.
var ContainerInsights = &check.Check{
	ID: "aks-container-insights", Title: "Container logs are not collected (Container Insights off)", Severity: check.Warning, Refs: []string{"OBS-01"},
	Why:     "Without log collection, logs of crashed pods and nodes are lost. A third-party log shipper also meets the rule; kubevet cannot see it from the cluster configuration.",
	Fix:     "Enable addonProfiles.omsagent with config.logAnalyticsWorkspaceResourceID (Terraform oms_agent { log_analytics_workspace_id }).",
	Example: `"addonProfiles": {"omsagent": {"enabled": true, "config": {"logAnalyticsWorkspaceResourceID": "<workspace id>"}}}`,
	Target:  target,
}

// ManagedPrometheus is OBS-02.
var ManagedPrometheus = &check.Check{
	ID: "aks-managed-prometheus", Title: "Managed Prometheus metrics are not enabled", Severity: check.Info, Refs: []string{"OBS-02"},
	Why:     "Metrics are what alerts and capacity planning run on. A self-run Prometheus also meets the rule; kubevet cannot see it from the cluster configuration.",
	Fix:     "Enable azureMonitorProfile.metrics (Terraform monitor_metrics {}).",
	Example: `"azureMonitorProfile": {"metrics": {"enabled": true}}`,
	Target:  target,
}

// RequiredTags is GOV-01.
var RequiredTags = &check.Check{
	ID: "aks-required-tags", Title: "Cluster lacks required Azure tags", Severity: check.Warning, Refs: []string{"GOV-01"},
	Why: "Tags carry owner, cost centre and environment for billing and governance. Off until the required tag keys are configured; node pools without them are reported as info.",
	Fix: "Add the tags to the cluster resource (and to its node pools).",
	Example: `checks:
  aks-required-tags:
    enabled: true
    tags: [owner, costCenter, environment]`,
	Options:  []check.Option{{Name: "tags", Kind: check.StringList, Default: []string{}, Doc: "Tag keys every cluster must have (compared case-insensitively)."}},
	Disabled: true,
	Target:   target,
}

// WindowsOSSKU is WIN-01.
var WindowsOSSKU = &check.Check{
	ID: "aks-windows-os-sku", Title: "Windows node pools do not pin one Windows version", Severity: check.Info, Refs: []string{"WIN-01"},
	Why:     "A Windows container image must match the node's Windows version (ltsc2019 on Windows2019, ltsc2022 on Windows2022). Without osSKU the version follows the Kubernetes version's default, and pools of different versions need node selectors per version.",
	Fix:     "Set osSKU on every Windows pool, one version per cluster where possible, and build images for that version.",
	Example: `{"name": "win", "osType": "Windows", "osSKU": "Windows2022"}`,
	Target:  target,
}

// WindowsCNI is WIN-04.
var WindowsCNI = &check.Check{
	ID: "aks-windows-cni", Title: "Windows node pool without Azure CNI", Severity: check.Error, Refs: []string{"WIN-04", "NET-04"},
	Why:     "Windows node pools require the Azure CNI network plugin.",
	Fix:     "Use networkProfile.networkPlugin azure (Overlay or a pod subnet) for clusters with Windows pools.",
	Example: `"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay"}`,
	Target:  target,
}

// WindowsNetworkPolicy is WIN-06.
var WindowsNetworkPolicy = &check.Check{
	ID: "aks-windows-network-policy", Title: "Windows pods' traffic is not restricted by network policy", Severity: check.Warning, Refs: []string{"WIN-06"},
	Why:     "With Windows pools and no network-policy engine, Windows pods can talk to everything; Calico and Azure network policy support Windows nodes.",
	Fix:     "Set networkProfile.networkPolicy to calico or azure when the cluster has Windows pools.",
	Example: `"networkProfile": {"networkPlugin": "azure", "networkPolicy": "calico"}`,
	Target:  target,
}

// WindowsGMSA is WIN-07.
var WindowsGMSA = &check.Check{
	ID: "aks-windows-gmsa", Title: "Windows pools without gMSA where AD authentication is needed", Severity: check.Info, Refs: []string{"WIN-07"},
	Why:      "Windows apps that authenticate to Active Directory need group managed service accounts; AKS enables them with windowsProfile.gmsaProfile. Off until enabled in the configuration, for clusters whose Windows apps use AD.",
	Fix:      "Set windowsProfile.gmsaProfile.enabled: true (az aks update --enable-windows-gmsa; Terraform windows_profile { gmsa { } }).",
	Example:  `"windowsProfile": {"adminUsername": "azureuser", "gmsaProfile": {"enabled": true}}`,
	Disabled: true,
	Target:   target,
}
