// Command gen writes the compressed OpenAPI schemas that package schema
// embeds, one file a Kubernetes minor version, from the OpenAPI v3
// documents (api/openapi-spec/v3/*.json) of the k8s.io/kubernetes module,
// which it fetches with `go mod download`.
//
// Run it from the module root, or with go generate in package schema:
//
//	go run ./internal/schema/gen
//	go generate ./internal/schema
//
// Descriptions, examples, patch strategies and list types are dropped;
// allOf wrappers of a single $ref become the ref; every definition that a
// kind reaches is kept. See package schema for the format.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kubevet/kubevet/internal/schema"
)

// Versions are the k8s.io/kubernetes releases whose schemas are shipped:
// the newest patch release of the four newest minor versions the proxy
// serves.
var Versions = []string{"v1.34.4", "v1.35.4", "v1.36.3", "v1.37.2"}

var out = flag.String("o", filepath.Join("internal", "schema", "data"), "output folder")

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run() error {
	for _, v := range Versions {
		dir, err := download(v)
		if err != nil {
			return err
		}
		f, err := build(filepath.Join(dir, "api", "openapi-spec", "v3"))
		if err != nil {
			return fmt.Errorf("%s: %w", v, err)
		}
		minor := strings.Join(strings.Split(strings.TrimPrefix(v, "v"), ".")[:2], ".")
		f.Version = minor
		f.Release = v
		var raw bytes.Buffer
		enc := json.NewEncoder(&raw)
		if err := enc.Encode(f); err != nil {
			return err
		}
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		w.Write(raw.Bytes())
		if err := w.Close(); err != nil {
			return err
		}
		file := filepath.Join(*out, minor+".json.gz")
		if err := os.WriteFile(file, gz.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d kinds, %d definitions, %d bytes (%d uncompressed)\n", file, len(f.Kinds), len(f.Defs), gz.Len(), raw.Len())
	}
	return nil
}

func download(version string) (string, error) {
	out, err := exec.Command("go", "mod", "download", "-json", "k8s.io/kubernetes@"+version).Output()
	if err != nil {
		return "", fmt.Errorf("go mod download k8s.io/kubernetes@%s: %w", version, err)
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", err
	}
	if m.Error != "" {
		return "", fmt.Errorf("k8s.io/kubernetes@%s: %s", version, m.Error)
	}
	return m.Dir, nil
}

// raw is an OpenAPI v3 schema as the documents write it.
type raw struct {
	Ref                  string          `json:"$ref"`
	AllOf                []*raw          `json:"allOf"`
	Type                 string          `json:"type"`
	Format               string          `json:"format"`
	Properties           map[string]*raw `json:"properties"`
	Items                *raw            `json:"items"`
	AdditionalProperties json.RawMessage `json:"additionalProperties"`
	Required             []string        `json:"required"`
	Enum                 []any           `json:"enum"`
	Default              json.RawMessage `json:"default"`
	IntOrString          bool            `json:"x-kubernetes-int-or-string"`
	Preserve             bool            `json:"x-kubernetes-preserve-unknown-fields"`
	Nullable             bool            `json:"nullable"`
	GVK                  []struct {
		Group, Version, Kind string
	} `json:"x-kubernetes-group-version-kind"`
}

func build(dir string) (*schema.File, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	defs := map[string]*raw{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var doc struct {
			Components struct {
				Schemas map[string]*raw `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		for name, s := range doc.Components.Schemas {
			defs[name] = s
		}
	}
	f := &schema.File{Kinds: map[string]string{}, Defs: map[string]*schema.Node{}}
	for name, s := range defs {
		if !strings.HasPrefix(name, "io.k8s.api.") && !strings.HasPrefix(name, "io.k8s.kube-aggregator.") && !strings.HasPrefix(name, "io.k8s.apiextensions-apiserver.") {
			continue
		}
		for _, g := range s.GVK {
			if g.Kind == "" || strings.HasSuffix(g.Kind, "List") || g.Kind == "DeleteOptions" || g.Kind == "WatchEvent" {
				continue
			}
			_, hasMeta := s.Properties["metadata"]
			if !hasMeta {
				continue // reviews and other request kinds
			}
			gv := g.Version
			if g.Group != "" {
				gv = g.Group + "/" + g.Version
			}
			f.Kinds[gv+"/"+g.Kind] = name
		}
	}
	// Keep the definitions the kinds reach.
	var visit func(name string)
	visit = func(name string) {
		if _, done := f.Defs[name]; done {
			return
		}
		s, ok := defs[name]
		if !ok {
			return
		}
		n := &schema.Node{}
		f.Defs[name] = n
		*n = *convert(s, visit)
	}
	for _, name := range f.Kinds {
		visit(name)
	}
	return f, nil
}

func refName(ref string) string { return strings.TrimPrefix(ref, "#/components/schemas/") }

func convert(s *raw, visit func(string)) *schema.Node {
	if s.Ref == "" && len(s.AllOf) == 1 && s.AllOf[0].Ref != "" {
		s.Ref = s.AllOf[0].Ref
	}
	n := &schema.Node{
		Type:        s.Type,
		Format:      s.Format,
		Required:    s.Required,
		Default:     len(s.Default) > 0,
		IntOrString: s.IntOrString,
		Preserve:    s.Preserve,
		Nullable:    s.Nullable,
	}
	if s.Ref != "" {
		n.Ref = refName(s.Ref)
		visit(n.Ref)
	}
	for _, e := range s.Enum {
		if str, ok := e.(string); ok {
			n.Enum = append(n.Enum, str)
		}
	}
	if len(s.Properties) > 0 {
		n.Props = make(map[string]*schema.Node, len(s.Properties))
		for k, p := range s.Properties {
			n.Props[k] = convert(p, visit)
		}
	}
	if s.Items != nil {
		n.Items = convert(s.Items, visit)
	}
	if len(s.AdditionalProperties) > 0 {
		var ap raw
		if json.Unmarshal(s.AdditionalProperties, &ap) == nil {
			n.Additional = convert(&ap, visit)
		} else {
			var b bool
			if json.Unmarshal(s.AdditionalProperties, &b) == nil && b {
				n.Additional = &schema.Node{}
			}
		}
	}
	return n
}
