resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  name                  = "apps"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.main.id
  vm_size               = "Standard_D8s_v5"
  auto_scaling_enabled  = true
  min_count             = 3
  max_count             = 20
  zones                 = var.zones
  vnet_subnet_id        = azurerm_subnet.nodes.id
  fips_enabled          = true
  orchestrator_version  = "1.35"
  tags                  = local.tags
}
