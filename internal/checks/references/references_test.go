package references_test

import (
	"testing"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/references"
	"github.com/kubevet/kubevet/internal/checktest"
	"github.com/kubevet/kubevet/internal/graph"
)

// TestStorageClassBuiltin: the builtin option replaces the AKS list, and an
// entry ending in * matches a prefix (Azure Container Storage classes are
// named acstor-<pool>).
func TestStorageClassBuiltin(t *testing.T) {
	objs := checktest.Objects(t, `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: fast, namespace: shop}
spec:
  storageClassName: acstor-ephemeraldisk
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 8Gi}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: disk, namespace: shop}
spec:
  storageClassName: managed-csi
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 8Gi}}
`)
	g := graph.New(objs)
	c := references.StorageClassMissing
	s := &check.Settings{}
	run := func(opts check.Options) []string {
		var got []string
		for _, o := range objs {
			for _, f := range check.RunGraph(c, o, s, opts, g) {
				got = append(got, f.Object.Name)
			}
		}
		return got
	}
	if got := run(nil); len(got) != 1 || got[0] != "fast" {
		t.Errorf("default list: findings on %v, want [fast]", got)
	}
	if got := run(check.Options{"builtin": []string{"acstor-*"}}); len(got) != 1 || got[0] != "disk" {
		t.Errorf("builtin [acstor-*]: findings on %v, want [disk] (the option replaces the AKS list)", got)
	}
}
