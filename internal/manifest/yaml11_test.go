package manifest

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// kubectl turns YAML into JSON with YAML 1.1 rules (sigs.k8s.io/yaml, on
// yaml.v2): unquoted y, yes, on, n, no and off are booleans. A boolean
// field may be written so, and a string field may not.
func TestYAML11Booleans(t *testing.T) {
	src := `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: x
  annotations:
    quoted: "yes"
    literal: !!str on
    plain: yes
spec:
  automountServiceAccountToken: no
  containers:
  - name: c
    image: nginx:1.27
    stdin: Yes
    tty: ON
    env:
    - name: A
      value: off
    - name: B
      value: 'n'
    securityContext:
      readOnlyRootFilesystem: y
`
	got := decodeAll(t, src)
	if len(got) != 1 || len(got[0].Objects) != 1 {
		t.Fatalf("got %+v", got)
	}
	var lines []int
	for _, dg := range got[0].Diagnostics {
		if dg.Kind != DiagFieldType {
			t.Errorf("%d:%d: unexpected %s: %s", dg.Pos.Line, dg.Pos.Column, dg.Kind, dg.Message)
			continue
		}
		if !strings.Contains(dg.Message, "kubectl reads") {
			t.Errorf("%d: message does not say why: %s", dg.Pos.Line, dg.Message)
		}
		lines = append(lines, dg.Pos.Line)
	}
	if want := []int{9, 19}; !equalInts(lines, want) {
		t.Errorf("type errors on lines %v, want %v (the plain annotation and env value)", lines, want)
	}
	pod := got[0].Objects[0].Typed().(*corev1.Pod)
	c := pod.Spec.Containers[0]
	if pod.Spec.AutomountServiceAccountToken == nil || *pod.Spec.AutomountServiceAccountToken {
		t.Errorf("automountServiceAccountToken: no should decode to false")
	}
	if !c.Stdin || !c.TTY || c.SecurityContext.ReadOnlyRootFilesystem == nil || !*c.SecurityContext.ReadOnlyRootFilesystem {
		t.Errorf("Yes, ON and y should decode to true: stdin %v tty %v", c.Stdin, c.TTY)
	}
	if a := pod.Annotations; a["quoted"] != "yes" || a["literal"] != "on" {
		t.Errorf("quoted and tagged strings stay strings: %v", a)
	}
	if c.Env[1].Value != "n" {
		t.Errorf("quoted 'n' is a string, got %q", c.Env[1].Value)
	}
}

// Custom kinds are kept as the JSON kubectl would send.
func TestYAML11BooleansJSON(t *testing.T) {
	got := decodeAll(t, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: x}\nspec: {enabled: on, name: \"on\", mode: off-peak}\n")
	j := string(got[0].Objects[0].JSON())
	if !strings.Contains(j, `"enabled":true`) || !strings.Contains(j, `"name":"on"`) || !strings.Contains(j, `"mode":"off-peak"`) {
		t.Errorf("JSON %s", j)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
