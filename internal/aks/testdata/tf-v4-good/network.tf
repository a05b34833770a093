resource "azurerm_virtual_network" "aks" {
  name                = "vnet-aks"
  address_space       = ["10.10.0.0/16"]
  location            = "westeurope"
  resource_group_name = "rg-aks"
}

resource "azurerm_subnet" "nodes" {
  name                 = "snet-nodes"
  resource_group_name  = "rg-aks"
  virtual_network_name = azurerm_virtual_network.aks.name
  address_prefixes     = ["10.10.0.0/24"]
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-audit"
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws"

  enabled_log {
    category = "kube-audit-admin"
  }

  enabled_log {
    category = "guard"
  }
}

resource "azurerm_monitor_diagnostic_setting" "vnet" {
  name                       = "vnet-logs"
  target_resource_id         = azurerm_virtual_network.aks.id
  log_analytics_workspace_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws"

  enabled_log {
    category = "VMProtectionAlerts"
  }
}
