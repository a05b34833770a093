package secrets_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/secrets"
	"github.com/kubevet/kubevet/internal/manifest"
)

// TestMessagesHideValues runs the checks on their fixtures and fails if a
// finding's message shows a secret value, or any part of one.
func TestMessagesHideValues(t *testing.T) {
	settings := &check.Settings{SystemNamespaces: check.DefaultSystemNamespaces}
	for _, c := range secrets.Checks {
		files, _ := filepath.Glob(filepath.Join("testdata", c.ID, "*.yaml"))
		if len(files) == 0 {
			t.Fatalf("%s: no fixtures", c.ID)
		}
		findings := 0
		for _, f := range files {
			for _, o := range decode(t, f) {
				values := secretValues(o)
				for _, fd := range check.Run(c, o, settings, nil) {
					findings++
					for _, v := range values {
						if leaks(fd.Message, v) {
							t.Errorf("%s:%d: %s message shows secret value %q: %s", f, fd.Line, c.ID, v, fd.Message)
						}
					}
				}
			}
		}
		if findings == 0 {
			t.Errorf("%s: no findings, nothing tested", c.ID)
		}
	}
}

// leaks reports whether msg shows v or a piece of it long enough to tell
// (a prefix, a suffix).
func leaks(msg, v string) bool {
	const piece = 6
	if len(v) < piece {
		return strings.Contains(msg, v) && len(v) >= 4
	}
	return strings.Contains(msg, v) || strings.Contains(msg, v[:piece]) || strings.Contains(msg, v[len(v)-piece:])
}

// secretValues returns the env values and Secret data of o, as written and
// decoded.
func secretValues(o *manifest.Object) []string {
	var out []string
	for _, c := range check.Containers(o.PodTemplate()) {
		for _, e := range c.C.Env {
			if e.Value != "" {
				out = append(out, e.Value)
			}
		}
	}
	if s, ok := o.Typed().(*corev1.Secret); ok {
		for _, v := range s.Data {
			if len(v) > 0 {
				out = append(out, string(v), base64.StdEncoding.EncodeToString(v))
			}
		}
		for _, v := range s.StringData {
			if v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// decode reads the objects of a fixture. Unlike checktest.File it ignores
// diagnostics: this test is about messages, not about the input's validity.
func decode(t *testing.T, file string) []*manifest.Object {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	objs, _, err := manifest.ReadAll(file, fh, manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// TestInManifestQuotesName: the Secret is named as other objects are in
// messages, quoted.
func TestInManifestQuotesName(t *testing.T) {
	settings := &check.Settings{SystemNamespaces: check.DefaultSystemNamespaces}
	for _, f := range []string{"data", "stringData"} {
		src := "apiVersion: v1\nkind: Secret\nmetadata: {name: db-credentials, namespace: shop}\n" + f + ":\n  password: aHVudGVyMi1mYWtl\n"
		file := filepath.Join(t.TempDir(), "s.yaml")
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		fs := check.Run(secrets.InManifest, decode(t, file)[0], settings, nil)
		if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, `Secret "db-credentials" commits`) {
			t.Errorf("%s: findings %+v", f, fs)
		}
	}
}
