package validation_test

import (
	"testing"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/validation"
	"github.com/kubevet/kubevet/internal/checktest"
)

// TestTargetVersion: rules that changed between versions follow the
// target: Service names may start with a digit from 1.36 on, and fields
// added after the target are reported.
func TestTargetVersion(t *testing.T) {
	objs := checktest.Objects(t, `
apiVersion: v1
kind: Service
metadata:
  name: 1web
  namespace: shop
spec:
  ports:
  - port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  schedulingGroup:
    podGroupName: web
  containers:
  - name: web
    image: nginx:1.27
`)
	for _, tc := range []struct {
		version             string
		nameErrs, fieldErrs int
	}{
		{"1.34", 1, 1},
		{"1.35", 1, 1},
		{"1.36", 0, 0}, // schedulingGroup came in 1.36
		{"1.37", 0, 0},
		{"1.40", 0, 0}, // newer than the newest: its schema stands in
		{"1.20", 1, 1}, // older than the oldest: 1.34's
	} {
		s := &check.Settings{KubernetesVersion: tc.version}
		if n := len(check.Run(validation.InvalidFieldValue, objs[0], s, nil)); n != tc.nameErrs {
			t.Errorf("%s: %d invalid-field-value findings on the Service, want %d", tc.version, n, tc.nameErrs)
		}
		if n := len(check.Run(validation.FieldNotInVersion, objs[1], s, nil)); n != tc.fieldErrs {
			t.Errorf("%s: %d field-not-in-version findings on the Pod, want %d", tc.version, n, tc.fieldErrs)
		}
	}
}
