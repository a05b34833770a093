# count and for_each, read from variable defaults: one cluster (the other
# has count = 0), two subnets and two user pools from maps.
variable "create" {
  type    = bool
  default = true
}
variable "subnets" {
  type = map(string)
  default = {
    nodes = "10.10.0.0/22"
    spare = "10.10.8.0/24"
  }
}
variable "pools" {
  type = map(object({ zones = list(string), max = number }))
  default = {
    apps = { zones = ["1", "2", "3"], max = 10 }
    jobs = { zones = [], max = 4 }
  }
}

resource "azurerm_subnet" "net" {
  for_each         = var.subnets
  name             = each.key
  address_prefixes = [each.value]
}

resource "azurerm_kubernetes_cluster" "main" {
  count                     = var.create ? 1 : 0
  name                      = "inst"
  sku_tier                  = "Standard"
  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "NodeImage"
  local_account_disabled    = true
  workload_identity_enabled = true
  oidc_issuer_enabled       = true
  azure_policy_enabled      = true
  private_cluster_enabled   = true
  kubernetes_version        = "1.36"
  tags                      = { owner = "team", env = "prod" }

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4ds_v5"
    node_count                   = 3
    only_critical_addons_enabled = true
    zones                        = ["1", "2", "3"]
    vnet_subnet_id               = azurerm_subnet.net["nodes"].id
    host_encryption_enabled      = true
    fips_enabled                 = true
    tags                         = { owner = "team", env = "prod" }
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin = "azure"
    network_policy = "azure"
    outbound_type  = "userDefinedRouting"
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = true
  }
  oms_agent {
    log_analytics_workspace_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law"
  }
  microsoft_defender {
    log_analytics_workspace_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law"
  }
  key_vault_secrets_provider {
    secret_rotation_enabled = true
  }
}

resource "azurerm_kubernetes_cluster" "off" {
  count = 0
  name  = "never-created"
  default_node_pool {
    name       = "one"
    node_count = 1
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  for_each              = var.pools
  name                  = each.key
  kubernetes_cluster_id = azurerm_kubernetes_cluster.main[0].id
  vm_size               = "Standard_D4ds_v5"
  auto_scaling_enabled  = true
  min_count             = 1
  max_count             = each.value.max
  zones                 = each.value.zones
  vnet_subnet_id        = azurerm_subnet.net["nodes"].id
  fips_enabled          = true
  tags                  = { owner = "team", env = "prod" }
}

resource "azurerm_monitor_diagnostic_setting" "audit" {
  name               = "audit"
  target_resource_id = azurerm_kubernetes_cluster.main[0].id
  enabled_log {
    category = "kube-audit-admin"
  }
}
