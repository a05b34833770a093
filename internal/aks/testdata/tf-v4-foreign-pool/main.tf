# One cluster declared here, and a pool added to another cluster that is
# only read through a data source: the pool is not this cluster's.
data "azurerm_kubernetes_cluster" "shared" {
  name                = "shared"
  resource_group_name = "rg-shared"
}

resource "azurerm_kubernetes_cluster" "own" {
  name                      = "own"
  sku_tier                  = "Standard"
  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "NodeImage"
  local_account_disabled    = true
  workload_identity_enabled = true
  oidc_issuer_enabled       = true
  azure_policy_enabled      = true
  private_cluster_enabled   = true
  kubernetes_version        = "1.36"

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4ds_v5"
    node_count                   = 3
    only_critical_addons_enabled = true
    zones                        = ["1", "2", "3"]
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin = "azure"
    network_policy = "azure"
    outbound_type  = "userDefinedRouting"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "elsewhere" {
  name                  = "elsewhere"
  kubernetes_cluster_id = data.azurerm_kubernetes_cluster.shared.id
  vm_size               = "Standard_D4ds_v5"
  node_count            = 1
  node_public_ip_enabled = true
}
