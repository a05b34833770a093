package helm

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
)

var update = flag.Bool("update", false, "rewrite testdata/shop/charts/postgres-1.0.0.tgz and the golden files")

// postgresTGZ is the packaged subchart of the shop fixture, made from
// testdata/src/postgres with the SDK's own packager (chartutil.Save, what
// `helm package` uses) by `go test ./internal/helm -run TestPackagedFixture -update`.
const postgresTGZ = "testdata/shop/charts/postgres-1.0.0.tgz"

// TestPackagedFixture regenerates the packaged subchart with -update and
// otherwise checks that the committed archive holds the source's files.
func TestPackagedFixture(t *testing.T) {
	src, err := loader.LoadDir("testdata/src/postgres")
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		dir := t.TempDir()
		out, err := chartutil.Save(src, dir)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(postgresTGZ, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := loader.LoadFile(postgresTGZ)
	if err != nil {
		t.Fatalf("%s does not load: %v (regenerate with -update)", postgresTGZ, err)
	}
	if got.Name() != src.Name() || got.Metadata.Version != src.Metadata.Version {
		t.Errorf("%s is %s %s, the source is %s %s; regenerate with -update", postgresTGZ,
			got.Name(), got.Metadata.Version, src.Name(), src.Metadata.Version)
	}
	if !bytes.Equal(got.Schema, src.Schema) {
		t.Errorf("%s: values.schema.json differs from testdata/src/postgres; regenerate with -update", postgresTGZ)
	}
	files := func(c *chart.Chart) map[string]string {
		m := map[string]string{"values.yaml": string(rawFile(c, "values.yaml"))}
		for _, f := range c.Templates {
			m[f.Name] = string(f.Data)
		}
		return m
	}
	want, have := files(src), files(got)
	for name, data := range want {
		if have[name] != data {
			t.Errorf("%s: %s differs from testdata/src/postgres/%s; regenerate with -update", postgresTGZ, name, filepath.ToSlash(name))
		}
	}
	if len(have) != len(want) {
		t.Errorf("%s has %d files, the source %d; regenerate with -update", postgresTGZ, len(have), len(want))
	}
}
