package helm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/kubevet/kubevet/internal/render"
)

const shop = "testdata/shop"

// object is one rendered document, decoded.
type object struct {
	file string
	doc  map[string]any
}

func (o object) id() string {
	return fmt.Sprintf("%s %s/%s", strings.TrimPrefix(o.file, shop+"/"), field(o.doc, "kind"), field(o.doc, "metadata.name"))
}

// field reads a dotted path of maps ("spec.replicas"); nil when absent.
func field(doc map[string]any, path string) any {
	var v any = doc
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func objects(t *testing.T, out render.Output) []object {
	t.Helper()
	var objs []object
	for _, f := range out.Files {
		dec := yaml.NewDecoder(bytes.NewReader(f.Data))
		for {
			var doc map[string]any
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s does not decode: %v\n%s", f.Name, err, f.Data)
			}
			if doc != nil {
				objs = append(objs, object{f.Name, doc})
			}
		}
	}
	return objs
}

func ids(objs []object) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.id())
	}
	return out
}

func find(t *testing.T, objs []object, kind, name string) object {
	t.Helper()
	for _, o := range objs {
		if field(o.doc, "kind") == kind && field(o.doc, "metadata.name") == name {
			return o
		}
	}
	t.Fatalf("no %s/%s among %v", kind, name, ids(objs))
	return object{}
}

func renderOK(t *testing.T, path string, opt Options) []object {
	t.Helper()
	out := Render(t.Context(), path, opt)
	for _, p := range out.Problems {
		t.Errorf("unexpected problem %s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
	}
	for _, f := range out.Files {
		if f.Locate == nil {
			t.Errorf("%s has no Locate", f.Name)
		}
	}
	return objects(t, out)
}

func TestRenderShopDefaults(t *testing.T) {
	objs := renderOK(t, shop, Options{})
	want := []string{
		"charts/postgres-1.0.0.tgz/templates/statefulset.yaml StatefulSet/release-name-postgres",
		"charts/redis/templates/service.yaml Service/release-name-redis",
		"charts/redis/templates/statefulset.yaml StatefulSet/release-name-redis",
		"templates/configmap.yaml ConfigMap/release-name-shop-config",
		"templates/configmap.yaml ConfigMap/release-name-shop-cache",
		"templates/deployment.yaml Deployment/release-name-shop",
		"templates/service.yaml Service/release-name-shop",
	}
	if got := ids(objs); !slices.Equal(got, want) {
		t.Errorf("objects:\n got %q\nwant %q", got, want)
	}
	d := find(t, objs, "Deployment", "release-name-shop")
	if got := field(d.doc, "spec.replicas"); got != 2 {
		t.Errorf("replicas = %v, want 2 (values.yaml)", got)
	}
	if got := field(d.doc, "metadata.namespace"); got != "default" {
		t.Errorf("namespace = %v, want default", got)
	}
	c := field(d.doc, "spec.template.spec.containers").([]any)[0].(map[string]any)
	if got := c["image"]; got != "ghcr.io/example/shop:2.4.1" {
		t.Errorf("image = %v, want the appVersion tag", got)
	}
	if _, ok := c["resources"]; ok {
		t.Errorf("resources rendered from empty values: %v", c["resources"])
	}
	if got := len(c["ports"].([]any)); got != 2 {
		t.Errorf("%d ports, want 2 (range over values)", got)
	}
	// Subchart values are scoped: redis sees its own values.yaml.
	r := find(t, objs, "StatefulSet", "release-name-redis")
	if got := field(r.doc, "spec.template.spec.containers").([]any)[0].(map[string]any)["image"]; got != "redis:7.2" {
		t.Errorf("redis image = %v", got)
	}
}

func TestRenderProfiles(t *testing.T) {
	prod := renderOK(t, shop, Options{ValueFiles: []string{shop + "/values-prod.yaml"}})
	dev := renderOK(t, shop, Options{ValueFiles: []string{shop + "/values-dev.yaml"}})

	d := find(t, prod, "Deployment", "release-name-shop")
	if got := field(d.doc, "spec.replicas"); got != 3 {
		t.Errorf("prod replicas = %v, want 3", got)
	}
	c := field(d.doc, "spec.template.spec.containers").([]any)[0].(map[string]any)
	if got := field(c, "resources.limits.memory"); got != "512Mi" {
		t.Errorf("prod memory limit = %v, want 512Mi", got)
	}
	if got := field(d.doc, "spec.template.metadata.annotations"); got == nil {
		t.Errorf("prod pod annotations missing (with + toYaml)")
	}
	pdb := find(t, prod, "PodDisruptionBudget", "release-name-shop")
	if got := field(pdb.doc, "spec.minAvailable"); got != 2 {
		t.Errorf("prod PDB minAvailable = %v, want 2", got)
	}
	find(t, prod, "Ingress", "release-name-shop")
	pg := find(t, prod, "StatefulSet", "release-name-postgres")
	claims := field(pg.doc, "spec.volumeClaimTemplates").([]any)
	if got := field(claims[0].(map[string]any), "spec.resources.requests.storage"); got != "20Gi" {
		t.Errorf("postgres storage = %v, want 20Gi from the parent's values", got)
	}

	wantDev := []string{
		"templates/configmap.yaml ConfigMap/release-name-shop-config",
		"templates/deployment.yaml Deployment/release-name-shop",
		"templates/service.yaml Service/release-name-shop",
	}
	if got := ids(dev); !slices.Equal(got, wantDev) {
		t.Errorf("dev objects (redis.enabled and tags.database false):\n got %q\nwant %q", got, wantDev)
	}
	d = find(t, dev, "Deployment", "release-name-shop")
	if got := field(d.doc, "spec.replicas"); got != 1 {
		t.Errorf("dev replicas = %v, want 1", got)
	}
	c = field(d.doc, "spec.template.spec.containers").([]any)[0].(map[string]any)
	if _, ok := c["resources"]; ok {
		t.Errorf("dev has resources: %v", c["resources"])
	}
	if _, ok := c["envFrom"]; ok {
		t.Errorf("dev has envFrom of the cache while redis is disabled")
	}
}

func TestRenderSetAndConditions(t *testing.T) {
	tests := []struct {
		name   string
		opt    Options
		has    []string
		hasNot []string
	}{
		{"condition off", Options{Set: []string{"redis.enabled=false"}},
			[]string{"charts/postgres-1.0.0.tgz/templates/statefulset.yaml StatefulSet/release-name-postgres"},
			[]string{"charts/redis/templates/service.yaml Service/release-name-redis", "templates/configmap.yaml ConfigMap/release-name-shop-cache"}},
		{"tag off", Options{Set: []string{"tags.database=false"}},
			[]string{"charts/redis/templates/service.yaml Service/release-name-redis"},
			[]string{"charts/postgres-1.0.0.tgz/templates/statefulset.yaml StatefulSet/release-name-postgres"}},
		{"condition wins over tag", Options{Set: []string{"tags.database=false", "postgres.enabled=true"}},
			nil,
			[]string{"charts/postgres-1.0.0.tgz/templates/statefulset.yaml StatefulSet/release-name-postgres"}},
		{"set over values file", Options{ValueFiles: []string{shop + "/values-dev.yaml"}, Set: []string{"redis.enabled=true", "pdb.enabled=true"}},
			[]string{"charts/redis/templates/service.yaml Service/release-name-redis", "templates/pdb.yaml PodDisruptionBudget/release-name-shop"},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(renderOK(t, shop, tt.opt))
			for _, w := range tt.has {
				if !slices.Contains(got, w) {
					t.Errorf("missing %s in %q", w, got)
				}
			}
			for _, w := range tt.hasNot {
				if slices.Contains(got, w) {
					t.Errorf("unexpected %s", w)
				}
			}
		})
	}
}

func TestRenderSetString(t *testing.T) {
	image := func(opt Options) any {
		d := find(t, renderOK(t, shop, opt), "Deployment", "release-name-shop")
		return field(d.doc, "spec.template.spec.containers").([]any)[0].(map[string]any)["image"]
	}
	if got := image(Options{SetString: []string{"image.tag=1.10"}}); got != "ghcr.io/example/shop:1.10" {
		t.Errorf("--set-string image.tag=1.10: image = %v", got)
	}
	d := find(t, renderOK(t, shop, Options{SetString: []string{"env.CACHE_TTL=600"}}), "Deployment", "release-name-shop")
	env := field(d.doc, "spec.template.spec.containers").([]any)[0].(map[string]any)["env"].([]any)
	if got := env[1].(map[string]any); got["name"] != "CACHE_TTL" || got["value"] != "600" {
		t.Errorf("env[1] = %v, want CACHE_TTL=600", got)
	}
}

func TestRenderReleaseAndKubeVersion(t *testing.T) {
	objs := renderOK(t, shop, Options{
		ReleaseName: "web", Namespace: "shop-prod", KubeVersion: "1.34",
		Set: []string{"ingress.enabled=true", "ingress.host=shop.example.com"},
	})
	d := find(t, objs, "Deployment", "web-shop")
	if got := field(d.doc, "metadata.namespace"); got != "shop-prod" {
		t.Errorf("namespace = %v, want shop-prod", got)
	}
	in := find(t, objs, "Ingress", "web-shop")
	if got := field(in.doc, "metadata.annotations.kubevet\\.io/kube-version"); got != nil {
		t.Fatalf("field() does not split on escaped dots: %v", got)
	}
	ann := field(in.doc, "metadata.annotations").(map[string]any)
	if got := ann["kubevet.io/kube-version"]; got != "v1.34.0" {
		t.Errorf(".Capabilities.KubeVersion.Version = %v, want v1.34.0", got)
	}
	find(t, objs, "ConfigMap", "web-shop-cache")

	def := renderOK(t, shop, Options{Set: []string{"ingress.enabled=true", "ingress.host=x"}})
	ann = field(find(t, def, "Ingress", "release-name-shop").doc, "metadata.annotations").(map[string]any)
	if got := ann["kubevet.io/kube-version"]; got != chartutil.DefaultCapabilities.KubeVersion.Version {
		t.Errorf("default kube version = %v, want the SDK default %s", got, chartutil.DefaultCapabilities.KubeVersion.Version)
	}
}

// TestRenderPackagedChart renders the shop chart packaged by the SDK
// (`helm package`): names are inside the archive.
func TestRenderPackagedChart(t *testing.T) {
	c, err := loader.LoadDir(shop)
	if err != nil {
		t.Fatal(err)
	}
	tgz, err := chartutil.Save(c, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 4)
	f, err := os.Open(tgz)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.ReadFull(f, head)
	f.Close()
	if !IsPackage(tgz, head) {
		t.Fatalf("IsPackage(%s) = false", tgz)
	}
	out := Render(t.Context(), tgz, Options{ValueFiles: []string{shop + "/values-prod.yaml"}})
	if len(out.Problems) > 0 {
		t.Fatalf("problems: %+v", out.Problems)
	}
	var names []string
	for _, f := range out.Files {
		names = append(names, strings.TrimPrefix(f.Name, tgz+string(filepath.Separator)))
	}
	want := []string{
		"charts/postgres/templates/statefulset.yaml", // Save unpacks dependencies
		"charts/redis/templates/service.yaml",
		"charts/redis/templates/statefulset.yaml",
		"templates/configmap.yaml",
		"templates/deployment.yaml",
		"templates/ingress.yaml",
		"templates/pdb.yaml",
		"templates/service.yaml",
	}
	if !slices.Equal(names, want) {
		t.Errorf("files in %s:\n got %q\nwant %q", tgz, names, want)
	}
	folder := objects(t, Render(t.Context(), shop, Options{ValueFiles: []string{shop + "/values-prod.yaml"}}))
	if got := objects(t, out); len(got) != len(folder) {
		t.Errorf("packaged chart renders %d objects, the folder %d", len(got), len(folder))
	}
}

func TestIsChartIsPackage(t *testing.T) {
	if !IsChart(shop) || !IsChart(shop+"/charts/redis") {
		t.Error("IsChart(shop) = false")
	}
	if IsChart(shop+"/templates") || IsChart("testdata/nope") {
		t.Error("IsChart of a folder without Chart.yaml = true")
	}
	gz := []byte{0x1f, 0x8b, 8, 0}
	tests := []struct {
		name string
		head []byte
		want bool
	}{
		{"shop-0.1.0.tgz", gz, true},
		{"shop-0.1.0.TAR.GZ", gz, true},
		{"shop.tgz", []byte("apiVersion: v1"), false},
		{"shop.zip", gz, false},
		{"shop.tgz", nil, false},
	}
	for _, tt := range tests {
		if got := IsPackage(tt.name, tt.head); got != tt.want {
			t.Errorf("IsPackage(%q, % x) = %v, want %v", tt.name, tt.head, got, tt.want)
		}
	}
}

// TestRenderProblems checks that each kind of failure is one Problem at
// the exact file, line and column the user must edit.
func TestRenderProblems(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badYAML := write("bad.yaml", "a: 1\nb:\n  c: [1, 2\nd: 3\n")
	badSchema := write("schema.yaml", "image:\n  pullPolicy: Sometimes\nreplicaCount: three\npostgres:\n  storage: lots\n")

	tests := []struct {
		name string
		path string
		opt  Options
		want []render.Problem // Message holds a part of the message
	}{
		{"parse error", "testdata/broken-template", Options{}, []render.Problem{
			{File: "testdata/broken-template/templates/configmap.yaml", Line: 6, Message: `function "nosuchfunction" not defined`}}},
		{"missing required value", "testdata/missing-required", Options{}, []render.Problem{
			{File: "testdata/missing-required/templates/deployment.yaml", Line: 10, Column: 52, Message: "image.tag is required: pass --set image.tag=<version>"}}},
		{"required value emptied by --set", shop, Options{Set: []string{"domain="}}, []render.Problem{
			{File: shop + "/templates/deployment.yaml", Line: 31, Column: 25, Message: "domain is required"}}},
		{"missing dependency", "testdata/missing-dependency", Options{}, []render.Problem{
			{File: "testdata/missing-dependency/Chart.yaml", Line: 8, Column: 5, Message: `dependency "mysql" is listed in Chart.yaml but missing in charts/`}}},
		{"values file not YAML", shop, Options{ValueFiles: []string{badYAML}}, []render.Problem{
			{File: badYAML, Line: 3, Column: 1, Message: "values file is not valid YAML"}}},
		{"values file missing", shop, Options{ValueFiles: []string{filepath.Join(dir, "nope.yaml")}}, []render.Problem{
			{File: filepath.Join(dir, "nope.yaml"), Message: "cannot read the values file"}}},
		{"schema failures in a values file", shop, Options{ValueFiles: []string{badSchema}}, []render.Problem{
			{File: badSchema, Line: 2, Column: 3, Message: "value .image.pullPolicy does not match values.schema.json of chart shop"},
			{File: badSchema, Line: 3, Column: 1, Message: "value .replicaCount does not match values.schema.json of chart shop: got string, want integer"},
			{File: badSchema, Line: 5, Column: 3, Message: "value .postgres.storage does not match values.schema.json of chart postgres"}}},
		{"schema failure from --set", shop, Options{ValueFiles: []string{badSchema}, Set: []string{"service.port=0", "replicaCount=1", "image.pullPolicy=Always", "postgres.storage=1Gi"}}, []render.Problem{
			{File: shop, Message: "value .service.port does not match values.schema.json of chart shop: minimum: got 0, want 1 (set by --set service.port=0)"}}},
		{"schema failure in the chart's values.yaml", shop, Options{SetString: []string{"replicaCount=2"}}, []render.Problem{
			{File: shop, Message: "value .replicaCount does not match values.schema.json of chart shop: got string, want integer (set by --set-string replicaCount=2)"}}},
		{"bad --set", shop, Options{Set: []string{"a[=1"}}, []render.Problem{
			{File: shop, Message: "--set a[=1"}}},
		{"bad kube version", shop, Options{KubeVersion: "x.y"}, []render.Problem{
			{File: shop, Message: `invalid Kubernetes version "x.y"`}}},
		{"no such chart", "testdata/nope", Options{}, []render.Problem{
			{File: "testdata/nope", Message: "cannot load the chart"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Render(t.Context(), tt.path, tt.opt)
			if len(out.Files) > 0 {
				t.Errorf("%d files rendered despite the problem", len(out.Files))
			}
			if len(out.Problems) != len(tt.want) {
				t.Fatalf("problems:\n got %+v\nwant %+v", out.Problems, tt.want)
			}
			for i, w := range tt.want {
				g := out.Problems[i]
				if g.File != w.File || g.Line != w.Line || g.Column != w.Column || !strings.Contains(g.Message, w.Message) {
					t.Errorf("problem %d:\n got %s:%d:%d: %s\nwant %s:%d:%d: ...%s...", i, g.File, g.Line, g.Column, g.Message, w.File, w.Line, w.Column, w.Message)
				}
			}
		})
	}
}

// writeChart makes a chart folder from name → content.
func writeChart(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "chart")
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const chartYAML = "apiVersion: v2\nname: hostile\nversion: 0.1.0\n"

// TestRenderHostileCharts: a broken chart gives Problems on the right file,
// never a panic, and never stops at the first chart.
func TestRenderHostileCharts(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		file  string // the Problem's file inside the chart
		line  int
		msg   string
	}{
		{"empty Chart.yaml", map[string]string{"Chart.yaml": ""}, "Chart.yaml", 0, "name is required"},
		{"Chart.yaml not YAML", map[string]string{"Chart.yaml": "apiVersion: v2\nname: [x\n"}, "Chart.yaml", 2, "cannot load"},
		{"no Chart.yaml", map[string]string{"values.yaml": "a: 1\n"}, "Chart.yaml", 0, "Chart.yaml file is missing"},
		{"values.yaml not YAML", map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\n b: 2\n"}, "values.yaml", 2, "cannot load"},
		{"fail", map[string]string{"Chart.yaml": chartYAML, "templates/x.yaml": "a: 1\n{{ fail \"x is not supported\" }}\n"}, "templates/x.yaml", 2, "x is not supported"},
		{"fail in a helper", map[string]string{"Chart.yaml": chartYAML,
			"templates/_helpers.tpl": "{{- define \"h\" -}}\n{{ fail \"from the helper\" }}\n{{- end }}\n",
			"templates/x.yaml":       "a: {{ include \"h\" . }}\n"}, "templates/x.yaml", 1, "from the helper"}, // the SDK keeps only the include site
		{"nil pointer in template", map[string]string{"Chart.yaml": chartYAML, "templates/x.yaml": "a: {{ .Values.a.b.c }}\n"}, "templates/x.yaml", 1, "nil pointer"},
		{"recursive include", map[string]string{"Chart.yaml": chartYAML, "templates/x.yaml": "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}\n"}, "templates/x.yaml", 1, "nested reference"},
		{"missing subchart Chart.yaml", map[string]string{"Chart.yaml": chartYAML, "charts/sub/values.yaml": "a: 1\n"}, "charts/sub/Chart.yaml", 0, "Chart.yaml file is missing"},
		{"broken packaged subchart", map[string]string{"Chart.yaml": chartYAML, "charts/sub-1.0.0.tgz": "not gzip"}, "charts/sub-1.0.0.tgz", 0, "cannot load"},
		{"kubeVersion excludes the target", map[string]string{"Chart.yaml": chartYAML + "kubeVersion: \">=1.40.0-0\"\n"}, "Chart.yaml", 4, "requires kubeVersion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeChart(t, tt.files)
			out := Render(t.Context(), dir, Options{KubeVersion: "1.34"})
			if len(out.Problems) != 1 {
				t.Fatalf("problems = %+v, want one", out.Problems)
			}
			p := out.Problems[0]
			if want := filepath.Join(dir, tt.file); p.File != want || p.Line != tt.line || !strings.Contains(p.Message, tt.msg) {
				t.Errorf("got %s:%d: %s\nwant %s:%d: ...%s...", p.File, p.Line, p.Message, want, tt.line, tt.msg)
			}
		})
	}
}

func TestRenderNoTemplates(t *testing.T) {
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\n"})
	out := Render(t.Context(), dir, Options{})
	if len(out.Files) != 0 || len(out.Problems) != 0 {
		t.Errorf("a chart without templates/: %+v", out)
	}
	dir = writeChart(t, map[string]string{"Chart.yaml": chartYAML, "templates/NOTES.txt": "hello {{ .Release.Name }}",
		"templates/_x.yaml": "kind: Secret\n", "templates/empty.yaml": "{{- if false }}\nkind: Pod\n{{- end }}\n"})
	out = Render(t.Context(), dir, Options{})
	if len(out.Files) != 0 || len(out.Problems) != 0 {
		t.Errorf("NOTES.txt, partials and empty output must not be files: %+v", out)
	}
	dir = writeChart(t, map[string]string{"Chart.yaml": chartYAML + "type: library\n",
		"templates/_x.tpl": "{{ define \"x\" }}a: 1{{ end }}\n", "templates/y.yaml": "kind: Pod\n"})
	out = Render(t.Context(), dir, Options{})
	if len(out.Files) != 0 || len(out.Problems) != 0 {
		t.Errorf("a library chart renders: %+v", out)
	}
}

// TestRenderLoopForever: the engine cannot be stopped, Render returns
// when ctx is done.
func TestRenderLoopForever(t *testing.T) {
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/x.yaml": "{{- range until 1000000 }}{{ range until 1000000 }}{{ end }}{{ end }}\n"})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	out := Render(ctx, dir, Options{})
	if len(out.Problems) != 1 || !strings.Contains(out.Problems[0].Message, "deadline exceeded") || out.Problems[0].File != dir {
		t.Fatalf("problems = %+v, want one on the chart about the deadline", out.Problems)
	}
	cancelled, stop := context.WithCancel(t.Context())
	stop()
	if out := Render(cancelled, shop, Options{}); len(out.Problems) != 1 || len(out.Files) != 0 {
		t.Errorf("a cancelled ctx renders: %+v", out)
	}
}

func TestRenderOutputBound(t *testing.T) {
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/x.yaml": "{{- $s := repeat 1048576 \"x\" }}{{ range until 65 }}{{ $s }}{{ end }}\n"})
	out := Render(t.Context(), dir, Options{})
	if len(out.Files) != 0 || len(out.Problems) != 1 || !strings.Contains(out.Problems[0].Message, "more than the 64 MiB") {
		t.Errorf("65 MiB of output: %d files, problems %+v", len(out.Files), out.Problems)
	}
}

// TestRenderNoNetwork: a remote $ref in values.schema.json is not fetched
// (it validates as `true`).
func TestRenderNoNetwork(t *testing.T) {
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"values.yaml":        "a: 1\n",
		"values.schema.json": `{"type":"object","properties":{"a":{"$ref":"https://kubevet.invalid/schema.json"}}}`,
		"templates/x.yaml":   "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.a | quote }}\n"})
	out := Render(t.Context(), dir, Options{})
	if len(out.Problems) != 0 || len(out.Files) != 1 {
		t.Errorf("remote $ref: %+v", out)
	}
}

func BenchmarkRender(b *testing.B) {
	opt := Options{ValueFiles: []string{shop + "/values-prod.yaml"}}
	objects := 0
	for b.Loop() {
		out := Render(b.Context(), shop, opt)
		if len(out.Problems) > 0 {
			b.Fatal(out.Problems)
		}
		objects = 0
		for _, f := range out.Files {
			objects += bytes.Count(f.Data, []byte("\nkind: ")) + bytes.Count(f.Data[:min(len(f.Data), 6)], []byte("kind: "))
			// Locate of the last line forces the alignment, as a finding would.
			f.Locate(0, "", bytes.Count(f.Data, []byte("\n")), 1)
		}
	}
	b.ReportMetric(float64(objects), "objects/op")
}

// TestRenderSubchartNames: errors and files of subcharts are named under
// the folder or archive in charts/ they come from, aliases included.
func TestRenderSubchartNames(t *testing.T) {
	sub := writeChart(t, map[string]string{
		"Chart.yaml":       "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
		"values.yaml":      "ok: true\n",
		"templates/x.yaml": "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\n{{- if not .Values.ok }}\n{{ fail \"sub is not ok\" }}\n{{- end }}\n",
	})
	c, err := loader.LoadDir(sub)
	if err != nil {
		t.Fatal(err)
	}
	parent := "apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 1.0.0\n    alias: first\n  - name: sub\n    version: 1.0.0\n    alias: second\n"
	for _, packaged := range []bool{false, true} {
		files := map[string]string{"Chart.yaml": parent}
		entry := "charts/sub"
		if !packaged {
			for name, data := range map[string]string{"Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n", "values.yaml": "ok: true\n"} {
				files[entry+"/"+name] = data
			}
			files[entry+"/templates/x.yaml"] = string(c.Templates[0].Data)
		}
		dir := writeChart(t, files)
		if packaged {
			if err := os.MkdirAll(filepath.Join(dir, "charts"), 0o755); err != nil {
				t.Fatal(err)
			}
			if _, err := chartutil.Save(c, filepath.Join(dir, "charts")); err != nil {
				t.Fatal(err)
			}
			entry = "charts/sub-1.0.0.tgz"
		}
		want := filepath.Join(dir, entry, "templates", "x.yaml")
		out := Render(t.Context(), dir, Options{})
		if len(out.Problems) > 0 || len(out.Files) != 2 {
			t.Fatalf("packaged=%v: %+v", packaged, out)
		}
		for _, f := range out.Files {
			if f.Name != want {
				t.Errorf("packaged=%v: file %s, want %s", packaged, f.Name, want)
			}
		}
		out = Render(t.Context(), dir, Options{Set: []string{"second.ok=false"}})
		if len(out.Problems) != 1 || out.Problems[0].File != want || out.Problems[0].Line != 6 || !strings.Contains(out.Problems[0].Message, "sub is not ok") {
			t.Errorf("packaged=%v: problems %+v, want one at %s:6", packaged, out.Problems, want)
		}
	}
}

// TestRenderNoCluster: lookup gives an empty map and getHostByName an
// empty string, as in `helm template`.
func TestRenderNoCluster(t *testing.T) {
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/x.yaml": "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x\ndata:\n" +
			"  secret: {{ if lookup \"v1\" \"Secret\" \"default\" \"s\" }}found{{ else }}none{{ end }}\n" +
			"  host: {{ getHostByName \"kubernetes.default\" | quote }}\n"})
	objs := renderOK(t, dir, Options{})
	if len(objs) != 1 {
		t.Fatalf("objects: %v", ids(objs))
	}
	if got := field(objs[0].doc, "data.secret"); got != "none" {
		t.Errorf("lookup found %v", got)
	}
	if got := field(objs[0].doc, "data.host"); got != "" {
		t.Errorf("getHostByName = %v", got)
	}
}

// TestRenderSchemaChartValues: a default of the chart's own values.yaml
// that fails its schema is reported on values.yaml, and a value no file
// sets on values.schema.json.
func TestRenderSchemaChartValues(t *testing.T) {
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"values.yaml":        "# defaults\nport: http\n",
		"values.schema.json": `{"type":"object","required":["name"],"properties":{"port":{"type":"integer"}}}`,
		"templates/x.yaml":   "kind: ConfigMap\n"})
	out := Render(t.Context(), dir, Options{})
	want := []render.Problem{
		{File: filepath.Join(dir, "values.schema.json"), Message: "value (the values) does not match values.schema.json of chart hostile: missing property 'name'"},
		{File: filepath.Join(dir, "values.yaml"), Line: 2, Column: 1, Message: "value .port does not match values.schema.json of chart hostile: got string, want integer"},
	}
	if len(out.Problems) != len(want) {
		t.Fatalf("problems: %+v", out.Problems)
	}
	for i, w := range want {
		if g := out.Problems[i]; g != w {
			t.Errorf("problem %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

// TestRenderConcurrent: charts render and locate in parallel (run with
// -race).
func TestRenderConcurrent(t *testing.T) {
	done := make(chan render.Output)
	for _, profile := range []string{"prod", "dev", "prod", "dev"} {
		go func() {
			out := Render(t.Context(), shop, Options{ValueFiles: []string{shop + "/values-" + profile + ".yaml"}})
			for _, f := range out.Files {
				f.Locate(0, "metadata.name", 4, 1)
			}
			done <- out
		}()
	}
	for range 4 {
		if out := <-done; len(out.Problems) > 0 || len(out.Files) == 0 {
			t.Errorf("concurrent render: %+v", out.Problems)
		}
	}
}
