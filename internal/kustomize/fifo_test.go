//go:build unix

package kustomize

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNamedPipe checks a named pipe among the files of a kustomization
// is refused, not opened: opening it would block until a writer came.
func TestNamedPipe(t *testing.T) {
	for name, tt := range map[string]struct {
		kustomization string
		line, col     int
	}{
		"resource": {"resources: [pipe.yaml]\n", 1, 13},
		"patch":    {"resources: [a.yaml]\npatches:\n  - path: pipe.yaml\n", 3, 5},
		"literal":  {"configMapGenerator:\n  - name: x\n    files: [pipe.yaml]\n", 3, 13},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
			files := map[string]string{
				"kustomization.yaml": tt.kustomization,
				"a.yaml":             "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
			}
			writeFiles(t, dir, files)
			// The deadline only keeps a regression from hanging the suite.
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			out := Build(ctx, dir)
			if len(out.Problems) != 1 {
				t.Fatalf("got problems %+v, want one", out.Problems)
			}
			p := out.Problems[0]
			if p.Line != tt.line || p.Column != tt.col || !strings.Contains(p.Message, "pipe.yaml is not a regular file") {
				t.Errorf("got %d:%d %q, want %d:%d saying pipe.yaml is not a regular file", p.Line, p.Column, p.Message, tt.line, tt.col)
			}
		})
	}
}
