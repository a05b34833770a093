resource "azurerm_kubernetes_cluster" "main" {
  name                              = "aks-tf4-good"
  location                          = "westeurope"
  resource_group_name               = "rg-aks"
  dns_prefix                        = "akstf4good"
  kubernetes_version                = var.kubernetes_version
  sku_tier                          = "Standard"
  private_cluster_enabled           = true
  local_account_disabled            = true
  oidc_issuer_enabled               = true
  workload_identity_enabled         = true
  azure_policy_enabled              = true
  automatic_upgrade_channel         = "patch"
  node_os_upgrade_channel           = "NodeImage"
  role_based_access_control_enabled = true
  tags                              = local.tags

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4s_v5"
    node_count                   = 3
    zones                        = var.zones
    vnet_subnet_id               = azurerm_subnet.nodes.id
    only_critical_addons_enabled = true
    fips_enabled                 = true
    orchestrator_version         = var.kubernetes_version
    tags                         = local.tags

    upgrade_settings {
      max_surge = "33%"
    }
  }

  identity {
    type = "SystemAssigned"
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = [var.admin_group]
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_policy      = "cilium"
    network_data_plane  = "cilium"
    outbound_type       = "userDefinedRouting"
    pod_cidr            = "192.168.0.0/16"
    service_cidr        = "10.0.0.0/16"
    dns_service_ip      = "10.0.0.10"
  }

  key_vault_secrets_provider {
    secret_rotation_enabled = true
  }

  key_management_service {
    key_vault_key_id         = "https://kv.vault.azure.net/keys/etcd/1"
    key_vault_network_access = "Public"
  }

  microsoft_defender {
    log_analytics_workspace_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws"
  }

  oms_agent {
    log_analytics_workspace_id      = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws"
    msi_auth_for_monitoring_enabled = true
  }

  monitor_metrics {}
}
