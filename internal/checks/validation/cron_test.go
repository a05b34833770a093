package validation

import "testing"

func TestParseSchedule(t *testing.T) {
	for _, tc := range []struct {
		spec string
		ok   bool
	}{
		{"*/5 * * * *", true},
		{"0 3 * * *", true},
		{"30 6 * JAN-JUN MON-FRI", true},
		{"0 0 31 2 *", true},
		{"0 0 * * 0,6", true},
		{"15-45/10 1-5 * * ?", true},
		{"@daily", true},
		{"@every 1h30m", true},
		{"61 * * * *", false},
		{"* 24 * * *", false},
		{"* * 0 * *", false},
		{"* * * 13 *", false},
		{"* * * * 7", false},
		{"*/0 * * * *", false},
		{"5-1 * * * *", false},
		{"0 */5 * * * *", false},
		{"every 5 minutes", false},
		{"@fortnightly", false},
		{"@every soon", false},
		{"", false},
	} {
		if err := parseSchedule(tc.spec); (err == nil) != tc.ok {
			t.Errorf("parseSchedule(%q) = %v, want ok=%v", tc.spec, err, tc.ok)
		}
	}
}
