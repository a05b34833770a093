package isolation_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kubevet/kubevet/internal/checks/isolation"
	"github.com/kubevet/kubevet/internal/checktest"
)

// TestConfigs runs checks on fixtures under other settings:
// testdata/config-<name>/<check-id>/, each folder with its kubevet.yaml
// (namespaceChecks: all, namespaces: [shop], namespaceChecks: none, an
// option). The catalog test runs the defaults on testdata/<check-id>.
func TestConfigs(t *testing.T) {
	scopes, _ := filepath.Glob(filepath.Join("testdata", "config-*"))
	if len(scopes) == 0 {
		t.Fatal("no fixtures with configurations")
	}
	for _, scope := range scopes {
		t.Run(filepath.Base(scope), func(t *testing.T) {
			for _, c := range isolation.Checks {
				folder := filepath.Join(scope, c.ID)
				if _, err := os.Stat(folder); err != nil {
					continue
				}
				t.Run(c.ID, func(t *testing.T) {
					checktest.RunCheck(t, folder, c, isolation.Checks)
				})
			}
		})
	}
}
