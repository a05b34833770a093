package manifest

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// slim drops from a typed object what checks across objects never read.
// What stays: metadata (names, labels, annotations, owner references),
// selectors, replicas, and in pod specs the service account, volumes,
// image pull secrets, host namespaces, node selection, affinity and
// topology spread, and per container its name, image, command and
// arguments, ports, env and envFrom references and resources.
func slim(o runtime.Object) {
	if m, ok := o.(metav1.Object); ok {
		m.SetManagedFields(nil)
	}
	switch t := o.(type) {
	case *corev1.ConfigMap:
		t.Data, t.BinaryData = nil, nil
	case *corev1.Secret:
		if t.Type != corev1.SecretTypeDockerConfigJson && t.Type != corev1.SecretTypeDockercfg {
			t.Data, t.StringData = nil, nil
		}
	case *corev1.Pod:
		slimPod(&t.Spec)
		t.Status = corev1.PodStatus{}
	case *appsv1.Deployment:
		slimPod(&t.Spec.Template.Spec)
		t.Status = appsv1.DeploymentStatus{}
	case *appsv1.StatefulSet:
		slimPod(&t.Spec.Template.Spec)
		t.Status = appsv1.StatefulSetStatus{}
	case *appsv1.DaemonSet:
		slimPod(&t.Spec.Template.Spec)
		t.Status = appsv1.DaemonSetStatus{}
	case *appsv1.ReplicaSet:
		slimPod(&t.Spec.Template.Spec)
		t.Status = appsv1.ReplicaSetStatus{}
	case *batchv1.Job:
		slimPod(&t.Spec.Template.Spec)
		t.Status = batchv1.JobStatus{}
	case *batchv1.CronJob:
		slimPod(&t.Spec.JobTemplate.Spec.Template.Spec)
		t.Status = batchv1.CronJobStatus{}
	}
}

func slimPod(s *corev1.PodSpec) {
	for i := range s.InitContainers {
		slimContainer(&s.InitContainers[i])
	}
	for i := range s.Containers {
		slimContainer(&s.Containers[i])
	}
	for i := range s.EphemeralContainers {
		c := &s.EphemeralContainers[i].EphemeralContainerCommon
		c.Command, c.Args, c.LivenessProbe, c.ReadinessProbe, c.StartupProbe, c.Lifecycle, c.SecurityContext = nil, nil, nil, nil, nil, nil, nil
		c.VolumeMounts = nil
	}
}

func slimContainer(c *corev1.Container) {
	// Command and Args stay: checks read controllers' flags (ingress-nginx's
	// --enable-ssl-passthrough).
	c.LivenessProbe, c.ReadinessProbe, c.StartupProbe = nil, nil, nil
	c.Lifecycle = nil
	c.SecurityContext = nil
	c.VolumeMounts, c.VolumeDevices = nil, nil
	c.ResizePolicy = nil
	for i := range c.Env {
		if c.Env[i].ValueFrom == nil {
			c.Env[i].Value = "" // literal values are never needed again (and may be secrets)
		}
	}
}
