package helm

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
)

// maxCells bounds the alignment table (rendered lines × template lines);
// a larger template maps every line to 0 (the file only).
const maxCells = 4 << 20

// lineMap maps the rendered lines of one template to its source lines.
// The alignment is computed on the first Locate, as most files have no
// finding.
type lineMap struct {
	name     string
	source   []byte
	rendered []byte

	once  sync.Once
	lines []int    // lines[i] is the template line of rendered line i+1, or 0
	tmpl  []string // the template's lines, for the column
	out   []string // the rendered lines, for the key at a column
}

func newLineMap(name string, source, rendered []byte) *lineMap {
	return &lineMap{name: name, source: source, rendered: rendered}
}

// Locate implements render.File.Locate.
func (m *lineMap) Locate(_ int, path string, line, col int) (string, int, int) {
	m.once.Do(func() {
		m.lines = alignLines(m.source, m.rendered)
		m.tmpl = strings.Split(string(m.source), "\n")
		m.out = strings.Split(string(m.rendered), "\n")
	})
	if line < 1 || line > len(m.lines) {
		return m.name, 0, 0
	}
	l := m.lines[line-1]
	if l < 1 || l > len(m.tmpl) {
		return m.name, 0, 0
	}
	// The key written at the rendered position ("name" for a finding on a
	// list item, whose position is its first key), else the path's last.
	if line <= len(m.out) {
		if k := renderedKey(m.out[line-1], col); k != "" {
			if c := keyColumn(m.tmpl[l-1], k); c > 1 || strings.HasPrefix(m.tmpl[l-1], k) {
				return m.name, l, c
			}
		}
	}
	return m.name, l, keyColumn(m.tmpl[l-1], path)
}

// renderedKey is the mapping key that starts at column col (1-based) of a
// rendered line, or "".
func renderedKey(line string, col int) string {
	if col < 1 || col > len(line) {
		return ""
	}
	rest := line[col-1:]
	i := strings.Index(rest, ":")
	if i <= 0 {
		return ""
	}
	for j := 0; j < i; j++ {
		if !isKeyByte(rest[j]) {
			return ""
		}
	}
	return rest[:i]
}

var pathIndex = regexp.MustCompile(`\[[^\]]*\]$`)

// keyColumn is the 1-based column of the path's last key ("image" for
// "spec.containers[0].image") written as a key in the template line, or 1.
func keyColumn(line, path string) int {
	key := path
	if i := strings.LastIndexByte(key, '.'); i >= 0 && !strings.Contains(key[i:], `"`) {
		key = key[i+1:]
	}
	if i := strings.Index(key, `["`); i >= 0 && i+2 <= len(key)-2 && strings.HasSuffix(key, `"]`) {
		key = key[i+2 : len(key)-2]
	}
	for pathIndex.MatchString(key) {
		key = pathIndex.ReplaceAllString(key, "")
	}
	if key == "" {
		return 1
	}
	for _, k := range []string{key + ":", `"` + key + `":`, "'" + key + "':"} {
		if i := strings.Index(line, k); i >= 0 && (i == 0 || !isKeyByte(line[i-1])) {
			return i + 1
		}
	}
	return 1
}

func isKeyByte(b byte) bool {
	return b == '-' || b == '_' || b == '.' || b == '/' ||
		'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// tline is what one template line can produce.
type tline struct {
	// pats are the literal patterns the line's output fits: all its
	// literal text, and when part of it is inside an inline if/with/range
	// ("image: {{ .repo }}{{ if .tag }}:{{ .tag }}{{ end }}"), also the
	// text outside it.
	pats   []pattern
	output bool // an action that writes output starts on the line
	pure   bool // an output action comes before any literal text
}

type pattern struct {
	lits        []string // literal text runs, in order, anything between
	startAnchor bool     // the rendered line starts with lits[0]
	endAnchor   bool     // the rendered line ends with the last lit
	weight      int      // non-blank literal bytes
}

// byteKind classifies each template byte.
const (
	kTrimmed     = iota // whitespace removed by {{- or -}}, or a define body
	kLiteral            // text written to the output as is
	kControl            // a control action (if, range, end, comment, $x := ...)
	kOutput             // an action that writes output
	kCondLiteral        // text of a block (if, with, range) opened on its own line
)

type rangeSpan struct{ from, to int } // template lines, 1-based, inclusive

// scanTemplate classifies the bytes of a template and finds its range
// bodies. It follows text/template's lexing of delimiters, trim markers,
// strings and comments; a template it cannot follow (unbalanced blocks, an
// unclosed action) still gets a classification, only a less useful one.
func scanTemplate(src []byte) ([]byte, []rangeSpan) {
	kind := make([]byte, len(src))
	var ranges []rangeSpan
	type block struct {
		kw   string
		line int
	}
	var stack []block
	defineDepth := 0
	lineOf := func(pos int) int { return bytes.Count(src[:pos], []byte{'\n'}) + 1 }
	isSpace := func(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

	i := 0
	trimNext := false
	for i < len(src) {
		a := bytes.Index(src[i:], []byte("{{"))
		textEnd := len(src)
		if a >= 0 {
			textEnd = i + a
		}
		// text [i, textEnd)
		from, to := i, textEnd
		if trimNext {
			for from < to && isSpace(src[from]) {
				from++
			}
		}
		leftTrim := a >= 0 && textEnd+3 < len(src) && src[textEnd+2] == '-' && isSpace(src[textEnd+3])
		if leftTrim {
			for to > from && isSpace(src[to-1]) {
				to--
			}
		}
		if defineDepth == 0 {
			k := byte(kLiteral)
			if n := len(stack); n > 0 && stack[n-1].kw != "define" && stack[n-1].line == lineOf(from) {
				k = kCondLiteral
			}
			for p := from; p < to; p++ {
				kind[p] = k
				if src[p] == '\n' {
					k = kLiteral // the block's own line is over
				}
			}
		}
		if a < 0 {
			break
		}
		end, closed, rightTrim := actionEnd(src, textEnd)
		bodyFrom, bodyTo := textEnd+2, end
		if closed {
			bodyTo = end - 2
		}
		if leftTrim {
			bodyFrom++
		}
		if rightTrim {
			bodyTo--
		}
		var body []byte
		if bodyFrom < bodyTo && bodyTo <= len(src) {
			body = src[bodyFrom:bodyTo]
		}
		kw, out := classifyAction(bytes.TrimSpace(body))
		k := byte(kControl)
		if out && defineDepth == 0 {
			k = kOutput
		}
		for p := textEnd; p < end; p++ {
			kind[p] = k
		}
		switch kw {
		case "if", "with", "range", "block":
			stack = append(stack, block{kw, lineOf(textEnd)})
		case "define":
			stack = append(stack, block{kw, lineOf(textEnd)})
			defineDepth++
		case "end":
			if n := len(stack); n > 0 {
				b := stack[n-1]
				stack = stack[:n-1]
				switch b.kw {
				case "define":
					defineDepth--
				case "range":
					ranges = append(ranges, rangeSpan{b.line, lineOf(textEnd)})
				}
			}
		}
		trimNext = rightTrim
		i = end
	}
	return kind, ranges
}

// actionEnd returns the end (after "}}") of the action starting at a,
// whether it is closed, and whether it ends with the " -}}" trim marker.
// An unclosed action runs to the end of the template.
func actionEnd(src []byte, a int) (end int, closed, trim bool) {
	isSpace := func(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }
	p := a + 2
	if p+1 < len(src) && src[p] == '-' && isSpace(src[p+1]) {
		p += 2
	}
	// a comment: {{/* ... */}} with optional trim markers
	for p < len(src) && isSpace(src[p]) {
		p++
	}
	if bytes.HasPrefix(src[p:], []byte("/*")) {
		c := bytes.Index(src[p+2:], []byte("*/"))
		if c < 0 {
			return len(src), false, false
		}
		p += 2 + c + 2
	}
	for p < len(src) {
		switch src[p] {
		case '"', '\'':
			q := src[p]
			p++
			for p < len(src) && src[p] != q && src[p] != '\n' {
				if src[p] == '\\' {
					p++
				}
				p++
			}
			p++
		case '`':
			c := bytes.IndexByte(src[p+1:], '`')
			if c < 0 {
				return len(src), false, false
			}
			p += 1 + c + 1
		case '}':
			if p+1 < len(src) && src[p+1] == '}' {
				trim := p-2 > a+1 && src[p-1] == '-' && isSpace(src[p-2])
				return p + 2, true, trim
			}
			p++
		default:
			p++
		}
	}
	return len(src), false, false
}

var declaration = regexp.MustCompile(`^\$[A-Za-z0-9_]*\s*(?::=|=[^=])`)

// classifyAction returns the keyword of a block action ("if", "range",
// "end", ...) and whether the action writes output.
func classifyAction(body []byte) (string, bool) {
	s := string(body)
	if strings.HasPrefix(s, "/*") {
		return "", false
	}
	kw := s
	if i := strings.IndexAny(kw, " \t\r\n("); i >= 0 {
		kw = kw[:i]
	}
	switch kw {
	case "if", "with", "range", "define", "end", "else", "break", "continue":
		return kw, false
	case "block":
		return kw, true
	case "template":
		return "", true
	}
	if declaration.MatchString(s) {
		return "", false
	}
	return "", true
}

// templateLines cuts the classified template into lines.
func templateLines(src, kind []byte) []tline {
	var out []tline
	start := 0
	prevNewline := true // the previous line's newline is written
	for start <= len(src) {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		var t tline
		hasCond := false
		for p := start; p < end; p++ {
			switch kind[p] {
			case kOutput:
				if p == 0 || kind[p-1] != kOutput { // not the rest of an action over lines
					t.output = true
				}
			case kCondLiteral:
				hasCond = true
			}
		}
		newline := end < len(src) && kind[end] != kTrimmed && kind[end] != kControl && kind[end] != kOutput
		eof := end == len(src) && (end == start || kind[end-1] == kLiteral || kind[end-1] == kCondLiteral)
		full, pure := linePattern(src[start:end], kind[start:end], prevNewline, newline || eof, true)
		t.pure = pure && t.output
		if full.lits != nil {
			t.pats = append(t.pats, full)
		}
		if hasCond {
			if reduced, _ := linePattern(src[start:end], kind[start:end], prevNewline, newline || eof, false); reduced.lits != nil {
				t.pats = append(t.pats, reduced)
			}
		}
		out = append(out, t)
		prevNewline = newline
		if end == len(src) {
			break
		}
		start = end + 1
	}
	return out
}

// linePattern builds the pattern of one line (without its newline). cond
// says whether the text of inline blocks is required (else it is
// anything). A line with neither literal text nor a blank output gives a
// pattern with nil lits. pure reports an output action before any text.
func linePattern(line, kind []byte, newlineBefore, newlineAfter, cond bool) (pattern, bool) {
	var pat pattern
	var run []byte
	inRun := false
	wildBefore, wildAfter, pure := false, false, false
	for p, b := range line {
		k := kind[p]
		if k == kCondLiteral && !cond {
			k = kOutput // anything, or nothing
		}
		switch k {
		case kLiteral, kCondLiteral:
			run = append(run, b)
			inRun = true
			wildAfter = false
			if b != ' ' && b != '\t' && b != '\r' {
				pat.weight++
			}
		case kOutput:
			if inRun {
				pat.lits = append(pat.lits, string(run))
				run, inRun = nil, false
			}
			if len(pat.lits) == 0 {
				wildBefore = true
				if kind[p] == kOutput {
					pure = true
				}
			}
			wildAfter = true
		default:
			if inRun {
				pat.lits = append(pat.lits, string(run))
				run, inRun = nil, false
			}
		}
	}
	if inRun {
		pat.lits = append(pat.lits, string(run))
	}
	pat.startAnchor = newlineBefore && !wildBefore
	pat.endAnchor = newlineAfter && !wildAfter
	if len(pat.lits) == 0 {
		if !pat.startAnchor || !pat.endAnchor || wildBefore {
			return pattern{}, pure
		}
		pat.lits = []string{""} // a blank line
	}
	return pat, pure
}

// match returns the weight of the best pattern of the template line that
// the rendered line fits (the literal runs in order, anything between
// them), or -1.
func (t *tline) match(r string) int {
	best := -1
	for i := range t.pats {
		if w := t.pats[i].weight; w > best && t.pats[i].matches(r) {
			best = w
		}
	}
	return best
}

func (pt *pattern) matches(r string) bool {
	lits := pt.lits
	if len(lits) == 1 && pt.startAnchor && pt.endAnchor {
		return r == lits[0]
	}
	pos, end := 0, len(r)
	if pt.startAnchor {
		if !strings.HasPrefix(r, lits[0]) {
			return false
		}
		// Indentation followed by an action ("  {{ $key }}: ..."): the
		// action does not add to the indentation.
		if strings.TrimLeft(lits[0], " ") == "" && len(r) > len(lits[0]) && r[len(lits[0])] == ' ' {
			return false
		}
		pos, lits = len(lits[0]), lits[1:]
	}
	if pt.endAnchor && len(lits) > 0 {
		last := lits[len(lits)-1]
		if !strings.HasSuffix(r, last) || len(r)-len(last) < pos {
			return false
		}
		end, lits = len(r)-len(last), lits[:len(lits)-1]
	}
	for _, lit := range lits {
		j := strings.Index(r[pos:end], lit)
		if j < 0 {
			return false
		}
		pos += j + len(lit)
	}
	return true
}

const noScore = -1 << 40

// alignLines returns, for each rendered line, the template line (1-based)
// that produced it, or 0. See the package doc for the method.
func alignLines(source, rendered []byte) []int {
	if len(rendered) == 0 {
		return nil
	}
	rlines := strings.Split(strings.TrimSuffix(string(rendered), "\n"), "\n")
	result := make([]int, len(rlines))
	kind, ranges := scanTemplate(source)
	tl := templateLines(source, kind)
	n, m := len(rlines), len(tl)
	if n == 0 || m == 0 || n*(m+1) > maxCells {
		return result
	}

	// score is the evidence that rendered line r comes from template
	// line t: twice the literal bytes matched, or 1 for a line an output
	// action may have written: any line when the action comes first on
	// its template line ("    {{- toYaml . | nindent 4 }}"), else only
	// the lines after one that matched (an action's output running over
	// several lines). cont reports the second case.
	score := func(r string, t int) (sc int, cont bool) {
		if w := tl[t].match(r); w >= 0 {
			return max(2, 2*w), false
		}
		if tl[t].pure {
			return 1, false
		}
		if tl[t].output {
			return 1, true
		}
		return noScore, false
	}
	// The range bodies each template line is in. State s is "the last
	// assigned template line is s" (1-based), state 0 "none yet".
	var spans []rangeSpan
	loops := make([][]int, m+1) // state → indexes in spans
	for _, rs := range ranges {
		from, to := max(rs.from, 1), min(rs.to, m)
		if from > to {
			continue
		}
		for s := from; s <= to; s++ {
			loops[s] = append(loops[s], len(spans))
		}
		spans = append(spans, rangeSpan{from, to})
	}
	// spanMax[k][i], spanArg[k][i]: the best previous state in
	// spans[k].from+i .. spans[k].to, to go back for the next iteration.
	spanMax := make([][]int, len(spans))
	spanArg := make([][]int, len(spans))
	for k, sp := range spans {
		spanMax[k] = make([]int, sp.to-sp.from+2)
		spanArg[k] = make([]int, sp.to-sp.from+2)
	}

	// prev[s] is the best total score of the rendered lines before r
	// ending in state s. from[r*(m+1)+s] is where the best of state s
	// after line r came from: the previous state when r was assigned to
	// template line s, -1-s when r was left unassigned (state kept).
	prev := make([]int, m+1)
	cur := make([]int, m+1)
	for i := range prev {
		prev[i] = noScore
	}
	prev[0] = 0
	from := make([]int32, n*(m+1))
	for r := 0; r < n; r++ {
		row := from[r*(m+1) : (r+1)*(m+1)]
		for k, sp := range spans {
			last := sp.to - sp.from + 1
			spanMax[k][last], spanArg[k][last] = noScore, -1
			for i := last - 1; i >= 0; i-- {
				spanMax[k][i], spanArg[k][i] = spanMax[k][i+1], spanArg[k][i+1]
				if v := prev[sp.from+i]; v > spanMax[k][i] {
					spanMax[k][i], spanArg[k][i] = v, sp.from+i
				}
			}
		}
		bestBefore, bestBeforeArg := prev[0], 0 // the best state before st
		cur[0], row[0] = prev[0], -1
		for st := 1; st <= m; st++ {
			// left unassigned: the state stays
			cur[st], row[st] = prev[st], int32(-1-st)
			if sc, cont := score(rlines[r], st-1); sc != noScore {
				cand, arg := bestBefore, bestBeforeArg
				if cont {
					cand, arg = noScore, -1
				}
				if tl[st-1].output && prev[st] > cand {
					cand, arg = prev[st], st
				}
				if !cont {
					for _, k := range loops[st] {
						// the next iteration: back from a body line at or after st
						i := st - spans[k].from
						if spanMax[k][i] > cand {
							cand, arg = spanMax[k][i], spanArg[k][i]
						}
					}
				}
				if cand != noScore && arg >= 0 && cand+sc > cur[st] {
					cur[st], row[st] = cand+sc, int32(arg)
				}
			}
			if prev[st] > bestBefore {
				bestBefore, bestBeforeArg = prev[st], st
			}
		}
		prev, cur = cur, prev
	}
	// best final state, then walk back
	state := 0
	for s := 1; s <= m; s++ {
		if prev[s] > prev[state] {
			state = s
		}
	}
	for r := n - 1; r >= 0; r-- {
		f := from[r*(m+1)+state]
		if f < 0 {
			state = int(-1 - f)
			continue
		}
		result[r] = state
		state = int(f)
	}
	return result
}
