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
