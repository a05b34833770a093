package main

import (
	"github.com/spf13/cobra"

	"github.com/kubevet/kubevet/internal/aks"
	"github.com/kubevet/kubevet/internal/aks/terraform"
	"github.com/kubevet/kubevet/internal/engine"
)

// aksMode says how a run reads AKS cluster configuration.
type aksMode struct {
	// force reads every JSON file as AKS configuration (kubevet aks); by
	// default only files whose content is AKS configuration are.
	force bool
}

// handlers returns the engine handlers for AKS configuration: JSON (az aks
// show, ARM REST and templates, Resource Graph, terraform show -json) and
// Terraform .tf files.
func (m aksMode) handlers() []engine.Handler {
	return []engine.Handler{aks.Handler{Force: m.force}, terraform.Handler{}}
}

func newAKSCmd(e *env) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "aks FILE...",
		Short: "Check AKS cluster configuration (az aks show, ARM, Terraform)",
		Long: `Check AKS cluster configuration against the AKS rules: az aks show -o json
output, ARM REST bodies and Azure Resource Graph rows, ARM templates, Terraform
.tf folders (azurerm v3 and v4 names) and terraform show -json plans. Every JSON
file given is read as AKS configuration; kubevet check also picks these inputs
out by their content.

--as-of checks against another date (the Kubernetes support calendar), for
reproducible runs.

Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
2 for usage or configuration errors.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.aks.force = true
			return runCheck(cmd.Context(), e, f, args)
		},
	}
	addCheckFlags(cmd, &f)
	return cmd
}
