package manifest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// addFixtureSeeds seeds a fuzz target with the checks' fixtures (those
// under 8 KiB).
func addFixtureSeeds(f *testing.F) {
	seeds, _ := filepath.Glob("../checks/*/testdata/*/*.yaml")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil && len(data) < 8<<10 {
			f.Add(data)
		}
	}
}

// FuzzDecode feeds arbitrary bytes through the splitter and the decoder.
// Whatever the input, they must not panic or hang, and every diagnostic
// must carry a line. Run it with:
//
//	go test ./internal/manifest -run '^$' -fuzz FuzzDecode -fuzztime 60s
func FuzzDecode(f *testing.F) {
	addFixtureSeeds(f)
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata: &m {<<: *m}\n"))
	f.Add([]byte("--- |\n  text\n...\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := NewSplitter(bytes.NewReader(data))
		for {
			c, err := s.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d := Decode("fuzz.yaml", c, Options{})
			for _, dg := range d.Diagnostics {
				if dg.Pos.Line <= 0 {
					t.Errorf("diagnostic without a line: %+v", dg)
				}
			}
			for _, o := range d.Objects {
				o.Locate(NewPath("spec", "template", "spec", "containers").Index(0).Child("image"))
				o.JSON()
				if o.PodTemplate() != nil {
					_ = o.PodTemplate().Spec.Containers
				}
			}
		}
	})
}
