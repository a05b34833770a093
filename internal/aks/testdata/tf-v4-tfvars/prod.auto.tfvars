tier = "Standard"
