tier        = "Free"
nodes       = 3
private     = true
plugin_mode = "overlay"
