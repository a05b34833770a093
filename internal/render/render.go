// Package render holds what the renderers of kubevet (Helm charts,
// Kustomize overlays) give the engine: rendered YAML with the way back to
// the user's own files, so that findings on rendered objects point at the
// template or source file that produced them.
package render

// File is rendered YAML (one or more documents) that came from one source
// file of the user: a chart's template, or the file a kustomization read.
type File struct {
	// Name is the source file findings are reported in, as the user would
	// name it: the path given on the command line joined with the path
	// inside the chart or kustomization ("charts/web/templates/deploy.yaml").
	Name string
	// Data is the rendered YAML.
	Data []byte
	// Locate maps a position in Data to the user's source. doc is the
	// 0-based index of the document in Data, path the field path of the
	// finding (manifest.Path string form, "spec.template.spec.containers[0].image";
	// empty for the whole object), line and column the position (1-based)
	// in Data. It returns the file, line and column to report; line 0 when
	// only the file is known. Nil means positions cannot be traced: findings
	// keep Name and no line.
	Locate func(doc int, path string, line, column int) (file string, l, c int)
}

// Problem is an error of rendering (a missing required value, a template
// that fails, a kustomization that does not build), at its location.
type Problem struct {
	File    string
	Line    int
	Column  int
	Message string
}

// Output is what one chart or kustomization renders to.
type Output struct {
	Files    []File
	Problems []Problem
	// Warnings are remarks that do not stop the rendering (a deprecated
	// kustomization field): the engine reports them as notes.
	Warnings []Problem
}
