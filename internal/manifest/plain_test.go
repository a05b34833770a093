package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/corpus"
)

// samePlain compares the tree of parsePlain with yaml.v3's, field for
// field but for comments, and describes the first difference.
func samePlain(got, want *yaml.Node, path string) error {
	if got.Kind != want.Kind || got.Style != want.Style || got.Tag != want.Tag || got.Value != want.Value ||
		got.Line != want.Line || got.Column != want.Column || got.Anchor != want.Anchor || got.Alias != nil || want.Alias != nil {
		return fmt.Errorf("%s: got kind=%d style=%d tag=%q value=%q at %d:%d, yaml.v3 has kind=%d style=%d tag=%q value=%q at %d:%d",
			path, got.Kind, got.Style, got.Tag, got.Value, got.Line, got.Column, want.Kind, want.Style, want.Tag, want.Value, want.Line, want.Column)
	}
	if len(got.Content) != len(want.Content) {
		return fmt.Errorf("%s: got %d children, yaml.v3 has %d", path, len(got.Content), len(want.Content))
	}
	for i := range got.Content {
		if err := samePlain(got.Content[i], want.Content[i], fmt.Sprintf("%s/%d", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// comparePlain checks one chunk: where parsePlain takes it, yaml.v3 must
// parse it to the same tree. It reports whether parsePlain took it.
func comparePlain(t *testing.T, name string, data []byte) bool {
	t.Helper()
	got, ok := parsePlain(data)
	if !ok {
		return false
	}
	var want yaml.Node
	if err := yaml.Unmarshal(data, &want); err != nil {
		t.Errorf("%s: parsePlain took a document yaml.v3 rejects (%v):\n%s", name, err, data)
		return true
	}
	if got == nil {
		// No content: yaml.v3 must find none either (or a null, which
		// DecodeNode takes as empty too).
		if root := deref(&want); root != nil && !(root.Kind == yaml.ScalarNode && root.Tag == "!!null") {
			t.Errorf("%s: parsePlain found no content where yaml.v3 finds some:\n%s", name, data)
		}
		return true
	}
	if err := samePlain(got, &want, ""); err != nil {
		t.Errorf("%s: %v\n%s", name, err, data)
	}
	return true
}

func chunksOf(t testing.TB, data []byte) []Chunk {
	var out []Chunk
	s := NewSplitter(bytes.NewReader(data))
	for {
		c, err := s.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if c.Err == nil && HasContent(c.Data) {
			out = append(out, c)
		}
	}
}

// TestPlainEqualsYAML compares parsePlain with yaml.v3 on every YAML file
// of the repository (fixtures, examples, test data) and on the benchmark
// corpus, and holds the share of documents it takes on the corpus.
func TestPlainEqualsYAML(t *testing.T) {
	taken, total := 0, 0
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, c := range chunksOf(t, data) {
			total++
			name := fmt.Sprintf("%s:%d", path, c.StartLine)
			lf := comparePlain(t, name, c.Data)
			if lf {
				taken++
			}
			// The same document with Windows line ends.
			if crlf := comparePlain(t, name+" (CR LF)", bytes.ReplaceAll(c.Data, []byte("\n"), []byte("\r\n"))); crlf != lf && !bytes.Contains(c.Data, []byte("\r")) {
				t.Errorf("%s: plain parser took=%v with LF line ends, %v with CR LF", name, lf, crlf)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("repository: plain parser took %d of %d documents", taken, total)
	var b bytes.Buffer
	if err := corpus.Write(&b, 2000); err != nil {
		t.Fatal(err)
	}
	taken, total = 0, 0
	for _, c := range chunksOf(t, b.Bytes()) {
		total++
		if comparePlain(t, fmt.Sprintf("corpus:%d", c.StartLine), c.Data) {
			taken++
		}
	}
	if taken != total {
		t.Errorf("plain parser took %d of %d corpus documents, want all", taken, total)
	}
}

// TestPlainCases holds the edges of the subset: each input is either taken
// and equal to yaml.v3's tree, or left to yaml.v3 (want false).
func TestPlainCases(t *testing.T) {
	for _, tc := range []struct {
		in   string
		take bool
	}{
		{"a: b\n", true},
		{"---\na:\nb: [x]\n", true},
		{"--- # c\na: b\n", true},
		{"---   \n# x\nk: v\n", true},
		{"# c\n\na:\n  - \n  -\nc: ", true},
		{"a: 'it''s'\nb: \"x\"\n", true},
		{"- - a\n  - b\n- c: d\n  e: {f: g, h: [1, 2.5]}\n", true},
		{"  a: b\n  c: d\n", true},
		{"a:\n- b\n- c: d\n  e: f\ng: h\n", true},
		{"a: {}\nb: []\nc: {d: [], e: {}}\n", true},
		{"a: b # c\nd: e#f\n", true},
		{"a: 1\nb: true\nc: ~\nd: 0x1F\ne: 2001-12-14\nf: .inf\ng: 1e3\nh: 0o17\ni: yes\n", true},
		{"a:b: c\n", true},
		{"\"a b\": c\n'd': e\n", true},
		{"a: http://x/y?z=1\n", true},
		{"-\n  a: b\n-\n- c\n", true},
		{"a: b\n  c\n", true},
		{"a: b  \n  c d  \n\n\n   e # x\nf:\n  g\n   h\n- i\n", false},
		{"a: b  \n  c d  \n\n\n   e # x\nf:\n  g\n   h\ni: [j]\n", true},
		{"- a\n  b\n-   c\n    d\n- k: l\n    m\n", true},
		{"a\nb\n", true},
		{"a: b\n  # c\n  d\n", false},   // a comment line ends the scalar
		{"a: b\n  - c\n", false},        // left to yaml.v3
		{"a: b\n  c: d\n", false},       // a mapping value in a scalar: an error
		{"a: b # c\n  d\n", false},      // a comment ends the scalar
		{"a: b\n  c # d\n  e\n", false}, // the same on a later line
		{"- k: l\n  m\n", false},        // an error
		{"a: |\n  x\n", true},
		{"a: |-\n  x\n  y\n\n  z\nb: c\n", true},
		{"a: |\n  x\n\n\nb: c\n", true},
		{"a: | # c\n  x\n    y\n # d\nb: e\n", true},
		{"- |\n  x\n- |-\n   y\n", true},
		{"a:\n  - |\n    # x\n    y\n  - b: |\n      z\n", true},
		{"a: |\n\n  x\n", false},         // leading empty line
		{"a: |\n  x\n   \n  y\n", false}, // spaces beyond the indentation
		{"a: |+\n  x\n", false},          // keep
		{"a: |2\n  x\n", false},          // explicit indentation
		{"a: |\nb: c\n", false},          // empty
		{"a: |\n  x", false},             // no final newline
		{"a: >\n  x\n", true},
		{"a: >-\n  x y \n  z\n\n\n  w\nb: >\n  v\n\n- c\n", false},
		{"a: >-\n  x y \n  z\n\n\n  w\nb: >\n  v\n\nc: > # d\n  e\n", true},
		{"- >\n  a\n  b\n", true},
		{"a: >\n  x\n    y\n", false}, // more indented: left to yaml.v3
		{"a: >+\n  x\n", false},       // keep
		{"a: &x b\nc: *x\n", false},   // anchor and alias
		{"a: !t b\n", false},          // tag
		{"<<: {a: b}\n", false},       // merge key
		{"a: \"x\\ny\\t\\\"z\\\\ \\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\0\\e\\ \\'\"\n", true},
		{"{\"a\\\"\": [\"\\u263a\", 'b'], c: \"\\x7f\"}\n", true},
		{"a: \"x\\/y\"\n", false},    // not an escape for yaml.v3
		{"a: \"x\\ud800\"\n", false}, // a surrogate
		{"a: \"x\\u12\"\n", false},   // too few digits
		{"a: \"x\\\n  y\"\n", false}, // an escaped line break
		{"a: \"x\\\"\n", false},      // does not close
		{"a: [b,\n  c]\n", false},    // flow over two lines
		{"a: [b, ]\n", false},        // trailing comma
		{"a:\tb\n", false},           // tab
		{"a: b\r\n", true},
		{"---\r\na: |\r\n  x\r\n\r\n  y\r\nb: [c, d]\r\n", true},
		{"a: b\rc: d\n", false}, // a carriage return alone
		{"a: é\n", true},
		{"# Übersicht\nname: café # crème\nb: {ü: 日本, x: 'ça'}\nc: |\n  ß\n  日本語\n- \n", false},
		{"# Übersicht\nname: café # crème\nb: {ü: 日本, x: 'ça'}\nc: |\n  ß\n  日本語\nd:\n- ñ: ö\n  p:\n", true},
		{"a: \u0085\n", false},     // a line break for yaml.v3
		{"a: b\u2028c\n", false},   // a line break for yaml.v3
		{"\ufeffa: b\n", false},    // byte order mark
		{"a: \U0001F600\n", false}, // beyond the Basic Multilingual Plane
		{"a: \xff\n", false},       // not UTF-8
		{"a: \u00a0b\n", true},
		{"? a\n: b\n", false},          // complex key
		{"a: b: c\n", false},           // error
		{"a: b\n- c\n", false},         // error
		{"a:\n  b: c\n d: e\n", false}, // bad indentation
		{"%YAML 1.2\n---\na: b\n", false},
		{"--- {a: b}\n", false},
		{"a: 'b\n", false},
		{"a: [b: c]\n", false},
		{"a: {b}\n", false},
		{"a: `b`\n", false},
		{strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n", false},
		{strings.Repeat("k", 1100) + ": v\n", false},
		{"\"k\"" + strings.Repeat(" ", 1100) + ": v\n", false},
		{"{" + strings.Repeat("k", 1100) + ": v}\n", false},
	} {
		got := comparePlain(t, fmt.Sprintf("%q", tc.in), []byte(tc.in))
		if got != tc.take {
			t.Errorf("parsePlain(%q) took=%v, want %v", tc.in, got, tc.take)
		}
	}
}

// FuzzPlain: whatever the input, parsePlain either leaves it to yaml.v3
// or builds yaml.v3's tree.
func FuzzPlain(f *testing.F) {
	addFixtureSeeds(f)
	f.Add([]byte(corpus.Object(0)))
	f.Add([]byte("a: {b: [c, 'd', \"e\"], f: g}\n- x\n"))
	f.Add([]byte("# Übersicht\nname: café # crème\nb: {ü: 日本, x: 'ça'}\nc: |\n  ß\nd:\n- ñ:\n"))
	f.Add([]byte("a: b\n  c\n\n  d\n- e\n  f\ng: \"h\\ti\\u00e9\"\n"))
	f.Add([]byte("a: >-\n  b c\n\n  d\ne: |\n  f\n   g\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range chunksOf(t, data) {
			comparePlain(t, "fuzz", c.Data)
		}
	})
}

// BenchmarkPlain parses the benchmark corpus with the plain parser and,
// for comparison, with yaml.v3 (one decoder per batch of 64 documents, as
// the engine does).
func BenchmarkPlain(b *testing.B) {
	var buf bytes.Buffer
	if err := corpus.Write(&buf, 2000); err != nil {
		b.Fatal(err)
	}
	chunks := chunksOf(b, buf.Bytes())
	b.Run("plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, c := range chunks {
				if _, ok := parsePlain(c.Data); !ok {
					b.Fatal("not taken")
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(chunks)), "ns/doc")
	})
	b.Run("yaml.v3", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := 0; i < len(chunks); i += 64 {
				if _, _, ok := parseYAMLBatch(chunks[i:min(i+64, len(chunks))]); !ok {
					b.Fatal("not parsed")
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(chunks)), "ns/doc")
	})
}

// TestPlainTag holds plainTag to yaml.v3's resolver on words near its
// table's.
func TestPlainTag(t *testing.T) {
	for _, v := range []string{"true", "True", "TRUE", "tRue", "t", "false", "FALSE", "f", "fa", "yes", "Yes", "y", "Y", "no", "No", "n", "N",
		"on", "On", "off", "OFF", "o", "~", "~x", "null", "Null", "NULL", "nULL", "nil", "name", "nginx", "template", "one",
		"0", "-1", "+1", "1_000", "0x1F", "0o17", "017", "1e3", "1.5", ".5", ".inf", "+.inf", "-.INF", ".nan", ".NaN", "-", "+", ".",
		"2001-12-14", "2001-12-14t21:59:43.10-05:00", "1.0.0", "100m", "128Mi", "8080", "a", "Z", "_x", "/x", "<<"} {
		want := (&yaml.Node{Kind: yaml.ScalarNode, Value: v}).ShortTag()
		if got := plainTag(&yaml.Node{Kind: yaml.ScalarNode, Value: v}); got != want {
			t.Errorf("plainTag(%q) = %s, yaml.v3 resolves %s", v, got, want)
		}
	}
}

// TestPlainBoundedAllocation: what the plain parser allocates ahead does
// not grow with lines that hold nothing (a document of 16 Mi blank and
// comment lines once cost it 512 MB of line records).
func TestPlainBoundedAllocation(t *testing.T) {
	in := []byte(strings.Repeat("\n#\n", 8<<20) + "a: b\n")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, ok := parsePlain(in); !ok {
		t.Fatal("not taken")
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("parsePlain allocated %d KiB for a document of one mapping entry and 16 Mi empty lines", got>>10)
	}
}

// TestPlainLongLines: long lines outside ASCII parse like yaml.v3's, and
// (the reason for the test) in time proportional to their length: columns
// were once counted from the start of the line for every node, and this
// input took 8 seconds.
func TestPlainLongLines(t *testing.T) {
	for _, in := range []string{
		"é: [" + strings.Repeat("b, ", 100000) + "c]\n",
		"é: {" + strings.Repeat("ü: b, ", 50000) + "c: d}\n",
	} {
		if !comparePlain(t, "long line", []byte(in)) {
			t.Errorf("not taken: %.40q...", in)
		}
	}
}
