# A cluster running as a service principal created in the same
# configuration: its client_id is a reference, but Terraform has no "msi"
# client, so the cluster is known to use a service principal.
resource "azuread_application" "aks" {
  display_name = "aks-sp"
}

resource "azurerm_kubernetes_cluster" "sp" {
  name                              = "sp"
  sku_tier                          = "Standard"
  automatic_channel_upgrade         = "stable"
  node_os_channel_upgrade           = "NodeImage"
  local_account_disabled            = true
  azure_policy_enabled              = true
  private_cluster_enabled           = true
  workload_identity_enabled         = true
  oidc_issuer_enabled               = true
  role_based_access_control_enabled = true
  kubernetes_version                = "1.36"

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4ds_v5"
    enable_auto_scaling          = true
    min_count                    = 3
    max_count                    = 5
    zones                        = ["1", "2", "3"]
    only_critical_addons_enabled = true
  }

  service_principal {
    client_id     = azuread_application.aks.application_id
    client_secret = var.sp_secret
  }

  network_profile {
    network_plugin = "azure"
    network_policy = "calico"
    outbound_type  = "userDefinedRouting"
  }
}
