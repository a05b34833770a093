// Package config reads .kubevet.yaml strictly: an unknown key or a value of
// the wrong type is an error that names its file, line and column.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/check"
)

// FileName is the configuration file kubevet looks for.
const FileName = ".kubevet.yaml"

// Config is the parsed configuration.
type Config struct {
	// File is where the configuration was read from ("" for defaults).
	File string
	// KubernetesVersion is the target minor version ("1.34").
	KubernetesVersion string
	// Namespace is given to namespaced objects that name none.
	Namespace string
	// Profile is production, regulated or dev.
	Profile string
	// FailOn is error, warning, info or none ("" means unset).
	FailOn string
	// SystemNamespaces replaces the default list when set.
	SystemNamespaces []string
	// Exclude holds glob patterns of paths not to read.
	Exclude []string
	// NamespaceChecks says where namespace-level checks (quota, limit
	// range, default-deny policy, Pod Security labels) run: "declared"
	// (namespaces the input declares with a Namespace object, plus
	// Namespaces), "all" (every namespace the input uses) or "none".
	NamespaceChecks string
	// Namespaces are covered by namespace-level checks even when the input
	// does not declare them.
	Namespaces []string
	// Checks holds per-check settings by check ID.
	Checks map[string]CheckConfig
	// Mode says how paths are read: auto, manifests, helm or kustomize
	// ("" means unset).
	Mode string
	// Helm holds how charts render. Its file names are relative to the
	// working directory (resolved from the configuration's folder).
	Helm Helm
}

// Helm configures chart rendering: what -f, --set, --set-string,
// --release-name and --values-profile give on the command line.
type Helm struct {
	Values, Set, SetString []string
	ReleaseName            string
	Profiles               []HelmProfile
}

// HelmProfile is a named list of values files.
type HelmProfile struct {
	Name  string
	Files []string
}

// Modes are the accepted mode values.
var Modes = []string{"auto", "manifests", "helm", "kustomize"}

// CheckConfig is the configuration of one check.
type CheckConfig struct {
	Enabled  *bool
	Severity *check.Severity
	Options  check.Options
}

// Error is a configuration error at a position.
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Profiles are the accepted profile names.
var Profiles = []string{"production", "regulated", "dev"}

// NamespaceCheckValues are the accepted namespaceChecks values.
var NamespaceCheckValues = []string{"declared", "all", "none"}

// FailOnValues are the accepted failOn values.
var FailOnValues = []string{"error", "warning", "info", "none"}

var versionRe = regexp.MustCompile(`^v?1\.\d{1,2}$`)

// ValidVersion reports whether v is a Kubernetes minor version like 1.34.
func ValidVersion(v string) bool { return versionRe.MatchString(v) }

// Find returns the path of the configuration file that applies to path:
// the first .kubevet.yaml in path's folder or one of its parents, or "".
func Find(path string) string { return FindUp(path, FileName) }

// FindUp returns the first file called name in path's folder (or path's
// own folder when path is a file) or one of its parents, or "".
func FindUp(path, name string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		abs = filepath.Dir(abs)
	}
	for {
		f := filepath.Join(abs, name)
		if st, err := os.Stat(f); err == nil && !st.IsDir() {
			return f
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return ""
		}
		abs = parent
	}
}

// Load reads and parses the file at path.
func Load(path string, catalog []*check.Check) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading configuration: %w", err)
	}
	return Parse(path, data, catalog)
}

type parser struct {
	file    string
	catalog map[string]*check.Check
	errs    []error
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// Parse parses configuration data; file names it in errors. Every error is
// reported, joined.
func Parse(file string, data []byte, catalog []*check.Check) (*Config, error) {
	p := parser{file: file, catalog: map[string]*check.Check{}}
	for _, c := range catalog {
		p.catalog[c.ID] = c
	}
	cfg := &Config{File: file, Checks: map[string]CheckConfig{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	if len(doc.Content) == 0 {
		return cfg, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		if root.Tag == "!!null" {
			return cfg, nil
		}
		return nil, &Error{File: file, Line: root.Line, Column: root.Column, Msg: "configuration must be a mapping"}
	}
	p.mapping(root, func(k string, kn, v *yaml.Node) {
		switch k {
		case "kubernetesVersion":
			if s, ok := p.str(v); ok {
				s = strings.TrimPrefix(s, "v")
				if !ValidVersion(s) {
					p.errorf(v, "kubernetesVersion %q is not a minor version like 1.34", s)
				}
				cfg.KubernetesVersion = s
			}
		case "namespace":
			cfg.Namespace, _ = p.str(v)
		case "profile":
			if s, ok := p.oneOf(v, Profiles); ok {
				cfg.Profile = s
			}
		case "failOn":
			if s, ok := p.oneOf(v, FailOnValues); ok {
				cfg.FailOn = s
			}
		case "systemNamespaces":
			cfg.SystemNamespaces, _ = p.strs(v)
		case "exclude":
			if globs, ok := p.strs(v); ok {
				for _, g := range globs {
					if _, err := filepath.Match(g, ""); err != nil {
						p.errorf(v, "exclude pattern %q: %v", g, err)
					}
				}
				cfg.Exclude = globs
			}
		case "checks":
			p.checks(v, cfg)
		case "namespaceChecks":
			if s, ok := p.oneOf(v, NamespaceCheckValues); ok {
				cfg.NamespaceChecks = s
			}
		case "namespaces":
			cfg.Namespaces, _ = p.strs(v)
		case "mode":
			if s, ok := p.oneOf(v, Modes); ok {
				cfg.Mode = s
			}
		case "helm":
			p.helm(v, cfg)
		default:
			p.errorf(kn, "unknown key %q (known: kubernetesVersion, namespace, profile, failOn, systemNamespaces, exclude, namespaceChecks, namespaces, mode, helm, checks)", k)
		}
	})
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return cfg, nil
}

// helm reads the helm section; values files are relative to the
// configuration's folder.
func (p *parser) helm(n *yaml.Node, cfg *Config) {
	rel := func(files []string) []string {
		for i, f := range files {
			if !filepath.IsAbs(f) {
				files[i] = filepath.Join(filepath.Dir(p.file), f)
			}
		}
		return files
	}
	h := &cfg.Helm
	p.mapping(n, func(k string, kn, v *yaml.Node) {
		switch k {
		case "values":
			if fs, ok := p.strs(v); ok {
				h.Values = rel(fs)
			}
		case "set":
			h.Set, _ = p.strs(v)
		case "setString":
			h.SetString, _ = p.strs(v)
		case "releaseName":
			h.ReleaseName, _ = p.str(v)
		case "profiles":
			p.mapping(v, func(name string, _, files *yaml.Node) {
				if fs, ok := p.strs(files); ok {
					if len(fs) == 0 {
						p.errorf(files, "profile %s lists no values file", name)
						return
					}
					h.Profiles = append(h.Profiles, HelmProfile{Name: name, Files: rel(fs)})
				}
			})
		default:
			p.errorf(kn, "unknown key %q in helm (known: values, set, setString, releaseName, profiles)", k)
		}
	})
}

func (p *parser) checks(n *yaml.Node, cfg *Config) {
	p.mapping(n, func(id string, kn, v *yaml.Node) {
		c, ok := p.catalog[id]
		if !ok {
			p.errorf(kn, "unknown check %q (kubevet checks lists them)", id)
			return
		}
		cc := CheckConfig{Options: c.DefaultOptions()}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
			// Shorthand: "check-id: false".
			b, _ := strconv.ParseBool(v.Value)
			cc.Enabled = &b
			cfg.Checks[id] = cc
			return
		}
		p.mapping(v, func(k string, kn, v *yaml.Node) {
			switch k {
			case "enabled":
				if b, ok := p.boolean(v); ok {
					cc.Enabled = &b
				}
			case "severity":
				if s, ok := p.oneOf(v, []string{"error", "warning", "info"}); ok {
					sev, _ := check.ParseSeverity(s)
					cc.Severity = &sev
				}
			default:
				opt, ok := findOption(c, k)
				if !ok {
					known := []string{"enabled", "severity"}
					for _, o := range c.Options {
						known = append(known, o.Name)
					}
					p.errorf(kn, "unknown key %q for check %s (known: %s)", k, id, strings.Join(known, ", "))
					return
				}
				switch opt.Kind {
				case check.StringList:
					if s, ok := p.strs(v); ok {
						cc.Options[k] = s
					}
				case check.String:
					if s, ok := p.str(v); ok {
						cc.Options[k] = s
					}
				case check.Int:
					if i, ok := p.integer(v); ok {
						cc.Options[k] = i
					}
				case check.Bool:
					if b, ok := p.boolean(v); ok {
						cc.Options[k] = b
					}
				}
			}
		})
		cfg.Checks[id] = cc
	})
}

func findOption(c *check.Check, name string) (check.Option, bool) {
	for _, o := range c.Options {
		if o.Name == name {
			return o, true
		}
	}
	return check.Option{}, false
}

func (p *parser) mapping(n *yaml.Node, f func(k string, kn, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "expected a mapping, found %s", describe(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, v := n.Content[i], n.Content[i+1]
		if kn.Kind != yaml.ScalarNode {
			p.errorf(kn, "keys must be strings")
			continue
		}
		if seen[kn.Value] {
			p.errorf(kn, "key %q is given twice", kn.Value)
			continue
		}
		seen[kn.Value] = true
		if v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		f(kn.Value, kn, v)
	}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	case "!!null":
		return "nothing"
	}
	return fmt.Sprintf("the string %q", n.Value)
}

func (p *parser) str(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		p.errorf(n, "expected a string, found %s", describe(n))
		return "", false
	}
	return n.Value, true
}

func (p *parser) strs(n *yaml.Node) ([]string, bool) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "expected a list of strings, found %s", describe(n))
		return nil, false
	}
	out := make([]string, 0, len(n.Content))
	ok := true
	for _, c := range n.Content {
		s, good := p.str(c)
		ok = ok && good
		out = append(out, s)
	}
	return out, ok
}

func (p *parser) boolean(n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		p.errorf(n, "expected true or false, found %s", describe(n))
		return false, false
	}
	b, _ := strconv.ParseBool(n.Value)
	return b, true
}

func (p *parser) integer(n *yaml.Node) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		p.errorf(n, "expected a whole number, found %s", describe(n))
		return 0, false
	}
	i, err := strconv.Atoi(n.Value)
	if err != nil {
		p.errorf(n, "expected a whole number: %v", err)
		return 0, false
	}
	return i, true
}

func (p *parser) oneOf(n *yaml.Node, values []string) (string, bool) {
	s, ok := p.str(n)
	if !ok {
		return "", false
	}
	for _, v := range values {
		if s == v {
			return s, true
		}
	}
	p.errorf(n, "%q is not one of %s", s, strings.Join(values, ", "))
	return "", false
}

// Enabled reports whether check c runs under this configuration.
func (c *Config) Enabled(ch *check.Check) bool {
	if cc, ok := c.Checks[ch.ID]; ok && cc.Enabled != nil {
		return *cc.Enabled
	}
	return !ch.Disabled
}

// SeverityOf returns the severity of findings of ch: the configured
// override, or sev as reported.
func (c *Config) SeverityOf(id string, sev check.Severity) check.Severity {
	if cc, ok := c.Checks[id]; ok && cc.Severity != nil {
		return *cc.Severity
	}
	return sev
}

// OptionsOf returns ch's option values.
func (c *Config) OptionsOf(ch *check.Check) check.Options {
	if cc, ok := c.Checks[ch.ID]; ok && cc.Options != nil {
		return cc.Options
	}
	return ch.DefaultOptions()
}

// Settings returns the run-wide settings for checks.
func (c *Config) Settings() check.Settings {
	s := check.Settings{SystemNamespaces: check.DefaultSystemNamespaces, KubernetesVersion: c.KubernetesVersion, Profile: c.Profile,
		NamespaceChecks: c.NamespaceChecks, Namespaces: c.Namespaces}
	if c.SystemNamespaces != nil {
		s.SystemNamespaces = c.SystemNamespaces
	}
	if s.Profile == "" {
		s.Profile = "production"
	}
	return s
}

// Excluded reports whether path matches an exclude pattern. Patterns match
// the path relative to the scanned root, any of its suffixes, or its base
// name; "dir/**" excludes a folder.
func (c *Config) Excluded(rel string) bool {
	rel = filepath.ToSlash(rel)
	for _, g := range c.Exclude {
		if prefix, ok := strings.CutSuffix(g, "/**"); ok {
			if rel == prefix || strings.HasPrefix(rel, prefix+"/") || strings.Contains("/"+rel, "/"+prefix+"/") {
				return true
			}
			continue
		}
		if m, _ := filepath.Match(g, rel); m {
			return true
		}
		if m, _ := filepath.Match(g, filepath.Base(rel)); m {
			return true
		}
	}
	return false
}

// SortedIDs returns the configured check IDs in order, for stable output.
func (c *Config) SortedIDs() []string {
	ids := make([]string, 0, len(c.Checks))
	for id := range c.Checks {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
