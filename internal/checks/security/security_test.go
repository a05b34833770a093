package security_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/security"
	"github.com/kubevet/kubevet/internal/checktest"
)

// The fixtures pin where findings land; these pin what the messages say
// where the brief asks for it.
func TestMessages(t *testing.T) {
	pod := func(sc string) string {
		return "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext: " + sc + "\n"
	}
	tests := []struct {
		check *check.Check
		src   string
		want  []string
	}{
		{security.PrivilegeEscalation, pod("{privileged: true, allowPrivilegeEscalation: false}"), []string{`container "app"`, "runs privileged", "always allows privilege escalation"}},
		{security.PrivilegeEscalation, pod("{privileged: true}"), []string{"runs privileged", "always allows privilege escalation"}},
		{security.PrivilegeEscalation, pod("{capabilities: {add: [CAP_SYS_ADMIN]}}"), []string{"CAP_SYS_ADMIN", "always allows privilege escalation"}},
		{security.PrivilegeEscalation, pod("{}"), []string{"does not set allowPrivilegeEscalation: false"}},
		{security.RunAsNonRoot, pod("{runAsUser: 0}"), []string{`container "app"`, "root (UID 0)"}},
		{security.RunAsNonRoot, pod("{}"), []string{"may run as root"}},
		{security.CapabilitiesAdded, pod("{capabilities: {add: [NET_BIND_SERVICE, cap_sys_admin]}}"), []string{"cap_sys_admin", "only NET_BIND_SERVICE"}},
		{security.CapabilitiesNotDropped, pod("{capabilities: {drop: [all]}}"), []string{`"all"`, "exact spelling"}},
		{security.SeccompProfile, pod("{seccompProfile: {type: Unconfined}}"), []string{"Unconfined", "RuntimeDefault"}},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.check.ID, i), func(t *testing.T) {
			fs := check.Run(tt.check, checktest.Objects(t, tt.src)[0], &check.Settings{}, nil)
			if len(fs) != 1 {
				t.Fatalf("got %d findings, want 1: %v", len(fs), fs)
			}
			for _, w := range tt.want {
				if !strings.Contains(fs[0].Message, w) {
					t.Errorf("message %q does not say %q", fs[0].Message, w)
				}
			}
		})
	}
}

// corpus is a restricted-compliant workload (quiet for every check) and one
// with nothing set (noisy for most).
const (
	quietDoc = `apiVersion: apps/v1
kind: Deployment
metadata: {name: quiet, namespace: shop}
spec:
  selector: {matchLabels: {app: quiet}}
  template:
    metadata: {labels: {app: quiet}}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {type: RuntimeDefault}
      initContainers:
      - name: migrate
        image: shop/migrate:1.0
        securityContext: &sc
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
      containers:
      - name: app
        image: shop/web:1.0
        ports: [{containerPort: 8080}]
        securityContext: *sc
      - name: proxy
        image: envoyproxy/envoy:v1.30.0
        ports: [{containerPort: 9901}]
        securityContext: *sc
`
	noisyDoc = `apiVersion: apps/v1
kind: Deployment
metadata: {name: noisy, namespace: shop}
spec:
  selector: {matchLabels: {app: noisy}}
  template:
    metadata: {labels: {app: noisy}}
    spec:
      containers:
      - name: app
        image: shop/web:1.0
      - name: proxy
        image: envoyproxy/envoy:v1.30.0
`
)

// BenchmarkChecks runs the whole security domain on one object, the way
// the engine does (check.Run per check, options resolved once).
func BenchmarkChecks(b *testing.B) {
	for _, bc := range []struct{ name, src string }{{"quiet", quietDoc}, {"noisy", noisyDoc}} {
		o := checktest.Objects(b, bc.src)[0]
		s := &check.Settings{}
		opts := make([]check.Options, len(security.Checks))
		for i, c := range security.Checks {
			opts[i] = c.DefaultOptions()
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for i, c := range security.Checks {
					check.Run(c, o, s, opts[i])
				}
			}
		})
	}
}

// TestQuietAllocations holds the checks to the hot-loop budget: on an
// object they have nothing to say about, they allocate nothing beyond the
// container list check.Containers builds.
func TestQuietAllocations(t *testing.T) {
	o := checktest.Objects(t, quietDoc)[0]
	budget := testing.AllocsPerRun(100, func() { check.Containers(o.PodTemplate()) })
	for _, c := range security.Checks {
		if fs := check.Run(c, o, &check.Settings{}, nil); len(fs) > 0 {
			t.Fatalf("the quiet object is not quiet: %v", fs)
		}
		p := &check.Pass{Check: c, Object: o, Settings: &check.Settings{}}
		if n := testing.AllocsPerRun(100, func() { c.Run(p) }); n > budget {
			t.Errorf("%s: %v allocations on a quiet object, want at most %v (check.Containers)", c.ID, n, budget)
		}
	}
}
