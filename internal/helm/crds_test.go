package helm

import (
	"strings"
	"testing"
)

// TestCRDs: the files of crds/ come with the rendered templates, as helm
// install applies them, with their own positions.
func TestCRDs(t *testing.T) {
	const chart = "testdata/with-crds"
	out := Render(t.Context(), chart, Options{})
	if len(out.Problems) > 0 {
		t.Fatal(out.Problems)
	}
	var names []string
	for _, f := range out.Files {
		names = append(names, f.Name)
		if f.Name == chart+"/crds/widgets.yaml" {
			if !strings.Contains(string(f.Data), "kind: CustomResourceDefinition") {
				t.Errorf("CRD file data: %q", f.Data)
			}
			if file, l, c := f.Locate(0, "spec.group", 6, 3); file != f.Name || l != 6 || c != 3 {
				t.Errorf("Locate in a CRD file = %s:%d:%d, want its own position", file, l, c)
			}
		}
	}
	if strings.Join(names, ",") != chart+"/templates/widget.yaml,"+chart+"/crds/widgets.yaml" {
		t.Errorf("files %q, want the template and the CRD", names)
	}
	// The shop chart has no crds/ folder: nothing is added.
	for _, f := range Render(t.Context(), shop, Options{}).Files {
		if strings.Contains(f.Name, "/crds/") {
			t.Errorf("unexpected CRD file %s", f.Name)
		}
	}
}
