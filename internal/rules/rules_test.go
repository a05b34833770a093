package rules

import (
	"bufio"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite rules.tsv from the spec")

const specPath = "../../../shared/spec/aks-rules.md"

var (
	rowRe     = regexp.MustCompile(`^\| ([A-Z]+-\d\d) \| `)
	sectionRe = regexp.MustCompile(`^### 1\.\d+ (.*)$`)
)

// fromSpec extracts the rule rows of the spec's section 1 tables.
func fromSpec(t *testing.T) string {
	f, err := os.Open(specPath)
	if err != nil {
		t.Skipf("spec not beside the repository: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	section := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") && !strings.HasPrefix(line, "## 1.") {
			section = ""
		}
		if m := sectionRe.FindStringSubmatch(line); m != nil {
			section = m[1]
			continue
		}
		if section == "" || !rowRe.MatchString(line) {
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), " | ")
		if len(cells) < 7 {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(strings.ReplaceAll(cells[i], "\t", " "))
		}
		// ID, section, item, seeds, from, severity, doc (the rule text is
		// long and lives in the spec).
		b.WriteString(strings.Join([]string{cells[0], section, cells[1], cells[2], cells[3], cells[5], cells[6]}, "\t"))
		b.WriteByte('\n')
	}
	return b.String()
}

func TestInSyncWithSpec(t *testing.T) {
	want := fromSpec(t)
	if *update {
		if err := os.WriteFile("rules.tsv", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if strings.TrimSpace(want) != strings.TrimSpace(data) {
		t.Fatal("rules.tsv is stale: run go test ./internal/rules -update")
	}
}

func TestAll(t *testing.T) {
	all := All()
	if len(all) < 100 {
		t.Fatalf("only %d rules", len(all))
	}
	seen := map[string]bool{}
	for _, r := range all {
		if seen[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = true
		if r.Section == "" || r.Item == "" || r.From == "" {
			t.Errorf("rule %s is incomplete: %+v", r.ID, r)
		}
	}
	if r, ok := ByID("SEC-11"); !ok || !strings.Contains(r.Item, "security context") {
		t.Errorf("SEC-11 = %+v", r)
	}
}
