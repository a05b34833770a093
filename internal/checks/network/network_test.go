package network

import (
	"testing"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checktest"
	"github.com/kubevet/kubevet/internal/manifest"
)

func TestHostAllowed(t *testing.T) {
	list := []string{"*.contoso.com", "fabrikam.com"}
	for host, want := range map[string]bool{
		"shop.contoso.com":      true,
		"a.b.contoso.com":       true,
		"*.contoso.com":         true,
		"*.shop.contoso.com":    true,
		"SHOP.Contoso.com":      true,
		"contoso.com":           false,
		"evilcontoso.com":       false,
		"contoso.com.evil.io":   false,
		"fabrikam.com":          true,
		"www.fabrikam.com":      false,
		"*.fabrikam.com":        false,
		"*.com":                 false,
		"shop.contoso.com.evil": false,
	} {
		if got := hostAllowed(list, host); got != want {
			t.Errorf("hostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestTLSCovers(t *testing.T) {
	for _, tc := range []struct {
		tls, host string
		want      bool
	}{
		{"shop.contoso.com", "shop.contoso.com", true},
		{"Shop.Contoso.com", "shop.contoso.com", true},
		{"*.contoso.com", "shop.contoso.com", true},
		{"*.contoso.com", "*.contoso.com", true},
		{"*.contoso.com", "a.shop.contoso.com", false},
		{"*.contoso.com", "contoso.com", false},
		{"*.contoso.com", "*.shop.contoso.com", false},
		{"*", "contoso", false},
		{"shop.contoso.com", "*.contoso.com", false},
	} {
		if got := tlsCovers(tc.tls, tc.host); got != tc.want {
			t.Errorf("tlsCovers(%q, %q) = %v, want %v", tc.tls, tc.host, got, tc.want)
		}
	}
}

// decode reads the one object src holds.
func decode(t *testing.T, src string) *manifest.Object {
	t.Helper()
	out := checktest.Objects(t, src)
	if len(out) != 1 {
		t.Fatalf("want one object, got %d", len(out))
	}
	return out[0]
}

// TestBackendProtocolSeverity checks that a lowercase valid value is a
// warning and an unknown one an error.
func TestBackendProtocolSeverity(t *testing.T) {
	for value, want := range map[string]check.Severity{
		"https": check.Warning,
		"grpc":  check.Warning,
		"HTTP2": check.Error,
		"ajp":   check.Error,
	} {
		o := decode(t, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n  annotations:\n    nginx.ingress.kubernetes.io/backend-protocol: "+value+"\n")
		fs := check.Run(IngressBackendProtocol, o, &check.Settings{}, nil)
		if len(fs) != 1 || fs[0].Severity != want {
			t.Errorf("%s: got %v, want one finding at %s", value, fs, want)
		}
	}
}
