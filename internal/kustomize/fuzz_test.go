package kustomize

import (
	"testing"
)

// FuzzBuild builds fuzzed kustomization files next to a resource and a
// patch: it must end in files or problems, never a panic.
func FuzzBuild(f *testing.F) {
	for _, seed := range []string{
		"resources: [a.yaml]\n",
		"resources: [a.yaml]\nnamePrefix: x-\nnamespace: ns\nimages:\n  - name: nginx\n    newTag: '2'\n",
		"resources: [a.yaml]\npatches:\n  - path: p.yaml\n    target: {kind: Deployment, name: a}\n",
		"resources: [a.yaml]\npatches:\n  - patch: |-\n      - op: add\n        path: /spec/replicas\n        value: 3\n    target: {kind: Deployment}\n",
		"resources: [a.yaml]\nconfigMapGenerator:\n  - name: c\n    literals: [a=b]\n",
		"resources: [a.yaml, a.yaml]\n",
		"resources: [https://example.com/a.yaml]\n",
		"buildMetadata: [originAnnotations, bogus]\nresources: [a.yaml]\n",
		"resources: &r [a.yaml]\nbases: *r\n",
		"{resources: [a.yaml], replicas: [{name: a, count: 2}]}",
		"patchesStrategicMerge:\n  - |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: a}\n    spec: {replicas: 5}\nresources: [a.yaml]\n",
	} {
		f.Add(seed)
	}
	files := map[string]string{
		"a.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: nginx:1\n",
		"p.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicas: 2\n",
	}
	f.Fuzz(func(t *testing.T, kustomization string) {
		dir := t.TempDir()
		files["kustomization.yaml"] = kustomization
		writeFiles(t, dir, files)
		out := Build(t.Context(), dir)
		for _, p := range out.Problems {
			if p.File == "" || p.Message == "" {
				t.Errorf("problem without file or message: %+v", p)
			}
		}
		for _, file := range out.Files {
			for _, p := range []string{"", "spec.replicas", "spec.template.spec.containers[0].image", "metadata.name", "data.a", "spec.template.spec.containers[3].x"} {
				file.Locate(0, p, 1, 1)
			}
		}
	})
}

// FuzzLocate locates fuzzed paths on the built prod Deployment.
func FuzzLocate(f *testing.F) {
	for _, seed := range []string{"", "spec.template.spec.containers[0].image", `metadata.labels["app.kubernetes.io/part-of"]`, "[0]", "a[99999999999]", `["\"]`, "spec..x", "spec[-1]"} {
		f.Add(seed)
	}
	out := Build(f.Context(), prod)
	f.Fuzz(func(t *testing.T, path string) {
		for _, file := range out.Files {
			name, line, col := file.Locate(0, path, 1, 1)
			if name == "" || line < 0 || col < 0 {
				t.Fatalf("Locate(%q) = %q:%d:%d", path, name, line, col)
			}
		}
	})
}
