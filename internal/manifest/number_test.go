package manifest

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
)

// kubectl sends YAML numbers through JSON as float64, which prints a whole
// value without a fraction: replicas: 2.0 arrives as 2 and is accepted. A
// fraction is not.
func TestWholeFloatsInIntegerFields(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: x}
spec:
  replicas: 2.0
  revisionHistoryLimit: 1e1
  progressDeadlineSeconds: 1.5
  template:
    spec:
      containers:
      - name: c
        image: nginx:1.27
        ports:
        - containerPort: 8080.0
        readinessProbe:
          httpGet: {port: 80.0}
`
	got := decodeAll(t, src)
	var lines []int
	for _, dg := range got[0].Diagnostics {
		lines = append(lines, dg.Pos.Line)
	}
	if want := []int{7}; !equalInts(lines, want) {
		t.Errorf("diagnostics on lines %v, want %v (only the fraction 1.5): %+v", lines, want, got[0].Diagnostics)
	}
	d := got[0].Objects[0].Typed().(*appsv1.Deployment)
	c := d.Spec.Template.Spec.Containers[0]
	if *d.Spec.Replicas != 2 || *d.Spec.RevisionHistoryLimit != 10 || c.Ports[0].ContainerPort != 8080 || c.ReadinessProbe.HTTPGet.Port.IntValue() != 80 {
		t.Errorf("decoded replicas %d, revisionHistoryLimit %d, containerPort %d, probe port %v", *d.Spec.Replicas, *d.Spec.RevisionHistoryLimit, c.Ports[0].ContainerPort, c.ReadinessProbe.HTTPGet.Port)
	}
}
