package workload

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
)

// LivenessProbe reports long-running containers without a liveness probe.
var LivenessProbe = &check.Check{
	ID:       "liveness-probe",
	Title:    "Container has no liveness probe",
	Severity: check.Warning,
	Refs:     []string{"WL-01"},
	Why: "Without a liveness probe, a container that deadlocks or hangs keeps running and keeps failing its users: " +
		"the kubelet restarts a container only when its process exits. Jobs and CronJobs are not checked.",
	Fix: "Add a livenessProbe that tells whether the process itself still works (not its dependencies), " +
		"with a failureThreshold generous enough not to restart it under load.",
	Example: `containers:
- name: app
  livenessProbe:
    httpGet:
      path: /healthz
      port: 8080
    periodSeconds: 10
    failureThreshold: 3`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		if !check.LongRunning(p.Object) {
			return
		}
		pt := p.Object.PodTemplate()
		for k := range regular(pt.Spec) {
			if k.c.LivenessProbe == nil {
				p.Report(k.path(pt).Child("livenessProbe"), "%s has no liveness probe: if it hangs, nothing restarts it; add livenessProbe", k.describe())
			}
		}
	},
}

// ReadinessProbe reports long-running containers without a readiness probe.
var ReadinessProbe = &check.Check{
	ID:       "readiness-probe",
	Title:    "Container has no readiness probe",
	Severity: check.Warning,
	Refs:     []string{"WL-02"},
	Why: "Without a readiness probe, a pod is counted ready as soon as its containers start: " +
		"Services send it requests before it can serve them, and keep sending them while it is overloaded or failing. " +
		"Rolling updates also move on before the new pods work. Jobs and CronJobs are not checked.",
	Fix: "Add a readinessProbe that succeeds only when the container can serve requests.",
	Example: `containers:
- name: app
  readinessProbe:
    httpGet:
      path: /ready
      port: 8080
    periodSeconds: 5`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		if !check.LongRunning(p.Object) {
			return
		}
		pt := p.Object.PodTemplate()
		for k := range regular(pt.Spec) {
			if k.c.ReadinessProbe == nil {
				p.Report(k.path(pt).Child("readinessProbe"), "%s has no readiness probe: it gets traffic before it is ready and while it fails; add readinessProbe", k.describe())
			}
		}
	},
}

// slowStartDelay is the livenessProbe.initialDelaySeconds above which a
// container is taken for a slow starter (spec rule WL-03).
const slowStartDelay = 30

// StartupProbe reports slow starters guarded by a long initial delay rather
// than a startup probe.
var StartupProbe = &check.Check{
	ID:       "startup-probe",
	Title:    "Slow-starting container has no startup probe",
	Severity: check.Info,
	Refs:     []string{"WL-03"},
	Why: "A long livenessProbe.initialDelaySeconds is a guess: too short and the kubelet kills a container that is still starting, " +
		"too long and a container that hangs at start-up goes unnoticed for that long, on every restart. " +
		"A startup probe holds the liveness probe back exactly until the application has started.",
	Fix: "Add a startupProbe with failureThreshold × periodSeconds covering the longest start-up, and drop initialDelaySeconds from the liveness probe.",
	Example: `containers:
- name: app
  startupProbe:
    httpGet:
      path: /healthz
      port: 8080
    periodSeconds: 10
    failureThreshold: 30
  livenessProbe:
    httpGet:
      path: /healthz
      port: 8080`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		for k := range runnable(pt.Spec) {
			if k.kind == check.Init && !k.sidecar {
				continue // may not have probes: init-container-probe
			}
			lp := k.c.LivenessProbe
			if lp == nil || lp.InitialDelaySeconds <= slowStartDelay || k.c.StartupProbe != nil {
				continue
			}
			p.Report(k.path(pt).Child("livenessProbe", "initialDelaySeconds"),
				"%s delays its liveness probe by %ds: add a startupProbe instead, so that it is restarted neither while starting nor long after it hangs", k.describe(), lp.InitialDelaySeconds)
		}
	},
}

// InitContainerProbe reports probes on init containers that are not
// sidecars.
var InitContainerProbe = &check.Check{
	ID:       "init-container-probe",
	Title:    "Init container has a probe",
	Severity: check.Error,
	Refs:     []string{"WL-01", "WL-02", "WL-03"},
	Why: "An init container runs to completion before the others start, so it cannot be live or ready: " +
		"the API server rejects a pod whose init container sets a liveness, readiness or startup probe, " +
		"and a workload's pods are then never created. Sidecars (init containers with restartPolicy: Always) may have probes.",
	Fix: "Remove the probe, or, if the container must keep running beside the others, make it a sidecar with restartPolicy: Always.",
	Example: `initContainers:
- name: proxy
  restartPolicy: Always
  readinessProbe:
    tcpSocket:
      port: 15001`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		pt := p.Object.PodTemplate()
		for k := range runnable(pt.Spec) {
			if k.kind != check.Init || k.sidecar {
				continue
			}
			report := func(pr *corev1.Probe, field string) {
				if pr != nil {
					p.Report(k.path(pt).Child(field), "%s sets %s: the API server rejects the pod; remove it, or make the container a sidecar with restartPolicy: Always", k.describe(), field)
				}
			}
			report(k.c.LivenessProbe, "livenessProbe")
			report(k.c.ReadinessProbe, "readinessProbe")
			report(k.c.StartupProbe, "startupProbe")
		}
	},
}

// PreStopHook reports long-running containers without a preStop hook.
var PreStopHook = &check.Check{
	ID:       "prestop-hook",
	Title:    "Container has no preStop hook",
	Severity: check.Info,
	Refs:     []string{"WL-05"},
	Why: "When a pod is deleted, the kubelet sends SIGTERM at the same time as the pod is removed from Service endpoints; " +
		"load balancers and proxies take a few seconds to notice, and requests sent meanwhile fail if the process has already stopped. " +
		"A preStop hook that waits a few seconds lets them drain. Not every container serves traffic, so this is advice.",
	Fix: "Add lifecycle.preStop with a short sleep (the sleep action needs Kubernetes 1.30; before that, exec a sleep command), " +
		"and keep terminationGracePeriodSeconds longer than the sleep plus the application's shutdown.",
	Example: `containers:
- name: app
  lifecycle:
    preStop:
      sleep:
        seconds: 5`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		if !check.LongRunning(p.Object) {
			return
		}
		pt := p.Object.PodTemplate()
		for k := range regular(pt.Spec) {
			if k.c.Lifecycle == nil || k.c.Lifecycle.PreStop == nil {
				p.Report(k.path(pt).Child("lifecycle", "preStop"), "%s has no preStop hook: requests still routed to it fail when it stops; add lifecycle.preStop with a short sleep", k.describe())
			}
		}
	},
}
