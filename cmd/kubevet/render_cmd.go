package main

import (
	"cmp"
	"slices"

	"github.com/spf13/cobra"

	"github.com/kubevet/kubevet/internal/checks/apis"
	"github.com/kubevet/kubevet/internal/config"
	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/helm"
	"github.com/kubevet/kubevet/internal/renderers"
)

// renderFlags say how charts and kustomizations are built (kubevet check).
type renderFlags struct {
	mode           string
	values         []string
	set, setString []string
	profiles       []string
	releaseName    string
}

func addRenderFlags(cmd *cobra.Command, f *renderFlags) {
	fl := cmd.Flags()
	fl.StringVar(&f.mode, "mode", "", "how paths are read: auto (per folder: a Helm chart, a kustomization or manifests; the default), manifests, helm, kustomize")
	fl.StringArrayVarP(&f.values, "values", "f", nil, "Helm values file (repeatable; later files win)")
	fl.StringArrayVar(&f.set, "set", nil, "Helm value on the command line: key=value[,key=value] (repeatable)")
	fl.StringArrayVar(&f.setString, "set-string", nil, "Helm value kept as a string: key=value[,key=value] (repeatable)")
	fl.StringArrayVar(&f.profiles, "values-profile", nil, "render charts once per values profile NAME=FILE[,FILE] (repeatable); findings say which profiles they appear in")
	fl.StringVar(&f.releaseName, "release-name", "", "Helm release name (default release-name, as helm template)")
}

// targetVersion is the Kubernetes minor version charts render for.
func targetVersion(cfg *config.Config) string {
	if cfg.KubernetesVersion != "" {
		return cfg.KubernetesVersion
	}
	return apis.DefaultKubernetesVersion
}

// renderers returns the renderers of the run and whether the mode forces
// every path through them. The configuration's mode and helm section come
// first: values files and --set flags add to its own, --values-profile and
// --release-name replace them.
func (f renderFlags) renderers(cfg *config.Config) ([]engine.Renderer, bool, error) {
	profiles, err := renderers.ParseProfiles(f.profiles)
	if err != nil {
		return nil, false, usageError{err}
	}
	if len(profiles) == 0 {
		for _, p := range cfg.Helm.Profiles {
			profiles = append(profiles, renderers.Profile{Name: p.Name, Files: p.Files})
		}
	}
	mode := cmp.Or(f.mode, cfg.Mode)
	opt := helm.Options{
		ValueFiles:  slices.Concat(cfg.Helm.Values, f.values),
		Set:         slices.Concat(cfg.Helm.Set, f.set),
		SetString:   slices.Concat(cfg.Helm.SetString, f.setString),
		ReleaseName: cmp.Or(f.releaseName, cfg.Helm.ReleaseName),
		Namespace:   cfg.Namespace,
		KubeVersion: targetVersion(cfg),
	}
	rs, force, err := renderers.New(renderers.Options{Mode: mode, Profiles: profiles, Helm: opt})
	if err != nil {
		return nil, false, usageError{err}
	}
	return rs, force, nil
}
