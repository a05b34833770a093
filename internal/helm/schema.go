package helm

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/kubevet/kubevet/internal/render"
)

// valueSource is where values came from, in the order they apply: a -f
// file and its bytes, or a --set flag and what it sets.
type valueSource struct {
	file string
	data []byte
	flag string
	set  map[string]any
}

// permissive loads any remote schema as `true`: kubevet never fetches.
type permissive struct{}

func (permissive) Load(string) (any, error) { return true, nil }

// validate checks the coalesced values against the values.schema.json of
// the chart and of each enabled dependency (with the values under its
// name), as chartutil.ValidateAgainstSchema does, and returns one Problem
// per failing value, on the values file line that set it when one did.
func (r *renderer) validate(ch *chart.Chart, vals chartutil.Values, src []valueSource) []render.Problem {
	var out []render.Problem
	r.validateChart(ch, vals.AsMap(), nil, src, &out)
	slices.SortStableFunc(out, func(a, b render.Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column), strings.Compare(a.Message, b.Message))
	})
	return out
}

func (r *renderer) validateChart(c *chart.Chart, vals map[string]any, at []string, src []valueSource, out *[]render.Problem) {
	dir := r.prefix[c.ChartFullPath()]
	if c.Schema != nil {
		if err := validateOne(c.Schema, vals); err != nil {
			var verr *jsonschema.ValidationError
			if errors.As(err, &verr) {
				p := message.NewPrinter(language.English)
				for _, leaf := range leaves(verr) {
					*out = append(*out, r.schemaProblem(c, dir, at, leaf.InstanceLocation, leaf.ErrorKind.LocalizedString(p), src))
				}
			} else {
				*out = append(*out, render.Problem{File: filepath.Join(dir, "values.schema.json"),
					Message: fmt.Sprintf("values.schema.json of chart %s cannot be used: %v", c.Name(), err)})
			}
		}
	}
	for _, dep := range c.Dependencies() {
		raw, ok := vals[dep.Name()]
		if !ok || raw == nil {
			continue
		}
		sub, ok := raw.(map[string]any)
		if !ok {
			if v, isValues := raw.(chartutil.Values); isValues {
				sub = v
			} else {
				*out = append(*out, render.Problem{File: filepath.Join(dir, "values.yaml"),
					Message: fmt.Sprintf("values for subchart %s must be a map, got %T", dep.Name(), raw)})
				continue
			}
		}
		r.validateChart(dep, sub, append(append([]string(nil), at...), dep.Name()), src, out)
	}
}

func validateOne(schemaJSON []byte, vals map[string]any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("schema validation failed: %v", r)
		}
	}()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(jsonschema.SchemeURLLoader{
		"file":  jsonschema.FileLoader{},
		"http":  permissive{},
		"https": permissive{},
		"urn":   permissive{},
	})
	if err := c.AddResource("file:///values.schema.json", doc); err != nil {
		return err
	}
	s, err := c.Compile("file:///values.schema.json")
	if err != nil {
		return err
	}
	return s.Validate(vals)
}

func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// schemaProblem places a schema failure: on the last -f file that sets the
// value, else on the chart's values.yaml, else on values.schema.json.
func (r *renderer) schemaProblem(c *chart.Chart, dir string, at, loc []string, msg string, src []valueSource) render.Problem {
	full := append(append([]string(nil), at...), loc...)
	p := render.Problem{Message: fmt.Sprintf("value %s does not match values.schema.json of chart %s: %s",
		valuePath(full), c.Name(), msg)}
	for i := len(src) - 1; i >= 0; i-- {
		if src[i].set != nil {
			if hasPath(src[i].set, full) {
				p.File = r.root
				p.Message += " (set by " + src[i].flag + ")"
				return p
			}
			continue
		}
		if line, col, ok := valuePos(src[i].data, full); ok {
			p.File, p.Line, p.Column = src[i].file, line, col
			return p
		}
	}
	if line, col, ok := valuePos(rawFile(c, "values.yaml"), loc); ok {
		p.File, p.Line, p.Column = filepath.Join(dir, "values.yaml"), line, col
		return p
	}
	p.File = filepath.Join(dir, "values.schema.json")
	return p
}

func valuePath(p []string) string {
	if len(p) == 0 {
		return "(the values)"
	}
	return "." + strings.Join(p, ".")
}

// hasPath reports whether the path is set in values made by --set.
func hasPath(v any, path []string) bool {
	for _, p := range path {
		switch t := v.(type) {
		case map[string]any:
			next, ok := t[p]
			if !ok {
				return false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(t) {
				return false
			}
			v = t[i]
		default:
			return false
		}
	}
	return true
}
