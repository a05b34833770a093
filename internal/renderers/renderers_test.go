package renderers

import (
	"reflect"
	"testing"
)

func TestParseProfiles(t *testing.T) {
	got, err := ParseProfiles([]string{"prod=values-prod.yaml", " dev = a.yaml, b.yaml ,"})
	want := []Profile{{Name: "prod", Files: []string{"values-prod.yaml"}}, {Name: "dev", Files: []string{"a.yaml", "b.yaml"}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, %v; want %+v", got, err, want)
	}
	for _, bad := range [][]string{{"prod"}, {"=x.yaml"}, {"prod="}, {"prod=a.yaml", "prod=b.yaml"}} {
		if _, err := ParseProfiles(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestModesAndClaims(t *testing.T) {
	const (
		chart   = "../helm/testdata/shop"
		packed  = "../helm/testdata/shop/charts/postgres-1.0.0.tgz"
		overlay = "../kustomize/testdata/app/overlays/prod"
	)
	cases := []struct {
		mode           string
		force          bool
		chart, overlay bool
	}{
		{"auto", false, true, true},
		{"", false, true, true},
		{"manifests", false, false, false},
		{"helm", true, true, false},
		{"kustomize", true, false, true},
	}
	for _, c := range cases {
		rs, force, err := New(Options{Mode: c.mode})
		if err != nil || force != c.force {
			t.Fatalf("mode %q: force %v, %v", c.mode, force, err)
		}
		claims := func(path string, dir bool) bool {
			for _, r := range rs {
				if r.Claims(path, dir) {
					return true
				}
			}
			return false
		}
		if claims(chart, true) != c.chart || claims(packed, false) != c.chart || claims(overlay, true) != c.overlay {
			t.Errorf("mode %q: claims chart %v, package %v, overlay %v", c.mode, claims(chart, true), claims(packed, false), claims(overlay, true))
		}
		if claims(chart+"/values.yaml", false) || claims(chart+"/templates", true) {
			t.Errorf("mode %q claims a values file or a templates folder", c.mode)
		}
	}
	if _, _, err := New(Options{Mode: "yaml"}); err == nil {
		t.Error("mode yaml: no error")
	}
}
