package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// browserDir holds the Node test of the HTML pages and its package.json.
const browserDir = "../../test/browser"

// requireBrowser finds Chromium, Node and playwright-core. Without them the
// test is skipped, unless KUBEVET_REQUIRE_BROWSER=1 (set by .ci/run, which
// installs them) turns the skip into a failure.
func requireBrowser(t *testing.T) (chromium, node string) {
	t.Helper()
	missing := func(what string) {
		msg := what + " is missing: install it to run the browser test (apt-get install -y chromium; cd test/browser && npm ci), as .ci/run does"
		if os.Getenv("KUBEVET_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg + " (KUBEVET_REQUIRE_BROWSER=1)")
		}
		t.Skip(msg)
	}
	chromium = os.Getenv("CHROMIUM")
	if chromium == "" {
		for _, name := range []string{"chromium", "chromium-browser"} {
			if p, err := exec.LookPath(name); err == nil {
				chromium = p
				break
			}
		}
	}
	if chromium == "" {
		missing("Chromium")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("Node.js")
	}
	if _, err := os.Stat(filepath.Join(browserDir, "node_modules", "playwright-core", "package.json")); err != nil {
		missing("playwright-core (test/browser/node_modules)")
	}
	return chromium, node
}

// TestHTMLInBrowser opens the HTML report and the HTML checklist of
// examples/bad-app in headless Chromium (test/browser/html.test.mjs): the
// summary figures, the filters, no request leaving the page, screenshots
// (in KUBEVET_SCREENSHOTS when set, else a temporary folder).
func TestHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chromium, node := requireBrowser(t)
	dir := t.TempDir()
	reportHTML := filepath.Join(dir, "report.html")
	reportJSON := filepath.Join(dir, "report.json")
	checklistHTML := filepath.Join(dir, "checklist.html")
	if _, errs, code := kubevet(t, "", "check", "-o", "html="+reportHTML, "-o", "json="+reportJSON, "../../examples/bad-app"); code != 1 {
		t.Fatalf("check: exit %d: %s", code, errs)
	}
	if _, errs, code := kubevet(t, "", "checklist", "--date", "2026-11-23", "--attestations", "../../internal/checklist/testdata/kubevet-attestations.yaml",
		"-o", "html="+checklistHTML, "../../examples/bad-app"); code != 0 {
		t.Fatalf("checklist: exit %d: %s", code, errs)
	}
	shots := os.Getenv("KUBEVET_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join(dir, "screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "html.test.mjs")
	cmd.Dir = browserDir
	cmd.Env = append(os.Environ(),
		"CHROMIUM="+chromium,
		"KUBEVET_REPORT_HTML="+reportHTML,
		"KUBEVET_REPORT_JSON="+reportJSON,
		"KUBEVET_CHECKLIST_HTML="+checklistHTML,
		"KUBEVET_SCREENSHOTS="+shots,
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test html.test.mjs: %v\n%s", err, out)
	}
	t.Logf("screenshots in %s", shots)
}
