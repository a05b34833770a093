// Package baseline records the findings of a run so that later runs report
// only new ones. A finding is known by its check, its object (API group,
// kind, namespace, name) and its field path, never by its line or message,
// so that a baseline survives lines added above a problem, reformatting and
// reworded messages.
package baseline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kubevet/kubevet/internal/check"
)

// Version is the version of the baseline file format.
const Version = "kubevet.io/baseline/v1"

// Key identifies a finding across runs.
type Key struct {
	Check string `json:"check"`
	// Group is the object's API group ("" for the core group, "apps", ...):
	// the API version is left out, so that moving to a newer version of the
	// same kind keeps the key.
	Group     string `json:"group,omitempty"`
	Kind      string `json:"kind,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
	Path      string `json:"path,omitempty"`
	// File is set only for findings on documents that are not objects (a
	// YAML syntax error, a document without kind or name): they have no
	// other identity. Findings on objects are kept when a manifest moves
	// to another file.
	File string `json:"file,omitempty"`
}

// KeyOf returns the key of f.
func KeyOf(f check.Finding) Key {
	k := Key{
		Check:     f.Check,
		Kind:      f.Object.Kind,
		Namespace: f.Object.Namespace,
		Name:      f.Object.Name,
		Path:      f.Path,
	}
	if i := strings.LastIndexByte(f.Object.APIVersion, '/'); i >= 0 {
		k.Group = f.Object.APIVersion[:i]
	}
	if k.Kind == "" || k.Name == "" {
		k.File = filepath.ToSlash(f.File)
	}
	return k
}

// Fingerprint is a stable hash of k (32 hexadecimal digits), used as the
// SARIF partial fingerprint and recorded in baseline files.
func (k Key) Fingerprint() string {
	h := sha256.New()
	for _, s := range []string{k.Check, k.Group, k.Kind, k.Namespace, k.Name, k.Path, k.File} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Fingerprint returns the fingerprint of f.
func Fingerprint(f check.Finding) string { return KeyOf(f).Fingerprint() }

// Entry is one recorded finding and how many times it occurred.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	Key
	Count int `json:"count"`
}

// Baseline is the content of a baseline file.
type Baseline struct {
	Version  string  `json:"version"`
	Findings []Entry `json:"findings"`
}

// New records fs.
func New(fs []check.Finding) *Baseline {
	counts := map[Key]int{}
	for _, f := range fs {
		counts[KeyOf(f)]++
	}
	b := &Baseline{Version: Version, Findings: make([]Entry, 0, len(counts))}
	for k, n := range counts {
		b.Findings = append(b.Findings, Entry{Fingerprint: k.Fingerprint(), Key: k, Count: n})
	}
	sort.Slice(b.Findings, func(i, j int) bool { return less(b.Findings[i].Key, b.Findings[j].Key) })
	return b
}

func less(a, b Key) bool {
	x := []string{a.Namespace, a.Kind, a.Name, a.Group, a.File, a.Check, a.Path}
	y := []string{b.Namespace, b.Kind, b.Name, b.Group, b.File, b.Check, b.Path}
	for i := range x {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return false
}

// Filter returns the findings of fs that are not in b, in their order, and
// how many were suppressed. A finding recorded n times suppresses its first
// n occurrences; a further identical finding is new.
func (b *Baseline) Filter(fs []check.Finding) (kept []check.Finding, suppressed int) {
	left := make(map[Key]int, len(b.Findings))
	for _, e := range b.Findings {
		left[e.Key] += e.Count
	}
	kept = make([]check.Finding, 0, len(fs))
	for _, f := range fs {
		k := KeyOf(f)
		if left[k] > 0 {
			left[k]--
			suppressed++
			continue
		}
		kept = append(kept, f)
	}
	return kept, suppressed
}

// Write writes b as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}

// Read reads a baseline written by Write.
func Read(r io.Reader) (*Baseline, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var b Baseline
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("reading baseline: %w", err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("baseline version %q is not %s", b.Version, Version)
	}
	for i, e := range b.Findings {
		if e.Check == "" || e.Count < 1 {
			return nil, fmt.Errorf("baseline finding %d: check and a count of at least 1 are required", i)
		}
	}
	return &b, nil
}

// ReadFile reads the baseline file at path.
func ReadFile(path string) (*Baseline, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	b, err := Read(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// WriteFile writes b to path.
func (b *Baseline) WriteFile(path string) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	err = b.Write(fh)
	return errors.Join(err, fh.Close())
}
