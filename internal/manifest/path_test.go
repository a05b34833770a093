package manifest

import (
	"testing"

	"gopkg.in/yaml.v3"
)

func TestPathString(t *testing.T) {
	cases := map[string]Path{
		"spec.template.spec.containers[0].securityContext.privileged": NewPath("spec", "template", "spec", "containers").Index(0).Child("securityContext", "privileged"),
		`metadata.annotations["exempt.kubevet.io/image-tag"]`:         NewPath("metadata", "annotations").Child("exempt.kubevet.io/image-tag"),
		`data["a b"].x`:  NewPath("data").Child("a b", "x"),
		"items[2][3]":    NewPath("items").Index(2).Index(3),
		"":               {},
		`[""]`:           NewPath(""),
		`a["q\"]"]`:      NewPath("a", `q"]`),
		"spec.rules[10]": NewPath("spec", "rules").Index(10),
	}
	for want, p := range cases {
		if got := p.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
		back, ok := ParsePath(want)
		if !ok || back.String() != want {
			t.Errorf("ParsePath(%q) = %q, %v", want, back.String(), ok)
		}
	}
	for _, bad := range []string{"a[", "a[x]", `a["x]`, "a[-1]"} {
		if _, ok := ParsePath(bad); ok {
			t.Errorf("ParsePath(%q) accepted", bad)
		}
	}
}

func TestLocate(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    a.b/c: "x"
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
      - name: side
        securityContext:
          privileged: true
`
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	c := NewPath("spec", "template", "spec", "containers")
	cases := []struct {
		p     Path
		line  int
		col   int
		exact bool
	}{
		{c.Index(1).Child("securityContext", "privileged"), 15, 11, true},
		{c.Index(0).Child("livenessProbe"), 11, 9, false}, // missing: the container's "- name:" line
		{c.Index(5), 10, 7, false},                        // missing item: the list's key
		{NewPath("metadata", "annotations").Child("a.b/c"), 6, 5, true},
		{NewPath("metadata", "namespace"), 3, 1, false},
		{Path{}, 1, 1, true},
	}
	for _, tc := range cases {
		pos, exact := Locate(&doc, tc.p)
		if pos.Line != tc.line || pos.Column != tc.col || exact != tc.exact {
			t.Errorf("Locate(%s) = %d:%d exact=%v, want %d:%d exact=%v", tc.p, pos.Line, pos.Column, exact, tc.line, tc.col, tc.exact)
		}
	}
}
