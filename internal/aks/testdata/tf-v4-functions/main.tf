# Settings computed with Terraform's functions, as modules do.
variable "environment" {
  type    = string
  default = "prod"
}
variable "overrides" {
  type    = any
  default = { network = { policy = "cilium" } }
}
locals {
  tiers = { prod = "Standard", dev = "Free" }
  tier  = lookup(local.tiers, var.environment, "Free")
  zones = [for z in range(1, 4) : tostring(z)]
}

resource "azurerm_kubernetes_cluster" "fn" {
  name                      = lower("FN-${var.environment}")
  sku_tier                  = local.tier
  automatic_upgrade_channel = coalesce(null, "patch")
  node_os_upgrade_channel   = "NodeImage"
  local_account_disabled    = contains(["prod"], var.environment)
  workload_identity_enabled = true
  oidc_issuer_enabled       = true
  azure_policy_enabled      = true
  private_cluster_enabled   = true
  kubernetes_version        = "1.36"

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4ds_v5"
    node_count                   = max(3, length(local.zones))
    only_critical_addons_enabled = true
    zones                        = local.zones
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin     = "azure"
    network_policy     = try(var.overrides.network.policy, "azure")
    network_data_plane = try(var.overrides.network.dataplane, "cilium")
    outbound_type      = "userDefinedRouting"
  }
}
