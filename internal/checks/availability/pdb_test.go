package availability

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/intstr"
)

// TestAllowedDisruptions follows the disruption controller
// (kubernetes/kubernetes pkg/controller/disruption/disruption.go,
// getExpectedPodCount and updatePdbStatus): percentages of minAvailable and
// maxUnavailable are scaled against the controllers' replicas with
// intstr.GetScaledValueFromIntOrPercent(..., roundUp=true); an integer
// minAvailable is compared with the number of pods; nothing is allowed
// when no pods are expected.
func TestAllowedDisruptions(t *testing.T) {
	i := func(n int) *intstr.IntOrString { v := intstr.FromInt32(int32(n)); return &v }
	s := func(p string) *intstr.IntOrString { v := intstr.FromString(p); return &v }
	tests := []struct {
		name                         string
		minAvailable, maxUnavailable *intstr.IntOrString
		scale, pods                  int32
		allowed, expected, desired   int32
	}{
		{"minAvailable below replicas", i(2), nil, 3, 3, 1, 3, 2},
		{"minAvailable equal to replicas", i(3), nil, 3, 3, 0, 3, 3},
		{"minAvailable above replicas", i(5), nil, 3, 3, 0, 3, 5},
		{"minAvailable counts bare pods too", i(2), nil, 2, 3, 1, 3, 2},
		{"minAvailable 50% of 3 rounds up to 2", s("50%"), nil, 3, 3, 1, 3, 2},
		{"minAvailable 60% of 2 rounds up to 2", s("60%"), nil, 2, 2, 0, 2, 2},
		{"minAvailable 67% of 3 rounds up to 3", s("67%"), nil, 3, 3, 0, 3, 3},
		{"minAvailable 66% of 3 rounds up to 2", s("66%"), nil, 3, 3, 1, 3, 2},
		{"minAvailable 100%", s("100%"), nil, 4, 4, 0, 4, 4},
		{"minAvailable percentage ignores bare pods", s("50%"), nil, 0, 2, 0, 0, 0},
		{"maxUnavailable 1", nil, i(1), 3, 3, 1, 3, 2},
		{"maxUnavailable 0", nil, i(0), 3, 3, 0, 3, 3},
		{"maxUnavailable 0%", nil, s("0%"), 3, 3, 0, 3, 3},
		{"maxUnavailable 10% of 3 rounds up to 1", nil, s("10%"), 3, 3, 1, 3, 2},
		{"maxUnavailable 50% of 5 rounds up to 3", nil, s("50%"), 5, 5, 3, 5, 2},
		{"maxUnavailable above replicas", nil, i(5), 2, 2, 2, 2, 0},
		{"neither field: no expected pods", nil, nil, 3, 3, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			allowed, expected, desired, err := allowedDisruptions(tc.minAvailable, tc.maxUnavailable, tc.scale, tc.pods)
			if err != nil {
				t.Fatal(err)
			}
			if allowed != tc.allowed || expected != tc.expected || desired != tc.desired {
				t.Errorf("got allowed %d, expected %d, desired %d; want %d, %d, %d", allowed, expected, desired, tc.allowed, tc.expected, tc.desired)
			}
		})
	}
	if _, _, _, err := allowedDisruptions(s("50"), nil, 3, 3); err == nil {
		t.Error("a percentage without % must be an error, as the controller treats it")
	}
}
