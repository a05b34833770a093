package kustomize

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/kubevet/kubevet/internal/render"
)

const (
	prod = "testdata/app/overlays/prod"
	dev  = "testdata/app/overlays/dev"
)

// build builds dir and fails the test on problems.
func build(t *testing.T, dir string) render.Output {
	t.Helper()
	out := Build(t.Context(), dir)
	for _, p := range out.Problems {
		t.Errorf("problem %s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
	}
	return out
}

// objectKey is kind/name of the single document of f.
func objectKey(t *testing.T, f render.File) string {
	t.Helper()
	var o struct {
		Kind     string
		Metadata struct{ Name string }
	}
	if err := yaml.Unmarshal(f.Data, &o); err != nil {
		t.Fatalf("%s: built YAML does not parse: %v", f.Name, err)
	}
	return o.Kind + "/" + o.Metadata.Name
}

func byObject(t *testing.T, out render.Output) map[string]render.File {
	t.Helper()
	m := map[string]render.File{}
	for _, f := range out.Files {
		m[objectKey(t, f)] = f
	}
	return m
}

func TestIsKustomization(t *testing.T) {
	for dir, want := range map[string]bool{
		"testdata/app/base":              true,
		prod:                             true,
		"testdata/app/components/probes": true,
		"testdata/app":                   false,
		"testdata/nothere":               false,
	} {
		if got := IsKustomization(dir); got != want {
			t.Errorf("IsKustomization(%s) = %v, want %v", dir, got, want)
		}
	}
}

func TestBuildObjects(t *testing.T) {
	// In kustomize build's order: by kind (kustomize's legacy order),
	// then by name.
	tests := []struct {
		dir  string
		want []string // kind/name file, in output order
	}{
		{prod, []string{
			"ConfigMap/prod-web-config-v1 testdata/app/base/configmap.yaml",
			"ConfigMap/prod-web-config-v1-v1 testdata/app/base/configmap.yaml",
			"ConfigMap/prod-web-extra-v1-dmht42tct7 testdata/app/overlays/prod/kustomization.yaml",
			"ConfigMap/prod-web-flags-v1 testdata/app/base/configmap.yaml",
			"Secret/prod-web-files-v1-7kmgtfc966 testdata/app/overlays/prod/kustomization.yaml",
			"Secret/prod-web-secret-v1-ckd59g56hk testdata/app/overlays/prod/kustomization.yaml",
			"Service/prod-web-v1 testdata/app/base/service.yaml",
			"Deployment/prod-web-v1 testdata/app/base/deployment.yaml",
			"PodDisruptionBudget/prod-web-v1 testdata/app/overlays/prod/pdb.yaml",
		}},
		{dev, []string{
			"ConfigMap/dev-web-config testdata/app/base/configmap.yaml",
			"ConfigMap/dev-web-config-v1 testdata/app/base/configmap.yaml",
			"ConfigMap/dev-web-env-bk2hmt6gd5 testdata/app/overlays/dev/kustomization.yaml",
			"ConfigMap/dev-web-flags testdata/app/base/configmap.yaml",
			"Service/dev-web testdata/app/base/service.yaml",
			"Deployment/dev-web testdata/app/base/deployment.yaml",
		}},
		{"testdata/app/base", []string{
			"ConfigMap/web-config testdata/app/base/configmap.yaml",
			"ConfigMap/web-config-v1 testdata/app/base/configmap.yaml",
			"ConfigMap/web-flags testdata/app/base/configmap.yaml",
			"Service/web testdata/app/base/service.yaml",
			"Deployment/web testdata/app/base/deployment.yaml",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			out := build(t, tt.dir)
			var got []string
			for _, f := range out.Files {
				got = append(got, objectKey(t, f)+" "+f.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("built\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// TestBuildNamesAsGiven checks file names keep the directory as the user
// named it, relative or absolute.
func TestBuildNamesAsGiven(t *testing.T) {
	abs, err := filepath.Abs(prod)
	if err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]string{
		prod + "/":                           "testdata/app/base/deployment.yaml",
		"./" + prod:                          "testdata/app/base/deployment.yaml",
		"testdata/app/base/../overlays/prod": "testdata/app/base/deployment.yaml",
		abs:                                  filepath.Join(filepath.Dir(filepath.Dir(abs)), "base/deployment.yaml"),
	} {
		out := build(t, dir)
		if f, ok := byObject(t, out)[prodDep]; !ok || f.Name != want {
			t.Errorf("Build(%s): Deployment in %q, want %s", dir, f.Name, want)
		}
	}
}

// TestListItems checks objects read from the items of a List are found
// in it.
func TestListItems(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"kustomization.yaml": "resources: [list.yaml]\nnamePrefix: p-\n",
		"list.yaml":          "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n    data:\n      x: \"1\"\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n    data:\n      y: \"2\"\n",
	}
	writeFiles(t, dir, files)
	objects := byObject(t, build(t, dir))
	for object, want := range map[string]int{"ConfigMap/p-a": 9, "ConfigMap/p-b": 15} {
		path := "data.x"
		if object == "ConfigMap/p-b" {
			path = "data.y"
		}
		file, line, _ := objects[object].Locate(0, path, 1, 1)
		if file != filepath.Join(dir, "list.yaml") || line != want {
			t.Errorf("%s %s: got %s:%d, want list.yaml:%d", object, path, file, line, want)
		}
	}
}

func names(out render.Output) []string {
	var n []string
	for _, f := range out.Files {
		n = append(n, f.Name)
	}
	return n
}

func TestIncludes(t *testing.T) {
	got := Includes(prod)
	want := []string{"testdata/app/base", "testdata/app/components/probes"}
	if !slices.Equal(got, want) {
		t.Errorf("Includes(%s) = %v, want %v", prod, got, want)
	}
	for _, dir := range []string{"testdata/app/base", "testdata/nothere", "testdata/broken/notyaml"} {
		if got := Includes(dir); len(got) != 0 {
			t.Errorf("Includes(%s) = %v, want none", dir, got)
		}
	}
}

// how says which rule of Locate answers a golden row.
type how string

const (
	source    how = "source"      // the field in the source document
	patched   how = "patch"       // a patch set it
	transform how = "transformer" // a kustomization entry set it
	generated how = "generator"   // the generator entry of a generated object
	changed   how = "source*"     // in the source, changed by an unmodelled transformer
	parent    how = "parent"      // missing: nearest existing parent
)

type golden struct {
	dir, object, path string
	want              string // file:line:col
	how               how
}

const (
	base     = "testdata/app/base/"
	prodK    = "testdata/app/overlays/prod/kustomization.yaml"
	devK     = "testdata/app/overlays/dev/kustomization.yaml"
	baseK    = base + "kustomization.yaml"
	deploy   = base + "deployment.yaml"
	c0       = "spec.template.spec.containers[0]"
	c1       = "spec.template.spec.containers[1]"
	prodDep  = "Deployment/prod-web-v1"
	devDep   = "Deployment/dev-web"
	prodPath = "testdata/app/overlays/prod/"
)

// goldenTable is where findings on fields of the built fixtures land.
var goldenTable = []golden{
	// prod: containers[0] is web, [1] the sidecar.
	{prod, prodDep, "", deploy + ":1:1", source},
	{prod, prodDep, "kind", deploy + ":2:1", source},
	{prod, prodDep, "metadata.name", prodK + ":3:1", transform},
	{prod, prodDep, "metadata.namespace", prodK + ":5:1", transform},
	{prod, prodDep, "metadata.labels.app", deploy + ":6:5", source},
	{prod, prodDep, "metadata.labels.team", baseK + ":7:7", transform},
	{prod, prodDep, `metadata.labels["app.kubernetes.io/part-of"]`, baseK + ":4:3", transform},
	{prod, prodDep, `spec.selector.matchLabels["app.kubernetes.io/part-of"]`, baseK + ":4:3", transform},
	{prod, prodDep, "spec.replicas", prodK + ":12:5", transform},
	{prod, prodDep, c0, deploy + ":18:11", source},
	{prod, prodDep, c0 + ".name", deploy + ":18:11", source},
	{prod, prodDep, c0 + ".image", prodK + ":15:5", transform},
	{prod, prodDep, c0 + ".ports[0].containerPort", deploy + ":21:15", source},
	{prod, prodDep, c0 + ".envFrom[0].configMapRef.name", deploy + ":24:17", changed},
	{prod, prodDep, c0 + ".resources", prodPath + "resources.yaml:10:11", patched},
	{prod, prodDep, c0 + ".resources.limits.memory", prodPath + "resources.yaml:15:15", patched},
	{prod, prodDep, c0 + ".readinessProbe.httpGet.path", prodPath + "resources.yaml:18:15", patched},
	{prod, prodDep, c0 + ".livenessProbe", "testdata/app/components/probes/probes.yaml:10:11", patched},
	{prod, prodDep, c0 + ".livenessProbe.httpGet.port", "testdata/app/components/probes/probes.yaml:13:15", patched},
	{prod, prodDep, c0 + ".securityContext", deploy + ":18:11", parent},
	{prod, prodDep, c0 + ".securityContext.privileged", deploy + ":18:11", parent},
	{prod, prodDep, c1, deploy + ":25:11", source},
	{prod, prodDep, c1 + ".image", deploy + ":26:11", source},
	{prod, prodDep, c1 + ".securityContext", prodPath + "security.json6902.yaml:6:3", patched},
	{prod, prodDep, c1 + ".securityContext.readOnlyRootFilesystem", prodPath + "security.json6902.yaml:9:5", patched},
	{prod, prodDep, c1 + ".resources", deploy + ":25:11", parent},
	{prod, prodDep, "spec.template.spec.securityContext", prodPath + "security.json6902.yaml:1:3", patched},
	{prod, prodDep, "spec.template.spec.securityContext.runAsUser", prodPath + "security.json6902.yaml:5:5", patched},
	{prod, prodDep, "spec.template.spec.hostNetwork", deploy + ":16:5", parent},
	{prod, prodDep, "spec.template.spec.containers[7]", deploy + ":17:7", parent},
	{prod, "Service/prod-web-v1", "spec.ports[0].port", base + "service.yaml:12:7", source},
	{prod, "Service/prod-web-v1", `spec.selector["app.kubernetes.io/part-of"]`, baseK + ":4:3", transform},
	{prod, "Service/prod-web-v1", `metadata.annotations["prometheus.io/scrape"]`, base + "service.yaml:6:5", source},
	{prod, "Service/prod-web-v1", "metadata.namespace", prodK + ":5:1", transform},
	{prod, "ConfigMap/prod-web-config-v1", "", base + "configmap.yaml:1:1", source},
	{prod, "ConfigMap/prod-web-config-v1", "data.LOG_LEVEL", prodK + ":31:9", transform},
	{prod, "ConfigMap/prod-web-config-v1", "metadata.labels", baseK + ":4:3", transform},
	{prod, "ConfigMap/prod-web-flags-v1", "", base + "configmap.yaml:8:1", source},
	{prod, "ConfigMap/prod-web-flags-v1", "data.beta", base + "configmap.yaml:13:3", source},
	// prod-web-config-v1 is web-config with the suffix -v1, not the
	// ConfigMap web-config-v1 (built as prod-web-config-v1-v1).
	{prod, "ConfigMap/prod-web-config-v1-v1", "", base + "configmap.yaml:15:1", source},
	{prod, "ConfigMap/prod-web-config-v1-v1", "data.LOG_LEVEL", base + "configmap.yaml:20:3", source},
	{prod, "PodDisruptionBudget/prod-web-v1", "spec.minAvailable", prodPath + "pdb.yaml:6:3", source},
	{prod, "PodDisruptionBudget/prod-web-v1", "metadata.name", prodK + ":3:1", transform},
	{prod, "ConfigMap/prod-web-extra-v1-dmht42tct7", "", prodK + ":32:5", generated},
	{prod, "ConfigMap/prod-web-extra-v1-dmht42tct7", "data.REGION", prodK + ":34:9", generated},
	{prod, "ConfigMap/prod-web-extra-v1-dmht42tct7", "metadata.namespace", prodK + ":5:1", transform},
	{prod, "ConfigMap/prod-web-extra-v1-dmht42tct7", "metadata.labels", prodK + ":32:5", generated},
	{prod, "Secret/prod-web-secret-v1-ckd59g56hk", "data.token", prodK + ":38:9", generated},
	{prod, "Secret/prod-web-secret-v1-ckd59g56hk", "type", prodK + ":36:5", generated},
	{prod, "Secret/prod-web-files-v1-7kmgtfc966", `data["tls.crt"]`, prodK + ":41:9", generated},
	{prod, "Secret/prod-web-files-v1-7kmgtfc966", `data["app.properties"]`, prodK + ":42:9", generated},
	{prod, "Secret/prod-web-files-v1-7kmgtfc966", "metadata.name", prodK + ":3:1", transform},

	// dev: the inline strategic merge patch puts the sidecar first, so
	// containers[0] is the sidecar and [1] is web.
	{dev, devDep, "metadata.name", devK + ":3:1", transform},
	{dev, devDep, "metadata.namespace", devK + ":4:1", transform},
	{dev, devDep, "spec.replicas", deploy + ":8:3", source},
	{dev, devDep, c1 + ".image", devK + ":8:5", transform},
	{dev, devDep, c1 + ".imagePullPolicy", devK + ":16:9", patched},
	{dev, devDep, c1 + ".ports[0]", deploy + ":21:15", source},
	{dev, devDep, c1 + ".livenessProbe", deploy + ":18:11", parent},
	{dev, devDep, c0, deploy + ":25:11", source},
	{dev, devDep, c0 + ".image", deploy + ":26:11", source},
	{dev, devDep, c0 + ".imagePullPolicy", deploy + ":25:11", parent},
	{dev, devDep, c0 + ".resources", devK + ":32:17", patched},
	{dev, devDep, c0 + ".resources.limits.cpu", devK + ":34:21", patched},
	{dev, "ConfigMap/dev-web-config", "data.LOG_LEVEL", base + "configmap.yaml:6:3", source},
	{dev, "ConfigMap/dev-web-config-v1", "data.LOG_LEVEL", base + "configmap.yaml:20:3", source},
	{dev, "ConfigMap/dev-web-env-bk2hmt6gd5", "", devK + ":11:5", generated},
	{dev, "ConfigMap/dev-web-env-bk2hmt6gd5", "data.MODE", devK + ":13:9", generated},
	{dev, "Service/dev-web", "metadata.name", devK + ":3:1", transform},
}

func TestLocateGolden(t *testing.T) {
	files := map[string]map[string]render.File{}
	for _, dir := range []string{prod, dev} {
		files[dir] = byObject(t, build(t, dir))
	}
	counts := map[how]int{}
	for _, g := range goldenTable {
		f, ok := files[g.dir][g.object]
		if !ok {
			t.Errorf("%s: no object %s", g.dir, g.object)
			continue
		}
		file, l, c := f.Locate(0, g.path, 1, 1)
		if got := fmt.Sprintf("%s:%d:%d", file, l, c); got != g.want {
			t.Errorf("%s %s %q: got %s, want %s (%s)", g.dir, g.object, g.path, got, g.want, g.how)
			continue
		}
		counts[g.how]++
	}
	t.Logf("%d rows: %v", len(goldenTable), counts)
}

// TestLocateMatchesText checks every golden answer points at the key the
// path ends in (or, for whole objects, list items and generators, the
// line of the entry), by reading the line.
func TestLocateMatchesText(t *testing.T) {
	for _, g := range goldenTable {
		seg, ok := parseSegs(g.path)
		if !ok || len(seg) == 0 || g.how == parent || g.how == generated {
			continue
		}
		last := seg[len(seg)-1]
		if last.index >= 0 || g.how == transform {
			continue
		}
		file, pos, _ := strings.Cut(g.want, ":")
		var line, col int
		if _, err := fmt.Sscanf(pos, "%d:%d", &line, &col); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		text := lines[line-1][col-1:]
		text = strings.TrimPrefix(text, "- ")
		if g.how == patched && strings.HasPrefix(text, "op:") {
			continue // JSON 6902 operation
		}
		if !strings.HasPrefix(text, last.key+":") {
			t.Errorf("%s %q: %s:%d:%d reads %q, not key %s", g.dir, g.path, file, line, col, text, last.key)
		}
	}
}

// TestLocateConcurrent calls Locate from many goroutines, as the engine
// does; run with -race.
func TestLocateConcurrent(t *testing.T) {
	out := build(t, prod)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, f := range out.Files {
				for _, g := range goldenTable {
					f.Locate(0, g.path, 1, 1)
				}
			}
		})
	}
	wg.Wait()
}

// TestBuildConcurrent builds overlays from many goroutines, as the
// engine does; run with -race.
func TestBuildConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 6 {
		dir, want := prod, 9
		if i%2 == 1 {
			dir, want = dev, 6
		}
		wg.Go(func() {
			out := Build(t.Context(), dir)
			if len(out.Files) != want || len(out.Problems) != 0 {
				t.Errorf("%s: %d files, problems %+v; want %d files", dir, len(out.Files), out.Problems, want)
			}
		})
	}
	wg.Wait()
}

func TestLocateBadPath(t *testing.T) {
	f := byObject(t, build(t, prod))[prodDep]
	file, l, c := f.Locate(0, "spec[", 1, 1)
	if file != deploy || l != 1 || c != 1 {
		t.Errorf("malformed path: got %s:%d:%d, want the object's start %s:1:1", file, l, c, deploy)
	}
}

func TestAnnotationsStripped(t *testing.T) {
	for _, dir := range []string{prod, dev} {
		out := build(t, dir)
		for _, f := range out.Files {
			s := string(f.Data)
			for _, a := range []string{"config.kubernetes.io/origin", "alpha.config.kubernetes.io/transformations", "internal.config.kubernetes.io", "buildMetadata"} {
				if strings.Contains(s, a) {
					t.Errorf("%s %s: built object keeps %s:\n%s", dir, objectKey(t, f), a, s)
				}
			}
			var o struct {
				Metadata struct {
					Annotations map[string]string `yaml:"annotations"`
				}
			}
			if err := yaml.Unmarshal(f.Data, &o); err != nil {
				t.Fatal(err)
			}
			isService := strings.HasPrefix(objectKey(t, f), "Service/")
			if isService && o.Metadata.Annotations["prometheus.io/scrape"] != "true" {
				t.Errorf("%s: the user's own annotation was removed:\n%s", dir, s)
			}
			if !isService && strings.Contains(s, "annotations:") {
				t.Errorf("%s %s: empty annotations left:\n%s", dir, objectKey(t, f), s)
			}
		}
	}
}

func TestWithBuildMetadataKeepsEntries(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("resources: [a.yaml]\nbuildMetadata: [managedByLabel, originAnnotations]\n"), &doc); err != nil {
		t.Fatal(err)
	}
	data, err := withBuildMetadata(doc.Content[0])
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		Resources     []string
		BuildMetadata []string `yaml:"buildMetadata"`
	}
	if err := yaml.Unmarshal(data, &k); err != nil {
		t.Fatal(err)
	}
	want := []string{"managedByLabel", "originAnnotations", "transformerAnnotations"}
	if !slices.Equal(k.BuildMetadata, want) || !slices.Equal(k.Resources, []string{"a.yaml"}) {
		t.Errorf("got %+v, want buildMetadata %v and the resources kept", k, want)
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		dir       string
		file      string
		line, col int
		message   string
	}{
		{"notyaml", "kustomization.yaml", 3, 0, "not valid YAML"},
		{"unknownfield", "kustomization.yaml", 5, 5, `unknown field "newTagg"`},
		{"missing", "kustomization.yaml", 5, 5, `resource "deployment.yaml" not found`},
		{"badpatch", "kustomization.yaml", 4, 5, "no matches for Id Deployment"},
		{"badop", "kustomization.yaml", 5, 9, "doc is missing path"},
		{"loop/overlay", "../base/kustomization.yaml", 2, 5, "cycle detected"},
		{"symlink/app", "kustomization.yaml", 3, 5, "is not in or below"},
		{"outside", "kustomization.yaml", 2, 5, "is not in or below"},
		{"baddoc", "configs.yaml", 8, 0, "MalformedYAMLError"},
		{"scalar", "kustomization.yaml", 1, 1, "must be a YAML mapping"},
		{"helm", "kustomization.yaml", 3, 1, "helmCharts needs Helm"},
		{"plugin", "kustomization.yaml", 4, 5, "exec.yaml needs an external kustomize plugin (Exec)"},
		{"empty", "kustomization.yaml", 0, 0, "must be a YAML mapping"},
		{"nothere", "kustomization.yaml", 0, 0, "no kustomization.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			dir := "testdata/broken/" + tt.dir
			out := Build(t.Context(), dir)
			if len(out.Files) != 0 {
				t.Errorf("built %d files from a broken kustomization", len(out.Files))
			}
			if len(out.Problems) != 1 {
				t.Fatalf("got problems %+v, want one", out.Problems)
			}
			p := out.Problems[0]
			want := filepath.Join(dir, tt.file)
			if p.File != want || p.Line != tt.line || p.Column != tt.col || !strings.Contains(p.Message, tt.message) {
				t.Errorf("got %s:%d:%d %q\nwant %s:%d:%d containing %q", p.File, p.Line, p.Column, p.Message, want, tt.line, tt.col, tt.message)
			}
			if strings.Contains(p.Message, "/work/") || strings.Contains(p.Message, os.Getenv("HOME")+"/") {
				t.Errorf("message shows absolute paths: %s", p.Message)
			}
		})
	}
}

// TestPatchTargetMissing checks a patch whose target matches nothing,
// which kustomize skips silently, is reported at its target while the
// rest builds; a target by regular expression is not judged.
func TestPatchTargetMissing(t *testing.T) {
	out := Build(t.Context(), "testdata/broken/patchtarget")
	if len(out.Files) != 1 {
		t.Errorf("built %v, want the Service", names(out))
	}
	var got []string
	for _, p := range out.Problems {
		got = append(got, fmt.Sprintf("%s:%d:%d %s", p.File, p.Line, p.Column, p.Message))
	}
	want := []string{`testdata/broken/patchtarget/kustomization.yaml:5:5 patch target Deployment "nothere" matches no object, so kustomize skips the patch: check the target's kind and name`}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestRemoteRefused checks remote sources are reported at their lines and
// never fetched: the build must not reach krusty, which would try the
// network (the deadline only keeps a regression from hanging the suite).
func TestRemoteRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out := Build(ctx, "testdata/broken/remote")
	var got []string
	for _, p := range out.Problems {
		got = append(got, fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column))
		if !strings.Contains(p.Message, "not fetched") {
			t.Errorf("message %q does not say the source was not fetched", p.Message)
		}
	}
	k := "testdata/broken/remote/kustomization.yaml"
	want := []string{k + ":3:5", k + ":4:5", k + ":6:5", k + ":8:11"}
	if !slices.Equal(got, want) {
		t.Errorf("problems at %v, want %v", got, want)
	}
}

func TestRemoteForms(t *testing.T) {
	for s, want := range map[string][2]bool{ // fetches, clones
		"https://example.com/a.yaml":                    {true, true},
		"HTTP://example.com/a.yaml":                     {true, true},
		"token=https://example.com/token":               {true, true},
		"github.com/org/repo//dir?ref=v1":               {false, true},
		"GitHub.com:org/repo":                           {false, true},
		"git@gitlab.com:org/repo.git":                   {false, true},
		"git::https://example.com/repo.git":             {true, true},
		"ssh://git@example.com/repo.git":                {false, true},
		"file:///srv/repo.git":                          {false, true},
		"../../base":                                    {false, false},
		"deployment.yaml":                               {false, false},
		"gitlab.example.com/org/repo":                   {false, false},
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {}": {false, false},
	} {
		if got := [2]bool{fetches(s), clones(s)}; got != want {
			t.Errorf("%q: fetches, clones = %v, want %v", s, got, want)
		}
	}
}

// TestLocalFileLikeRepo checks a resource file whose name looks like a
// repository (user@host...) builds: kustomize reads an existing file
// before it tries to clone.
func TestLocalFileLikeRepo(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"kustomization.yaml": "resources: [team@v1.yaml]\n",
		"team@v1.yaml":       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team\n",
	}
	writeFiles(t, dir, files)
	out := build(t, dir)
	if len(out.Files) != 1 || out.Files[0].Name != filepath.Join(dir, "team@v1.yaml") {
		t.Errorf("built %v, want the one file team@v1.yaml", names(out))
	}
}

func TestBuildCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	out := Build(ctx, prod)
	if len(out.Files) != 0 || len(out.Problems) != 1 || !strings.Contains(out.Problems[0].Message, "canceled") {
		t.Errorf("cancelled build: got %d files, problems %+v; want one problem saying it was cancelled", len(out.Files), out.Problems)
	}
}

// TestRunPanic checks a panic inside kustomize becomes an error.
func TestRunPanic(t *testing.T) {
	tr, err := scan(prod, prod)
	if err != nil {
		t.Fatal(err)
	}
	_, err = run(t.Context(), tr.all[0], func(filesys.FileSystem, string) (resmap.ResMap, error) {
		var m map[string]int
		m["x"]++ // a nil map write: panics
		return nil, nil
	})
	if err == nil || !strings.Contains(err.Error(), "kustomize panicked: assignment to entry in nil map") {
		t.Errorf("got %v, want the panic as an error", err)
	}
}

// TestRunCancelled checks a build that does not end gives up when its
// context is cancelled.
func TestRunCancelled(t *testing.T) {
	tr, err := scan(prod, prod)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	started := make(chan struct{})
	defer close(release)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-started
		cancel()
	}()
	_, err = run(ctx, tr.all[0], func(filesys.FileSystem, string) (resmap.ResMap, error) {
		close(started)
		<-release
		return nil, nil
	})
	if err == nil || !strings.Contains(err.Error(), "build stopped: context canceled") {
		t.Errorf("got %v, want the build stopped", err)
	}
}

// TestHostileInputs builds kustomizations written to break things; each
// must end in problems, not a panic or a hang.
func TestHostileInputs(t *testing.T) {
	tests := map[string]map[string]string{
		"alias bomb": {"kustomization.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\nresources: *d\n"},
		"binary":     {"kustomization.yaml": "\x00\x01\x02\xff\xfe"},
		"self":       {"kustomization.yaml": "resources: [.]\n"},
		"absolute":   {"kustomization.yaml": "resources: [/etc/passwd]\n"},
		"parent":     {"kustomization.yaml": "resources: [..]\n"},
		"bad patch":  {"kustomization.yaml": "resources: [a.yaml]\npatches:\n  - patch: '[[['\n", "a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"},
		"bad doc":    {"kustomization.yaml": "resources: [a.yaml]\n", "a.yaml": "kind: [\n"},
		"generator":  {"kustomization.yaml": "configMapGenerator:\n  - name: x\n    files: [/etc/passwd]\n"},
		"helm":       {"kustomization.yaml": "helmCharts:\n  - name: x\n    repo: https://example.com/charts\n"},
		"plugin":     {"kustomization.yaml": "transformers: [t.yaml]\n", "t.yaml": "apiVersion: example.com/v1\nkind: Exec\nmetadata:\n  name: x\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: /bin/sh\n"},
	}
	for name, files := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, files)
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			out := Build(ctx, dir)
			if len(out.Problems) == 0 {
				t.Errorf("no problem reported; built %d files", len(out.Files))
			}
			for _, p := range out.Problems {
				t.Logf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
				if p.File == "" || p.Message == "" {
					t.Errorf("problem without file or message: %+v", p)
				}
			}
		})
	}
}

func BenchmarkBuild(b *testing.B) {
	for b.Loop() {
		out := Build(b.Context(), prod)
		if len(out.Problems) > 0 || len(out.Files) != 9 {
			b.Fatalf("build: %d files, problems %+v", len(out.Files), out.Problems)
		}
	}
}

func BenchmarkLocate(b *testing.B) {
	out := Build(b.Context(), prod)
	var f render.File
	for _, g := range out.Files {
		if strings.Contains(string(g.Data), "kind: Deployment") {
			f = g
		}
	}
	for b.Loop() {
		f.Locate(0, c0+".resources.limits.memory", 1, 1)
		f.Locate(0, c1+".securityContext.readOnlyRootFilesystem", 1, 1)
		f.Locate(0, c0+".image", 1, 1)
	}
}

func TestErrorLine(t *testing.T) {
	var long strings.Builder
	for i := range 499 {
		fmt.Fprintf(&long, "k%d: v\n", i)
	}
	long.WriteString("bad: [\nafter: 1\n")
	for text, want := range map[string]int{
		"resources:\n  - a.yaml\n  bad: [unclosed\n": 3,
		"a: 1\nb: 2\n\tc: 3\n":                       3,
		"a: 1\n  b: 2\n":                             2,
		"a: 1\nb: {x: 1\nc: 2\n":                     2,
		"a: 1\n---\nb: 2\nc: \"x\n":                  4,
		long.String():                                500,
	} {
		var err error
		for dec := yaml.NewDecoder(strings.NewReader(text)); err == nil; {
			var n yaml.Node
			err = dec.Decode(&n)
		}
		if err == io.EOF {
			t.Fatalf("%q parses", text)
		}
		if got := errorLine([]byte(text), err); got != want {
			t.Errorf("errorLine(%.40q) = %d, want %d (parser said %v)", text, got, want, err)
		}
	}
}

// writeFiles writes files (name -> content) into dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for f, data := range files {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
