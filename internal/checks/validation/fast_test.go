package validation

import (
	"strings"
	"testing"

	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation"
)

// TestFastPaths checks that the fast paths accept only what apimachinery
// accepts, and the common values.
func TestFastPaths(t *testing.T) {
	values := []string{"", "a", "A", "0", "web", "web-1", "1web", "-web", "web-", "web_1", "Web", "a.b", "a..b", ".a", "a.", "a/b", "/b", "a/", "a/b/c",
		"example.com/name", "Example.com/name", "example.com/Na_me.x", "app.kubernetes.io/name", "a-.b", "a.-b", "x" + strings.Repeat("y", 62), "x" + strings.Repeat("y", 63),
		strings.Repeat("a.", 126) + "a", strings.Repeat("a.", 127) + "a", "é", "a b", "_a", "a_",
		"http", "h2c", "8080", "web--ui", "web-ui", "abcdefghijklmno", "abcdefghijklmnop", "25%", "%", "1", "a%", "100%", "1.5%", "..a", ".a", "..", "config.yaml", "KEY_NAME", strings.Repeat("k", 254)}
	for _, v := range values {
		check := func(name string, fast bool, msgs []string) {
			if fast && len(msgs) > 0 {
				t.Errorf("%s(%q): fast path accepts, apimachinery says %v", name, v, msgs)
			}
		}
		check("isDNSLabel", isDNSLabel(v), validation.IsDNS1123Label(v))
		check("isDNS1035Label", isDNS1035Label(v), validation.IsDNS1035Label(v))
		check("isDNS1035Label/subdomain", isDNS1035Label(v), validation.IsDNS1123Subdomain(v))
		check("isSubdomain", isSubdomain(v), validation.IsDNS1123Subdomain(v))
		check("isLabelValue", isLabelValue(v), validation.IsValidLabelValue(v))
		check("isLabelKey", isLabelKey(v), validation.IsQualifiedName(v))
		if got, want := portName(v), validation.IsValidPortName(v); len(got) != len(want) {
			t.Errorf("portName(%q) = %v, IsValidPortName says %v", v, got, want)
		}
		if got, want := configMapKey(v), validation.IsConfigMapKey(v); len(got) != len(want) {
			t.Errorf("configMapKey(%q) = %v, IsConfigMapKey says %v", v, got, want)
		}
		if got, want := subdomain(v), validation.IsDNS1123Subdomain(v); len(got) != len(want) {
			t.Errorf("subdomain(%q) = %v, IsDNS1123Subdomain says %v", v, got, want)
		}
		if got, want := percent(v), validation.IsValidPercent(v); len(got) != len(want) {
			t.Errorf("percent(%q) = %v, IsValidPercent says %v", v, got, want)
		}
		if errs := apimachineryvalidation.ValidateAnnotations(map[string]string{v: "x"}, nil); annotationsValid(map[string]string{v: "x"}) && len(errs) > 0 {
			t.Errorf("annotationsValid(%q): fast path accepts, apimachinery says %v", v, errs)
		}
		if v != "" && len(validation.IsDNS1123Label(v)) == 0 && len(v) < 20 && !isDNSLabel(v) {
			t.Errorf("isDNSLabel(%q) takes the slow path", v)
		}
	}
}
