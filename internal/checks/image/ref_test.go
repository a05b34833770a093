package image

import "testing"

func TestParseRef(t *testing.T) {
	const sum = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		in   string
		want ref
		ok   bool
	}{
		{"nginx", ref{Domain: "docker.io", Path: "library/nginx"}, true},
		{"nginx:1.27", ref{Domain: "docker.io", Path: "library/nginx", Tag: "1.27"}, true},
		{"bitnami/redis:7.2", ref{Domain: "docker.io", Path: "bitnami/redis", Tag: "7.2"}, true},
		{"docker.io/nginx", ref{Domain: "docker.io", Path: "library/nginx"}, true},
		{"index.docker.io/library/nginx:latest", ref{Domain: "docker.io", Path: "library/nginx", Tag: "latest"}, true},
		{"myreg:5000/app:1.0", ref{Domain: "myreg:5000", Path: "app", Tag: "1.0"}, true},
		{"myreg:5000/app", ref{Domain: "myreg:5000", Path: "app"}, true},
		{"localhost/app", ref{Domain: "localhost", Path: "app"}, true},
		{"localhost:5000/team/app:v2", ref{Domain: "localhost:5000", Path: "team/app", Tag: "v2"}, true},
		{"[::1]:5000/app:1", ref{Domain: "[::1]:5000", Path: "app", Tag: "1"}, true},
		{"app@" + sum, ref{Domain: "docker.io", Path: "library/app", Digest: sum}, true},
		{"myacr.azurecr.io/app:1.0@" + sum, ref{Domain: "myacr.azurecr.io", Path: "app", Tag: "1.0", Digest: sum}, true},
		{"mcr.microsoft.com/dotnet/aspnet:8.0", ref{Domain: "mcr.microsoft.com", Path: "dotnet/aspnet", Tag: "8.0"}, true},
		{"Example.COM/app", ref{Domain: "Example.COM", Path: "app"}, true},
		{"a__b/c-d--e/f.g:Tag_1.x-2", ref{Domain: "docker.io", Path: "a__b/c-d--e/f.g", Tag: "Tag_1.x-2"}, true},
		{"", ref{}, false},
		{"Nginx", ref{}, false},
		{"nginx:", ref{}, false},
		{"nginx:.bad", ref{}, false},
		{"nginx@sha256:abc", ref{}, false},
		{"nginx@" + sum[:20], ref{}, false},
		{"a___b", ref{}, false},
		{"-a", ref{}, false},
		{"a-", ref{}, false},
		{"app/", ref{}, false},
		{"my reg/app", ref{}, false},
		{"myreg:port/app", ref{}, false},
		{"my_reg.io/app", ref{}, false},
	}
	for _, tt := range tests {
		got, ok := parseRef(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseRef(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRegistryMatch(t *testing.T) {
	allow := []string{"*.azurecr.io", "mcr.microsoft.com", "myreg:5000", "docker.io"}
	tests := map[string]bool{
		"myacr.azurecr.io":       true,
		"a.b.azurecr.io":         true,
		"MyAcr.AzureCR.io":       true,
		"myacr.azurecr.io:443":   true,
		"azurecr.io":             false,
		"evilazurecr.io":         false,
		"azurecr.io.evil.com":    false,
		"mcr.microsoft.com":      true,
		"x.mcr.microsoft.com":    false,
		"myreg:5000":             true,
		"myreg":                  false,
		"myreg:5001":             false,
		"docker.io":              true,
		"ghcr.io":                false,
		"localhost":              false,
		"[::1]:5000":             false,
		"mcr.microsoft.com:5000": true,
	}
	for host, want := range tests {
		if got := registryAllowed(host, allow); got != want {
			t.Errorf("allows(%q) = %v, want %v", host, got, want)
		}
	}
}
