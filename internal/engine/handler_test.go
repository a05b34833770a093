package engine_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/config"
	"github.com/kubevet/kubevet/internal/engine"
)

// lineHandler reads .conf files and reports every line that says "bad",
// under the check privileged-container (any catalog check would do).
type lineHandler struct{}

func (lineHandler) Name() string         { return "test" }
func (lineHandler) Extensions() []string { return []string{".conf"} }
func (lineHandler) Match(name string, head []byte) bool {
	return strings.HasSuffix(name, ".conf")
}
func (lineHandler) Check(_ context.Context, name string, r io.Reader, env engine.HandlerEnv) ([]check.Finding, []engine.Note) {
	data, _ := io.ReadAll(r)
	var fs []check.Finding
	for i, l := range strings.Split(string(data), "\n") {
		if l == "bad" {
			fs = append(fs, check.Finding{Check: "privileged-container", Severity: check.Error, File: name, Line: i + 1, Column: 1, Message: "bad line"})
		}
	}
	return fs, []engine.Note{{File: name, Level: engine.NoteInfo, Message: "read by the test handler"}}
}

func TestHandler(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.conf", "good\nbad\n")
	write(t, dir, "b.txt", "bad\n")
	cfg, err := config.Parse("c", []byte("checks:\n  privileged-container: {severity: info}\n"), catalog.All())
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Check(context.Background(), []string{dir}, engine.Options{Config: cfg, Checks: catalog.All(), Handlers: []engine.Handler{lineHandler{}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Line != 2 || res.Findings[0].Severity != check.Info {
		t.Errorf("findings:\n%s", dump(res))
	}
	if len(res.Notes) != 1 || res.Files != 1 {
		t.Errorf("notes or files:\n%s files=%d", dump(res), res.Files)
	}
}
