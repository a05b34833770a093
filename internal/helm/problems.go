package helm

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
	"helm.sh/helm/v3/pkg/chart"

	"github.com/kubevet/kubevet/internal/render"
)

var (
	// yamlLine finds the line of a YAML error ("yaml: line 3: ...").
	yamlLine = regexp.MustCompile(`yaml: line (\d+)`)
	// subchartError is the loader's wrapping of an error in charts/NAME.
	subchartError = regexp.MustCompile(`^error unpacking subchart (\S+) in \S+: `)
	// cannotLoad is the loader's wrapping of an error in one chart file.
	cannotLoad = regexp.MustCompile(`^cannot load (\S+): `)
	// templatePos finds "name:line" or "name:line:col" in an engine error.
	templatePos = regexp.MustCompile(`([^\s():"'<>]+):(\d+)(?::(\d+))?`)
	// execPrefix is the head of an execution error up to the failing call.
	execPrefix = regexp.MustCompile(`^(?:template: )?\S+:\d+(?::\d+)?: executing "[^"]*" at <[^>]*>: `)
)

// loadProblem turns an error of the chart loader into a Problem on the
// file it names: "error unpacking subchart redis in shop: cannot load
// values.yaml: error converting YAML to JSON: yaml: line 3: ..." is on
// <root>/charts/redis/values.yaml:3.
func loadProblem(root string, err error) render.Problem {
	msg := err.Error()
	dir := root
	for {
		m := subchartError.FindStringSubmatch(msg)
		if m == nil {
			break
		}
		dir = filepath.Join(dir, "charts", m[1])
		msg = msg[len(m[0]):]
	}
	p := render.Problem{File: dir}
	if m := cannotLoad.FindStringSubmatch(msg); m != nil {
		p.File = filepath.Join(dir, filepath.FromSlash(m[1]))
		msg = msg[len(m[0]):]
		p.Line, p.Column = yamlErrorLine(errors.New(msg))
		msg = cleanYAMLError(errors.New(msg))
	} else if strings.Contains(msg, "Chart.yaml") || strings.HasPrefix(msg, "validation: ") {
		p.File = filepath.Join(dir, "Chart.yaml")
	}
	p.Message = "cannot load the chart: " + msg
	return p
}

// yamlErrorLine gives the line of a YAML error, column 1, or 0, 0.
func yamlErrorLine(err error) (int, int) {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, 0
	}
	n, _ := strconv.Atoi(m[1])
	return n, 1
}

// cleanYAMLError drops the JSON-conversion wording of sigs.k8s.io/yaml.
func cleanYAMLError(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "error converting YAML to JSON: ")
	s = strings.TrimPrefix(s, "error unmarshaling JSON: while decoding JSON: ")
	return s
}

// templateProblem turns an error of engine.Render into a Problem at the
// template file and line it names. The engine's errors look like
//
//	execution error at (shop/templates/deployment.yaml:12:20): message
//	template: shop/templates/_helpers.tpl:5:3: executing "shop.name" at <...>: error calling ...
//	parse error at (shop/templates/x.yaml:3): function "foo" not defined
//
// and the first position that names a template of the chart is used.
func (r *renderer) templateProblem(err error) render.Problem {
	msg := err.Error()
	p := render.Problem{File: r.root, Message: msg}
	for _, m := range templatePos.FindAllStringSubmatchIndex(msg, -1) {
		key := msg[m[2]:m[3]]
		t, ok := r.templates[key]
		if !ok {
			continue
		}
		p.File = t.name
		p.Line, _ = strconv.Atoi(msg[m[4]:m[5]])
		if m[6] >= 0 {
			// text/template counts columns from 0
			c, _ := strconv.Atoi(msg[m[6]:m[7]])
			p.Column = c + 1
		}
		p.Message = templateMessage(msg, m[1])
		break
	}
	if !strings.Contains(p.Message, "template") {
		p.Message = "template failed: " + p.Message
	}
	return p
}

// templateMessage is the part of an engine error after its position:
// what failed, in the chart author's words when it is a required or fail
// message.
func templateMessage(msg string, end int) string {
	rest := strings.TrimLeft(msg[end:], "): ")
	if strings.HasPrefix(msg, "execution error at (") {
		return "template failed: " + rest
	}
	if strings.HasPrefix(msg, "parse error at (") {
		return "template does not parse: " + rest
	}
	if m := execPrefix.FindString(msg); m != "" {
		return "template failed: " + strings.TrimPrefix(msg[len(m):], "error calling ")
	}
	return "template failed: " + rest
}

// missingDependencies gives one Problem per dependency of Chart.yaml that
// is not in charts/, on its line of Chart.yaml.
func missingDependencies(ch *chart.Chart, root string) []render.Problem {
	raw := rawFile(ch, "Chart.yaml")
	var out []render.Problem
	for _, d := range ch.Metadata.Dependencies {
		if d == nil {
			continue
		}
		found := false
		for _, c := range ch.Dependencies() {
			if c.Name() == d.Name {
				found = true
				break
			}
		}
		if found {
			continue
		}
		line, col := dependencyLine(raw, d.Name)
		out = append(out, render.Problem{
			File: filepath.Join(root, "Chart.yaml"), Line: line, Column: col,
			Message: fmt.Sprintf("dependency %q is listed in Chart.yaml but missing in charts/; run `helm dependency build` or vendor the chart into charts/", d.Name),
		})
	}
	return out
}

// dependencyLine finds the `- name: NAME` entry of dependencies in
// Chart.yaml.
func dependencyLine(chartYAML []byte, name string) (int, int) {
	root := yamlRoot(chartYAML)
	deps := mappingValue(root, "dependencies")
	if deps == nil || deps.Kind != yaml.SequenceNode {
		return 0, 0
	}
	for _, item := range deps.Content {
		if n := mappingValue(item, "name"); n != nil && n.Value == name {
			return item.Line, item.Column
		}
	}
	return 0, 0
}

// keyLine finds a top-level key of a YAML file.
func keyLine(data []byte, key string) (int, int) {
	root := yamlRoot(data)
	if root == nil || root.Kind != yaml.MappingNode {
		return 0, 0
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == key {
			return root.Content[i].Line, root.Content[i].Column
		}
	}
	return 0, 0
}

func yamlRoot(data []byte) *yaml.Node {
	var doc yaml.Node
	if len(data) == 0 || yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// valuePos finds the key of a values path (["redis", "port"], or a list
// index as a number) in a values file.
func valuePos(data []byte, path []string) (int, int, bool) {
	n := yamlRoot(data)
	if n == nil || len(path) == 0 {
		return 0, 0, false
	}
	line, col := 0, 0
	for _, p := range path {
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					line, col = n.Content[i].Line, n.Content[i].Column
					next = n.Content[i+1]
				}
			}
			if next == nil {
				return 0, 0, false
			}
			n = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(n.Content) {
				return 0, 0, false
			}
			n = n.Content[i]
			line, col = n.Line, n.Column
		default:
			return 0, 0, false
		}
	}
	return line, col, true
}
