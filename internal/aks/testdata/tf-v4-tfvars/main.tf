# Values come from terraform.tfvars and *.auto.tfvars, which Terraform
# loads by itself; the later file wins.
variable "tier" { type = string }
variable "nodes" {
  type    = number
  default = 1
}
variable "private" { type = bool }
variable "plugin_mode" { type = string }

resource "azurerm_kubernetes_cluster" "vals" {
  name                      = "vals"
  sku_tier                  = var.tier
  private_cluster_enabled   = var.private
  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "NodeImage"
  local_account_disabled    = true
  workload_identity_enabled = true
  oidc_issuer_enabled       = true
  azure_policy_enabled      = true
  kubernetes_version        = "1.36"

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4ds_v5"
    node_count                   = var.nodes
    only_critical_addons_enabled = true
    zones                        = ["1", "2", "3"]
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = var.plugin_mode
    network_policy      = "azure"
    outbound_type       = "userDefinedRouting"
  }
}
