# azurerm v3 attribute names (automatic_channel_upgrade, node_os_channel_upgrade,
# enable_auto_scaling, enable_node_public_ip, managed = true).
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.116"
    }
  }
}

resource "azurerm_kubernetes_cluster" "v3" {
  name                      = "aks-tf3-good"
  location                  = "westeurope"
  resource_group_name       = "rg"
  dns_prefix                = "v3good"
  kubernetes_version        = "1.35"
  sku_tier                  = "Premium"
  private_cluster_enabled   = true
  local_account_disabled    = true
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
  azure_policy_enabled      = true
  automatic_channel_upgrade = "stable"
  node_os_channel_upgrade   = "NodeImage"
  tags                      = { owner = "platform", env = "prod" }

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4s_v5"
    enable_auto_scaling          = true
    min_count                    = 2
    max_count                    = 5
    enable_node_public_ip        = false
    only_critical_addons_enabled = true
    zones                        = ["1", "2", "3"]
    fips_enabled                 = true
    tags                         = { owner = "platform", env = "prod" }
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.aks.id]
  }

  azure_active_directory_role_based_access_control {
    managed            = true
    azure_rbac_enabled = true
  }

  network_profile {
    network_plugin = "azure"
    network_policy = "azure"
    outbound_type  = "userDefinedRouting"
  }

  key_vault_secrets_provider {
    secret_rotation_enabled = true
  }

  key_management_service {
    key_vault_key_id = azurerm_key_vault_key.etcd.id
  }

  microsoft_defender {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.ws.id
  }

  oms_agent {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.ws.id
  }

  monitor_metrics {
    annotations_allowed = null
    labels_allowed      = null
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                  = "user"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.v3.id
  vm_size               = "Standard_D8s_v5"
  mode                  = "User"
  enable_auto_scaling   = true
  min_count             = 2
  max_count             = 10
  enable_node_public_ip = false
  zones                 = ["1", "2", "3"]
  fips_enabled          = true
  tags                  = { owner = "platform", env = "prod" }
}

# azurerm v3 log blocks
resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-audit"
  target_resource_id         = azurerm_kubernetes_cluster.v3.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.ws.id

  log {
    category = "kube-audit"
    enabled  = true
  }
}
