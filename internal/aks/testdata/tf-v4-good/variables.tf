variable "kubernetes_version" {
  type    = string
  default = "1.36"
}

variable "zones" {
  type    = list(string)
  default = ["1", "2", "3"]
}

variable "admin_group" {
  type    = string
  default = "00000000-0000-0000-0000-00000000000a"
}

locals {
  tags = {
    owner = "platform"
    env   = "prod"
  }
}
