# Optional blocks written as dynamic blocks, the way published AKS modules
# switch them on and off with variables.
variable "autoscale" {
  type    = bool
  default = false
}
variable "pool" {
  type = object({ size = string, nodes = number })
  default = {
    size  = "Standard_D4ds_v5"
    nodes = 3
  }
}
variable "logs" {
  type    = bool
  default = true
}
variable "entra" {
  type    = bool
  default = false
}
# No default: whether Defender is on is not known offline.
variable "defender" {
  type = bool
}

resource "azurerm_kubernetes_cluster" "dyn" {
  name                      = "dyn"
  sku_tier                  = "Standard"
  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "NodeImage"
  local_account_disabled    = true
  workload_identity_enabled = true
  oidc_issuer_enabled       = true
  azure_policy_enabled      = true
  private_cluster_enabled   = true
  kubernetes_version        = "1.36"

  dynamic "default_node_pool" {
    for_each = var.autoscale ? [] : [var.pool]
    iterator = p
    content {
      name                         = "system"
      vm_size                      = p.value.size
      node_count                   = p.value.nodes
      only_critical_addons_enabled = true
      zones                        = ["1", "2", "3"]
      host_encryption_enabled      = true
      fips_enabled                 = true
      dynamic "upgrade_settings" {
        for_each = ["10%"]
        content {
          max_surge = upgrade_settings.value
        }
      }
    }
  }
  dynamic "default_node_pool" {
    for_each = var.autoscale ? ["auto"] : []
    content {
      name                 = "system"
      vm_size              = "Standard_B2s"
      auto_scaling_enabled = true
      min_count            = 1
      max_count            = 2
    }
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_policy      = "cilium"
    network_data_plane  = "cilium"
    outbound_type       = "userDefinedRouting"
  }

  dynamic "oms_agent" {
    for_each = var.logs ? ["on"] : []
    content {
      log_analytics_workspace_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law"
    }
  }
  dynamic "azure_active_directory_role_based_access_control" {
    for_each = var.entra ? ["on"] : []
    content {
      azure_rbac_enabled = true
    }
  }
  dynamic "microsoft_defender" {
    for_each = var.defender ? ["on"] : []
    content {
      log_analytics_workspace_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law"
    }
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                  = "user"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.dyn.id
  vm_size               = "Standard_D4ds_v5"
  auto_scaling_enabled  = true
  min_count             = 2
  max_count             = 6
  zones                 = ["1", "2", "3"]
  fips_enabled          = true
}
