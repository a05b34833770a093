package image

import "strings"

// github.com/distribution/reference is not in the module graph, so this file
// holds a small parser of the same grammar and the same normalization
// (ParseNormalizedNamed), limited to what the checks need.

const (
	dockerHub       = "docker.io"
	legacyDockerHub = "index.docker.io"
	maxNameLength   = 255
	maxTagLength    = 128
)

// ref is a parsed image reference.
type ref struct {
	// Domain is the registry host as written, with its port, or docker.io
	// when the image names none (index.docker.io is folded into docker.io).
	Domain string
	// Path is the repository path below the registry, as Docker Hub
	// normalizes it ("library/nginx" for "nginx").
	Path   string
	Tag    string
	Digest string
}

// parseRef parses an image reference the way the container runtime does. It
// returns false for a reference the kubelet would reject (InvalidImageName).
func parseRef(s string) (ref, bool) {
	var r ref
	name := s
	if i := strings.IndexByte(name, '@'); i >= 0 {
		r.Digest = name[i+1:]
		name = name[:i]
		if !validDigest(r.Digest) {
			return ref{}, false
		}
	}
	if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') {
		r.Tag = name[i+1:]
		name = name[:i]
		if !validTag(r.Tag) {
			return ref{}, false
		}
	}
	if name == "" || len(name) > maxNameLength {
		return ref{}, false
	}
	r.Domain, r.Path = dockerHub, name
	if first, rest, ok := strings.Cut(name, "/"); ok && isDomain(first) {
		if !validDomain(first) {
			return ref{}, false
		}
		r.Domain, r.Path = first, rest
		if strings.EqualFold(first, legacyDockerHub) {
			r.Domain = dockerHub
		}
	}
	if !validPath(r.Path) {
		return ref{}, false
	}
	if r.Domain == dockerHub && !strings.Contains(r.Path, "/") {
		r.Path = "library/" + r.Path
	}
	return r, true
}

// RegistryHost returns the registry host an image is pulled from, without
// its port and in lower case (docker.io when the image names none). It
// returns false for a reference the kubelet would reject.
func RegistryHost(image string) (string, bool) {
	r, ok := parseRef(image)
	if !ok {
		return "", false
	}
	return r.Host(), true
}

// isDomain reports whether the first segment of a name is a registry host:
// it contains "." or ":", is "localhost", or has upper-case letters (which
// repository paths may not have).
func isDomain(s string) bool {
	return strings.ContainsAny(s, ".:") || s == "localhost" || strings.ToLower(s) != s
}

// Host returns the registry host without its port, in lower case.
func (r ref) Host() string {
	return strings.ToLower(hostOnly(r.Domain))
}

// hostOnly strips a port from host[:port] or [ipv6][:port].
func hostOnly(d string) string {
	if strings.HasPrefix(d, "[") {
		if i := strings.IndexByte(d, ']'); i > 0 {
			return d[:i+1]
		}
		return d
	}
	if i := strings.LastIndexByte(d, ':'); i >= 0 {
		return d[:i]
	}
	return d
}

// validDomain checks host[:port], where host is a DNS name, an IPv4 address
// or a bracketed IPv6 address.
func validDomain(d string) bool {
	host := hostOnly(d)
	if port := d[len(host):]; port != "" {
		if port == ":" || !allDigits(port[1:]) {
			return false
		}
	}
	if strings.HasPrefix(host, "[") {
		inner := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		if len(inner)+2 != len(host) || inner == "" {
			return false
		}
		for i := 0; i < len(inner); i++ {
			if c := inner[i]; !isHex(c) && c != ':' && c != '.' {
				return false
			}
		}
		return true
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isAlnum(c) && !isUpper(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

// validPath checks path-component ["/" path-component]*, where a component
// is lower-case alphanumerics joined by ".", "_", "__" or runs of "-".
func validPath(p string) bool {
	for _, comp := range strings.Split(p, "/") {
		if comp == "" || !isAlnum(comp[0]) || !isAlnum(comp[len(comp)-1]) {
			return false
		}
		for i := 0; i < len(comp); i++ {
			c := comp[i]
			if isAlnum(c) {
				continue
			}
			switch {
			case c == '.' || c == '_' && comp[i+1] != '_':
				if !isAlnum(comp[i+1]) {
					return false
				}
			case c == '_': // "__"
				if !isAlnum(comp[i+2]) {
					return false
				}
				i++
			case c == '-':
				for comp[i+1] == '-' {
					i++
				}
				if !isAlnum(comp[i+1]) {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

// validTag checks [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
func validTag(t string) bool {
	if t == "" || len(t) > maxTagLength || t[0] == '.' || t[0] == '-' {
		return false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; !isAlnum(c) && !isUpper(c) && c != '_' && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// digestLengths are the hex lengths of the registered digest algorithms.
var digestLengths = map[string]int{"sha256": 64, "sha384": 96, "sha512": 128}

// validDigest checks algorithm ":" hex, as the OCI image spec defines it.
func validDigest(d string) bool {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok || alg == "" || len(hex) < 32 {
		return false
	}
	for i := 0; i < len(alg); i++ {
		c := alg[i]
		switch {
		case isLetter(c):
		case c >= '0' && c <= '9' || c == '+' || c == '.' || c == '_' || c == '-':
			if i == 0 || strings.IndexByte("+._-", c) >= 0 && (i == len(alg)-1 || !isLetter(alg[i+1])) {
				return false
			}
		default:
			return false
		}
	}
	if n, known := digestLengths[alg]; known {
		if len(hex) != n {
			return false
		}
		for i := 0; i < len(hex); i++ {
			if c := hex[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(hex); i++ {
		if !isHex(hex[i]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool  { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || isUpper(c) }
func isHex(c byte) bool    { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
