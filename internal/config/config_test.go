package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/config"
)

var registries = &check.Check{
	ID: "allowed-registries", Title: "t", Why: "w", Fix: "f", Disabled: true,
	Target:  check.AllObjects,
	Options: []check.Option{{Name: "registries", Kind: check.StringList, Default: []string{"mcr.microsoft.com"}}, {Name: "max", Kind: check.Int, Default: 1}},
	Run:     func(*check.Pass) {},
}

var tag = &check.Check{ID: "image-tag", Title: "t", Why: "w", Fix: "f", Severity: check.Warning, Target: check.AllObjects, Run: func(*check.Pass) {}}

var catalog = []*check.Check{registries, tag}

func TestParse(t *testing.T) {
	cfg, err := config.Parse("c.yaml", []byte(`
kubernetesVersion: "1.33"
namespace: shop
profile: dev
failOn: warning
systemNamespaces: [infra]
exclude: ["vendor/**", "*.gen.yaml"]
checks:
  image-tag: false
  allowed-registries:
    enabled: true
    severity: warning
    registries: ["*.azurecr.io"]
    max: 3
`), catalog)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.KubernetesVersion != "1.33" || cfg.Namespace != "shop" || cfg.Profile != "dev" || cfg.FailOn != "warning" {
		t.Errorf("settings: %+v", cfg)
	}
	if cfg.Enabled(tag) || !cfg.Enabled(registries) {
		t.Error("enabled flags not applied")
	}
	if got := cfg.OptionsOf(registries).Strings("registries"); len(got) != 1 || got[0] != "*.azurecr.io" {
		t.Errorf("registries = %v", got)
	}
	if cfg.OptionsOf(registries).Int("max") != 3 {
		t.Error("max option")
	}
	if cfg.SeverityOf("allowed-registries", check.Error) != check.Warning || cfg.SeverityOf("image-tag", check.Info) != check.Info {
		t.Error("severity override")
	}
	s := cfg.Settings()
	if !s.IsSystemNamespace("infra") || s.IsSystemNamespace("kube-system") {
		t.Error("system namespaces")
	}
	for path, want := range map[string]bool{"vendor/a.yaml": true, "x/vendor/b.yaml": true, "a.gen.yaml": true, "d/a.gen.yaml": true, "app/a.yaml": false, "vendored/a.yaml": false} {
		if cfg.Excluded(path) != want {
			t.Errorf("Excluded(%s) = %v", path, !want)
		}
	}
}

// TestStrict: every mistake is reported with its line and column, all of
// them at once.
func TestStrict(t *testing.T) {
	_, err := config.Parse("c.yaml", []byte(`kubernetesVersion: 1.33
profile: staging
failon: error
checks:
  no-such-check: {}
  image-tag:
    enabled: "yes"
    severity: fatal
    colour: red
  allowed-registries:
    registries: mcr.microsoft.com
    max: many
exclude: ["[broken"]
`), catalog)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`c.yaml:1:20: expected a string, found a number`,
		`c.yaml:2:10: "staging" is not one of production, regulated, dev`,
		`c.yaml:3:1: unknown key "failon"`,
		`c.yaml:5:3: unknown check "no-such-check"`,
		`c.yaml:7:14: expected true or false, found the string "yes"`,
		`c.yaml:8:15: "fatal" is not one of error, warning, info`,
		`c.yaml:9:5: unknown key "colour" for check image-tag (known: enabled, severity)`,
		`c.yaml:11:17: expected a list of strings, found the string "mcr.microsoft.com"`,
		`c.yaml:12:10: expected a whole number, found the string "many"`,
		`c.yaml:13:10: exclude pattern "[broken"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	if _, err := config.Parse("d.yaml", []byte("checks: {image-tag: {}}\nchecks: {}\n"), catalog); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("duplicate key: %v", err)
	}
	if _, err := config.Parse("e.yaml", []byte("- a\n"), catalog); err == nil {
		t.Error("a list is not a configuration")
	}
	if cfg, err := config.Parse("f.yaml", []byte("# only comments\n"), catalog); err != nil || cfg == nil {
		t.Errorf("empty file: %v", err)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	os.MkdirAll(sub, 0o755)
	os.WriteFile(filepath.Join(dir, config.FileName), []byte("{}"), 0o644)
	os.WriteFile(filepath.Join(sub, "x.yaml"), []byte("{}"), 0o644)
	if got := config.Find(filepath.Join(sub, "x.yaml")); got != filepath.Join(dir, config.FileName) {
		t.Errorf("Find = %q", got)
	}
}

// TestHelm: the mode and the helm section; values files are relative to the
// configuration's folder; mistakes are reported at their line.
func TestHelm(t *testing.T) {
	cfg, err := config.Parse(filepath.Join("deploy", ".kubevet.yaml"), []byte(`mode: helm
helm:
  values: [values.yaml, /abs/v.yaml]
  set: ["image.tag=1.2.3"]
  setString: ["build=007"]
  releaseName: shop
  profiles:
    prod: [values-prod.yaml]
    dev: [values-dev.yaml, local.yaml]
`), catalog)
	if err != nil {
		t.Fatal(err)
	}
	h := cfg.Helm
	if cfg.Mode != "helm" || h.ReleaseName != "shop" || strings.Join(h.Values, ",") != "deploy/values.yaml,/abs/v.yaml" ||
		strings.Join(h.Set, ",") != "image.tag=1.2.3" || strings.Join(h.SetString, ",") != "build=007" {
		t.Errorf("helm: %+v, mode %q", h, cfg.Mode)
	}
	if len(h.Profiles) != 2 || h.Profiles[0].Name != "prod" || h.Profiles[1].Name != "dev" || strings.Join(h.Profiles[1].Files, ",") != "deploy/values-dev.yaml,deploy/local.yaml" {
		t.Errorf("profiles: %+v", h.Profiles)
	}
	_, err = config.Parse("c.yaml", []byte(`mode: chart
helm:
  value: [x.yaml]
  profiles:
    prod: []
    dev: values-dev.yaml
`), catalog)
	for _, want := range []string{
		`c.yaml:1:7: "chart" is not one of auto, manifests, helm, kustomize`,
		`c.yaml:3:3: unknown key "value" in helm`,
		`c.yaml:5:11: profile prod lists no values file`,
		`c.yaml:6:10: expected a list of strings, found the string "values-dev.yaml"`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}
