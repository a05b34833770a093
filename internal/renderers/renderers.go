// Package renderers wires the Helm and Kustomize builders into the engine:
// which folders and files they claim, one rendering per values profile, and
// which kustomizations include which.
package renderers

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/helm"
	"github.com/kubevet/kubevet/internal/kustomize"
)

// Options say how charts and kustomizations are built.
type Options struct {
	// Mode is auto (per folder: a chart, a kustomization or manifests),
	// manifests, helm or kustomize.
	Mode string
	// Helm are the values, release and target version charts render with.
	Helm helm.Options
	// Profiles render every chart once per values profile.
	Profiles []Profile
}

// Modes are the values of Options.Mode.
var Modes = []string{"auto", "manifests", "helm", "kustomize"}

// Profile is a named set of values files (--values-profile NAME=FILE[,FILE]).
type Profile struct {
	Name  string
	Files []string
}

// ParseProfiles reads --values-profile specifications.
func ParseProfiles(specs []string) ([]Profile, error) {
	var out []Profile
	for _, s := range specs {
		name, files, ok := strings.Cut(s, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.TrimSpace(files) == "" {
			return nil, fmt.Errorf("--values-profile %q: want NAME=FILE[,FILE]", s)
		}
		if slices.ContainsFunc(out, func(p Profile) bool { return p.Name == name }) {
			return nil, fmt.Errorf("--values-profile %q: profile %s given twice", s, name)
		}
		p := Profile{Name: name}
		for _, f := range strings.Split(files, ",") {
			if f = strings.TrimSpace(f); f != "" {
				p.Files = append(p.Files, f)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// New returns the renderers of a run and whether the mode forces every
// path through them (engine.Options.Renderers and ForceRender).
func New(o Options) ([]engine.Renderer, bool, error) {
	h := helmRenderer{opt: o.Helm, profiles: o.Profiles}
	switch o.Mode {
	case "", "auto":
		return []engine.Renderer{h, kustomizeRenderer{}}, false, nil
	case "manifests":
		return nil, false, nil
	case "helm":
		return []engine.Renderer{h}, true, nil
	case "kustomize":
		return []engine.Renderer{kustomizeRenderer{}}, true, nil
	}
	return nil, false, fmt.Errorf("--mode %q: want one of %s", o.Mode, strings.Join(Modes, ", "))
}

// helmRenderer renders charts (folders with Chart.yaml, packaged .tgz).
type helmRenderer struct {
	opt      helm.Options
	profiles []Profile
}

func (helmRenderer) Name() string { return "Helm chart" }

func (helmRenderer) Claims(path string, isDir bool) bool {
	if isDir {
		return helm.IsChart(path)
	}
	lower := strings.ToLower(path)
	if !strings.HasSuffix(lower, ".tgz") && !strings.HasSuffix(lower, ".tar.gz") {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	return helm.IsPackage(path, head[:n])
}

func (h helmRenderer) Render(ctx context.Context, path string) []engine.Variant {
	if len(h.profiles) == 0 {
		return []engine.Variant{{Output: helm.Render(ctx, path, h.opt)}}
	}
	out := make([]engine.Variant, 0, len(h.profiles))
	for _, p := range h.profiles {
		opt := h.opt
		opt.ValueFiles = append(slices.Clip(h.opt.ValueFiles), p.Files...)
		out = append(out, engine.Variant{Profile: p.Name, Output: helm.Render(ctx, path, opt)})
	}
	return out
}

// kustomizeRenderer builds kustomizations (folders with kustomization.yaml).
type kustomizeRenderer struct{}

func (kustomizeRenderer) Name() string { return "kustomization" }

func (kustomizeRenderer) Claims(path string, isDir bool) bool {
	return isDir && kustomize.IsKustomization(path)
}

func (kustomizeRenderer) Render(ctx context.Context, path string) []engine.Variant {
	return []engine.Variant{{Output: kustomize.Build(ctx, path)}}
}

// Includes lists the local bases and components of a kustomization: they
// are checked through it.
func (kustomizeRenderer) Includes(dir string) []string { return kustomize.Includes(dir) }
