variable "plugin" {
  default = "azure"
}

resource "azurerm_subnet" "small" {
  name                 = "snet-small"
  resource_group_name  = "rg"
  virtual_network_name = "vnet"
  address_prefixes     = ["10.20.0.0/25"]
}

resource "azurerm_kubernetes_cluster" "bad" {
  name                = "aks-tf4-bad"
  location            = "westeurope"
  resource_group_name = "rg"
  dns_prefix          = "bad"
  kubernetes_version  = "1.33"
  automatic_upgrade_channel = "none"
  node_os_upgrade_channel   = "None"
  role_based_access_control_enabled = false

  default_node_pool {
    name                   = "system"
    vm_size                = "Standard_D2s_v5"
    node_count             = 2
    vnet_subnet_id         = azurerm_subnet.small.id
    node_public_ip_enabled = true
  }

  service_principal {
    client_id     = "00000000-0000-0000-0000-000000000001"
    client_secret = var.secret
  }

  api_server_access_profile {
    authorized_ip_ranges = ["0.0.0.0/0"]
  }

  network_profile {
    network_plugin = var.plugin
    network_policy = "none"
    service_cidr   = "10.20.0.0/16"
    dns_service_ip = "10.20.0.10"
  }

  key_vault_secrets_provider {
    secret_rotation_enabled = false
  }

  oms_agent {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.ws.id
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  name                  = "apps"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.bad.id
  vm_size               = "Standard_D4s_v5"
  node_count            = 2
  vnet_subnet_id        = azurerm_subnet.small.id
  zones                 = ["1", "2", "3"]
}

resource "azurerm_kubernetes_cluster_node_pool" "win" {
  name                  = "win"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.bad.id
  vm_size               = "Standard_D4s_v5"
  os_type               = "Windows"
  node_count            = 1
  zones                 = ["1", "2", "3"]
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-metrics-only"
  target_resource_id         = azurerm_kubernetes_cluster.bad.id
  log_analytics_workspace_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws"

  enabled_log {
    category = "kube-apiserver"
  }
}
