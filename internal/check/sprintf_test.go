package check

import (
	"fmt"
	"testing"
)

// TestSprintf checks the fast formatter against fmt.Sprintf: the same text
// where it formats, and a refusal (fmt.Sprintf then formats) elsewhere.
func TestSprintf(t *testing.T) {
	type named string
	for _, c := range []struct {
		format string
		args   []any
		ok     bool
	}{
		{"%s runs privileged", []any{`container "app"`}, true},
		{"%s uses image %q: pin %d tags", []any{"c", "nginx:latest\n\"x\"", -12}, true},
		{"100%% sure %s", []any{"x"}, false},
		{"%v", []any{"x"}, false},
		{"%s", []any{named("x")}, false},
		{"%d", []any{int32(3)}, false},
		{"%5s", []any{"x"}, false},
		{"%s %s", []any{"x"}, false},
		{"%s", []any{"x", "y"}, false},
		{"trailing %", []any{"x"}, false},
		{"%q", []any{"é\x00☺"}, true},
	} {
		got, ok := sprintf(c.format, c.args)
		if ok != c.ok {
			t.Errorf("sprintf(%q) ok = %v, want %v", c.format, ok, c.ok)
			continue
		}
		if want := fmt.Sprintf(c.format, c.args...); ok && got != want {
			t.Errorf("sprintf(%q) = %q, want %q", c.format, got, want)
		}
	}
}
