package engine_test

import (
	"context"
	"testing"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/engine"
	"github.com/kubevet/kubevet/internal/helm"
	"github.com/kubevet/kubevet/internal/kustomize"
	"github.com/kubevet/kubevet/internal/renderers"
)

// BenchmarkCheckRendered measures a Helm chart (with two values profiles)
// and a base with two Kustomize overlays: rendering alone, and rendering
// plus the whole catalog. cpu-ns/obj is per rendered object.
//
//	go test ./internal/engine -run '^$' -bench CheckRendered
func BenchmarkCheckRendered(b *testing.B) {
	const (
		chart = "../helm/testdata/shop"
		app   = "../kustomize/testdata/app"
	)
	profiles := []renderers.Profile{
		{Name: "prod", Files: []string{chart + "/values-prod.yaml"}},
		{Name: "dev", Files: []string{chart + "/values-dev.yaml"}},
	}
	cases := []struct {
		name   string
		path   string
		render func() int
	}{
		{"helm", chart, func() int {
			n := 0
			for _, p := range profiles {
				out := helm.Render(context.Background(), chart, helm.Options{ValueFiles: p.Files})
				if len(out.Problems) > 0 {
					b.Fatal(out.Problems)
				}
				n += len(out.Files)
			}
			return n
		}},
		{"kustomize", app, func() int {
			n := 0
			for _, o := range []string{"/overlays/dev", "/overlays/prod"} {
				out := kustomize.Build(context.Background(), app+o)
				if len(out.Problems) > 0 {
					b.Fatal(out.Problems)
				}
				n += len(out.Files)
			}
			return n
		}},
	}
	rs, _, err := renderers.New(renderers.Options{Profiles: profiles})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cases {
		check := func() int {
			res, err := engine.Check(context.Background(), []string{c.path}, engine.Options{Checks: catalog.All(), Renderers: rs})
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Findings) == 0 {
				b.Fatal("no findings")
			}
			return res.Objects
		}
		objects := check()
		var render float64
		b.Run(c.name+"/render", func(b *testing.B) {
			if c.render() == 0 {
				b.Fatal("nothing rendered")
			}
			render = measure(b, objects, 0, func() { c.render() })
		})
		// The ratio is to rendering alone.
		b.Run(c.name+"/render+check", func(b *testing.B) {
			measure(b, objects, render, func() { check() })
		})
	}
}
