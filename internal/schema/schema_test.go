package schema

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

func TestVersions(t *testing.T) {
	got := strings.Join(Versions(), " ")
	if got != "1.34 1.35 1.36 1.37" {
		t.Fatalf("embedded versions %q", got)
	}
	for _, v := range Versions() {
		f, err := Load(v)
		if err != nil {
			t.Fatal(err)
		}
		if f.Version != v || f.Kind("apps/v1", "Deployment") == "" || f.Kind("v1", "Pod") == "" {
			t.Errorf("%s: version %q, Deployment %q", v, f.Version, f.Kind("apps/v1", "Deployment"))
		}
	}
	a, _ := Load("1.37")
	b, _ := Load("1.37")
	if a != b {
		t.Error("Load decodes a version twice")
	}
}

func TestSelect(t *testing.T) {
	for _, tc := range []struct {
		target, version string
		note            bool
	}{
		{"1.35", "1.35", false},
		{"v1.36", "1.36", false},
		{"1.34.2", "1.34", false},
		{"", "1.37", false},
		{"1.40", "1.37", true},
		{"2.0", "1.37", true},
		{"1.30", "1.34", true},
		{"latest", "1.37", true},
	} {
		v, note := Select(tc.target)
		if v != tc.version || (note != "") != tc.note {
			t.Errorf("Select(%q) = %q, %q; want %q, note %v", tc.target, v, note, tc.version, tc.note)
		}
	}
}

func parse(t testing.TB, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func crdSchema(t *testing.T, src string) *Node {
	t.Helper()
	var p apiextv1.JSONSchemaProps
	if err := yamlToProps(src, &p); err != nil {
		t.Fatal(err)
	}
	return FromCRD(&p)
}

func TestStructural(t *testing.T) {
	s := crdSchema(t, `
type: object
properties:
  spec:
    type: object
    required: [size, mode]
    properties:
      size: {type: integer, minimum: 1, maximum: 10}
      mode: {type: string, default: fast}
      color: {type: string, enum: [red, blue]}
      name: {type: string, pattern: "^[a-z]+$", maxLength: 5}
      port: {x-kubernetes-int-or-string: true}
      free: {type: object, x-kubernetes-preserve-unknown-fields: true}
      tags: {type: object, additionalProperties: {type: string}}
      list: {type: array, maxItems: 2, items: {type: string}}
      closed: {type: object}
      template:
        type: object
        x-kubernetes-embedded-resource: true
        properties:
          spec: {type: object, properties: {replicas: {type: integer}}}
`)
	for _, tc := range []struct {
		src  string
		want []string // "problem path"
	}{
		{"spec: {size: 3}", nil},
		{"spec: {size: 3, port: http, free: {x: 1}, tags: {a: b}, list: [a]}", nil},
		{"spec: {size: 3, port: 80, color: red, name: abc}", nil},
		{"spec: {size: 2.0}", nil},
		{"spec: {}", []string{"2 spec.size"}},
		{"spec: {size: 0}", []string{"3 spec.size"}},
		{"spec: {size: 3.5}", []string{"1 spec.size"}},
		{"spec: {size: '3'}", []string{"1 spec.size"}},
		{"spec: {size: 3, colour: red}", []string{"0 spec.colour"}},
		{"spec: {size: 3, color: green}", []string{"3 spec.color"}},
		{"spec: {size: 3, name: Abcdef}", []string{"3 spec.name", "3 spec.name"}},
		{"spec: {size: 3, port: [1]}", []string{"1 spec.port"}},
		{"spec: {size: 3, tags: {a: 1}}", []string{"1 spec.tags.a"}},
		{"spec: {size: 3, list: [a, b, c]}", []string{"3 spec.list"}},
		{"spec: {size: 3, closed: {x: 1}}", []string{"0 spec.closed.x"}},
		{"spec: {size: 3, color: null}", nil},
		{"spec: {size: 3, template: {apiVersion: v1, kind: Pod, metadata: {name: x}, spec: {replicas: 1}}}", nil},
		{"spec: {size: 3, template: {apiVersion: v1, kind: Pod, spec: {replicas: 1, x: 2}}}", []string{"0 spec.template.spec.x"}},
		{"spec: {size: 3, template: {spec: {}}}", []string{"2 spec.template.apiVersion", "2 spec.template.kind"}},
		{"apiVersion: v1\nkind: X\nmetadata: {name: x}\nspec: {size: yes}", []string{"1 spec.size"}},
	} {
		var got []string
		for _, e := range Validate(nil, s, parse(t, tc.src), Structural) {
			got = append(got, string(rune('0'+e.Problem))+" "+e.Path.String())
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: got %v, want %v", tc.src, got, tc.want)
		}
	}
}

func TestBuiltinUnknownInOlderVersion(t *testing.T) {
	old, _ := Load("1.34")
	newest, _ := Load(Newest())
	n := parse(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      schedulingGroup: {podGroupName: web}
      containers:
      - name: web
        image: nginx
`)
	errs := Validate(old, &Node{Ref: old.Kind("apps/v1", "Deployment")}, n, Builtin)
	if len(errs) != 1 || errs[0].Problem != Unknown || errs[0].Path.String() != "spec.template.spec.schedulingGroup" || !newest.HasField(errs[0].Def, errs[0].Field) {
		t.Errorf("1.34: %+v", errs)
	}
	if errs := Validate(newest, &Node{Ref: newest.Kind("apps/v1", "Deployment")}, n, Builtin); len(errs) != 0 {
		t.Errorf("1.37: %+v", errs)
	}
}
