# The staging cluster of the shop, from the team's Terraform (azurerm v4).
resource "azurerm_kubernetes_cluster" "staging" {
  name                = "aks-shop-staging"
  location            = "westeurope"
  resource_group_name = "rg-shop-staging"
  dns_prefix          = "aks-shop-staging"
  kubernetes_version  = "1.35"
  sku_tier            = "Standard"

  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "NodeImage"
  local_account_disabled    = true
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
  azure_policy_enabled      = true

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4s_v5"
    node_count                   = 3
    zones                        = ["1", "2", "3"]
    only_critical_addons_enabled = true
  }

  identity {
    type = "SystemAssigned"
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = ["6f3c9c1e-0000-0000-0000-3a1d2b4c5d6e"]
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_policy      = "azure"
    outbound_type       = "loadBalancer"
  }

  tags = {
    owner = "team-shop"
    env   = "staging"
  }
}

# Linux only: the shop's Windows service has no pool to run on here.
resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  name                  = "apps"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.staging.id
  vm_size               = "Standard_D8s_v5"
  mode                  = "User"
  auto_scaling_enabled  = true
  min_count             = 2
  max_count             = 6
  zones                 = ["1", "2", "3"]
}
