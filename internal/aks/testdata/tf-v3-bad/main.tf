variable "sku_tier" {
  type = string
}

resource "azurerm_kubernetes_cluster" "v3bad" {
  name                      = "aks-tf3-bad"
  location                  = "westeurope"
  resource_group_name       = "rg"
  dns_prefix                = "v3bad"
  kubernetes_version        = "1.36"
  automatic_channel_upgrade = "none"
  node_os_channel_upgrade   = "Unmanaged"
  local_account_disabled    = false
  private_cluster_enabled   = false
  tags                      = { owner = "platform" }
  sku_tier                  = var.sku_tier

  default_node_pool {
    name                  = "default"
    vm_size               = "Standard_NC6s_v3"
    node_count            = 3
    enable_node_public_ip = true
    enable_auto_scaling   = false
    zones                 = ["1", "2", "3"]
    max_pods              = 300
    proximity_placement_group_id = azurerm_proximity_placement_group.ppg.id

    kubelet_config {
      allowed_unsafe_sysctls = ["net.core.somaxconn"]
    }
  }

  identity {
    type = "SystemAssigned"
  }

  azure_active_directory_role_based_access_control {
    managed = false
  }

  network_profile {
    network_plugin = "kubenet"
    network_policy = "calico"
    pod_cidr       = "10.244.0.0/16"
    service_cidr   = "10.244.0.0/20"
    dns_service_ip = "10.244.0.10"
  }
}
