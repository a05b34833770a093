package identity_test

import (
	"strings"
	"testing"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/identity"
	"github.com/kubevet/kubevet/internal/checktest"
)

// TestWildcardMessageNamesGroups checks that a wildcard rule limited to
// some API groups is described as such, not as all resources of the
// cluster.
func TestWildcardMessageNamesGroups(t *testing.T) {
	objs := checktest.Objects(t, `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: operator}
rules:
  - {apiGroups: [widgets.example.io], resources: ["*"], verbs: ["*"]}
  - {apiGroups: ["", apps], resources: ["*"], verbs: [get]}
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
`)
	want := []string{
		`rule 0 grants every verb on all resources of API group widgets.example.io, including any installed later`,
		`rule 1 grants get on all resources of API groups "" (core) and apps, including any installed later`,
		`rule 2 grants every verb on all resources of every API group: that is cluster-admin`,
	}
	fs := check.Run(identity.RBACWildcard, objs[0], &check.Settings{}, nil)
	if len(fs) != len(want) {
		t.Fatalf("got %d findings, want %d: %v", len(fs), len(want), fs)
	}
	for i, w := range want {
		if !strings.Contains(fs[i].Message, w) {
			t.Errorf("finding %d: %q\ndoes not contain %q", i, fs[i].Message, w)
		}
	}
}

// TestClusterAdminSubjectWithoutNamespace checks how a ServiceAccount
// subject that names no namespace is described (kustomize fills it in at
// build time; raw, the API server rejects it in a ClusterRoleBinding).
func TestClusterAdminSubjectWithoutNamespace(t *testing.T) {
	objs := checktest.Objects(t, `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: reconciler}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
  - {kind: ServiceAccount, name: deployer}
`)
	fs := check.Run(identity.RBACClusterAdmin, objs[0], &check.Settings{}, nil)
	want := `grants cluster-admin to ServiceAccount "deployer" (without the namespace the API server requires here)`
	if len(fs) != 1 || !strings.Contains(fs[0].Message, want) {
		t.Fatalf("got %v, want one finding containing %q", fs, want)
	}
}
