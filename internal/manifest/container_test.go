package manifest

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestContainerDescribe(t *testing.T) {
	always := corev1.ContainerRestartPolicyAlways
	spec := &corev1.PodSpec{
		InitContainers: []corev1.Container{{Name: "setup"}, {Name: "log", RestartPolicy: &always}},
		Containers:     []corev1.Container{{Name: "app"}},
	}
	pt := &PodTemplate{Spec: spec, SpecPath: NewPath("spec")}
	var got []string
	for _, c := range pt.Containers() {
		got = append(got, c.Describe())
	}
	want := []string{`init container "setup"`, `sidecar container "log"`, `container "app"`}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("container %d: %s, want %s", i, got[i], want[i])
		}
	}
}
