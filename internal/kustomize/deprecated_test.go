package kustomize

import (
	"fmt"
	"io"
	"os"
	"slices"
	"testing"
)

// TestDeprecations: kustomize's warnings about deprecated fields come back
// as warnings at their keys, and nothing is written to standard error.
func TestDeprecations(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	out := Build(t.Context(), prod)
	os.Stderr = saved
	w.Close()
	written, _ := io.ReadAll(r)
	if len(written) > 0 {
		t.Errorf("Build wrote to standard error: %q", written)
	}
	if os.Stderr != saved {
		t.Error("os.Stderr not restored")
	}
	if len(out.Problems) > 0 {
		t.Fatalf("problems: %+v", out.Problems)
	}
	var got []string
	for _, w := range out.Warnings {
		got = append(got, fmt.Sprintf("%s:%d:%d", w.File, w.Line, w.Column))
	}
	want := []string{
		"testdata/app/overlays/prod/kustomization.yaml:18:1",
		"testdata/app/overlays/prod/kustomization.yaml:20:1",
		"testdata/app/base/kustomization.yaml:3:1",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("warnings at %q, want %q", got, want)
	}
}
