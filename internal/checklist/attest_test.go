package checklist_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubevet/kubevet/internal/checklist"
)

func TestParseAttestations(t *testing.T) {
	data := `attestations:
  - item: DR-05
    who: Ana
    date: 2026-09-14
    evidence: https://wiki.example.com/dr
    expires: 2027-03-14
    note: whitespace redeploy of shop-prod
  - item: WL-04
    who: Ben
    date: "2026-01-02"
    evidence: https://tickets.example.com/OPS-1
`
	atts, err := checklist.ParseAttestations("a.yaml", []byte(data), known)
	if err != nil {
		t.Fatal(err)
	}
	if len(atts) != 2 || atts[0].Item != "DR-05" || atts[0].Line != 2 || atts[1].Line != 8 ||
		!atts[0].Expires.Equal(time.Date(2027, 3, 14, 0, 0, 0, 0, time.UTC)) || !atts[1].Expires.IsZero() || atts[0].Note == "" {
		t.Fatalf("%+v", atts)
	}
	a := atts[0]
	if a.ExpiredOn(time.Date(2027, 3, 14, 0, 0, 0, 0, time.UTC)) || !a.ExpiredOn(time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC)) || atts[1].ExpiredOn(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("an attestation holds through its expiry date, and one without expires never expires")
	}
	for _, empty := range []string{"", "# nothing yet\n", "attestations:\n", "attestations: []\n"} {
		if atts, err := checklist.ParseAttestations("a.yaml", []byte(empty), known); err != nil || len(atts) != 0 {
			t.Errorf("%q: %v %v", empty, atts, err)
		}
	}
}

// TestParseAttestationsErrors: every mistake is an error naming its line
// and column.
func TestParseAttestationsErrors(t *testing.T) {
	entry := func(extra string) string {
		return "attestations:\n  - item: DR-05\n    who: Ana\n    date: 2026-09-14\n    evidence: https://x.example.com/1\n" + extra
	}
	cases := []struct {
		name, data string
		want       []string
	}{
		{"unknown key", entry("    reviewer: Carl\n"), []string{`a.yaml:6:5: unknown key "reviewer"`}},
		{"unknown top-level key", "attestation: []\n", []string{`a.yaml:1:1: unknown key "attestation" (want attestations)`}},
		{"bad date", strings.Replace(entry(""), "2026-09-14", "14/09/2026", 1), []string{`a.yaml:4:11: date "14/09/2026" is not a date: want YYYY-MM-DD`}},
		{"impossible date", strings.Replace(entry(""), "2026-09-14", "2026-02-30", 1), []string{`a.yaml:4:11: date "2026-02-30" is not a date`}},
		{"bad expiry", entry("    expires: next year\n"), []string{`a.yaml:6:14: expires "next year" is not a date`}},
		{"expiry before date", entry("    expires: 2026-01-01\n"), []string{`a.yaml:6:14: expires 2026-01-01 is before the date`}},
		{"unknown item", strings.Replace(entry(""), "DR-05", "DR-99", 1), []string{`a.yaml:2:11: unknown item "DR-99"`}},
		{"missing fields", "attestations:\n  - item: DR-05\n", []string{"a.yaml:2:5: attestation: who is missing", "a.yaml:2:5: attestation: date is missing", "a.yaml:2:5: attestation: evidence is missing"}},
		{"evidence not a link", strings.Replace(entry(""), "https://x.example.com/1", "ticket OPS-1", 1), []string{`a.yaml:5:15: evidence "ticket OPS-1" is not a link`}},
		{"empty value", strings.Replace(entry(""), "who: Ana", "who:", 1), []string{"a.yaml:3:9: who: want a value, got nothing"}},
		{"list value", strings.Replace(entry(""), "who: Ana", "who: [Ana, Ben]", 1), []string{"a.yaml:3:10: who: want a value, got a list"}},
		{"key twice", entry("    who: Ben\n"), []string{`a.yaml:6:5: key "who" is given twice (first at line 3)`}},
		{"item twice", entry("  - item: DR-05\n    who: Ben\n    date: 2026-10-01\n    evidence: https://x.example.com/2\n"), []string{"a.yaml:6:5: item DR-05 is already attested at line 2"}},
		{"not a list", "attestations: {item: DR-05}\n", []string{"a.yaml:1:15: attestations: want a list, got a mapping"}},
		{"entry not a mapping", "attestations:\n  - DR-05\n", []string{"a.yaml:2:5: attestation: want a mapping"}},
		{"not a mapping", "- item: DR-05\n", []string{"a.yaml:1:1: want a mapping with the key attestations, got a list"}},
		{"syntax", "attestations: [\n", []string{"a.yaml: yaml:"}},
		{"two errors", strings.Replace(entry("    reviewer: Carl\n"), "2026-09-14", "soon", 1), []string{`a.yaml:4:11: date "soon"`, `a.yaml:6:5: unknown key "reviewer"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			atts, err := checklist.ParseAttestations("a.yaml", []byte(tc.data), known)
			if err == nil {
				t.Fatalf("no error; got %+v", atts)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "apps", "shop")
	os.MkdirAll(sub, 0o755)
	f := filepath.Join(dir, checklist.FileName)
	os.WriteFile(f, []byte("attestations: []\n"), 0o644)
	os.WriteFile(filepath.Join(sub, "app.yaml"), []byte("{}\n"), 0o644)
	for _, p := range []string{dir, sub, filepath.Join(sub, "app.yaml")} {
		if got := checklist.Find(p); got != f {
			t.Errorf("Find(%s) = %q, want %q", p, got, f)
		}
	}
}
