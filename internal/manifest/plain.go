package manifest

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// parsePlain parses one document cut by the Splitter when it is written in
// the plain subset of YAML that Kubernetes manifests are nearly always
// written in, and reports false for anything else: the caller then parses
// the document with yaml.v3, which stays the reference.
//
// The subset: UTF-8 text of printable characters of the Basic Multilingual
// Plane without tabs, lines ending in LF or CR LF; an optional "---" line
// first; block mappings and block sequences (indentless and compact ones
// too); keys that are plain or quoted scalars on one line; plain scalars
// (over several lines too), one-line quoted scalars (with yaml.v3's
// escapes) and one-line flow collections of those; literal and folded
// block scalars ("|", "|-", ">", ">-"); empty values; comments. Not in it,
// and so left to yaml.v3: "|+", ">+", indentation indicators, more
// indented lines in folded scalars, quoted scalars and flow collections
// over several lines, anchors, aliases, tags, directives, complex keys,
// merge keys, and every syntax error (yaml.v3 gives the message).
//
// Within the subset the node tree is the one yaml.v3 builds, field for
// field (kind, style, tag, value, line, column), without the comments, which
// nothing outside tests reads: TestPlainEqualsYAML compares the two on
// every YAML file of the repository and on the benchmark corpus, FuzzPlain
// on any input. Lines are 1-based from the chunk's first line.
//
// Why it exists: yaml.v3 reads a document token by token through the
// state machines of libyaml, and that costs as much as all the checks
// together. This reads it line by line, about four times faster
// (BenchmarkPlain).
func parsePlain(data []byte) (*yaml.Node, bool) {
	p := plainParser{data: data}
	if !p.splitLines() {
		return nil, false
	}
	if len(p.lines) == 0 {
		return nil, true // blank lines, comments, "---"
	}
	doc := p.node(yaml.DocumentNode, "")
	doc.Tag = ""
	if p.explicit {
		doc.Line, doc.Column = 1, 1
	} else {
		doc.Line, doc.Column = int(p.lines[0].num), int(p.lines[0].indent)+1
	}
	l := p.lines[0]
	root, ok := p.block(int(l.indent), -1)
	if !ok || p.i != len(p.lines) {
		return nil, false
	}
	doc.Content = p.content([]*yaml.Node{root})
	return doc, true
}

// maxPlainDepth bounds the nesting the plain parser follows; deeper
// documents go to yaml.v3, which has its own limit.
const maxPlainDepth = 100

// maxPlainPrealloc bounds what the plain parser allocates ahead, in lines
// or nodes, for one document: a document of millions of short lines (up to
// MaxDocumentBytes) then costs about what its nodes do, as with yaml.v3.
const maxPlainPrealloc = 4096

// maxKeyLength is yaml.v3's limit on a simple key: a longer one is an error.
const maxKeyLength = 1024

type plainLine struct {
	num    int32 // 1-based line number
	indent int32 // leading spaces
	start  int32 // offset of the line in data
	end    int32 // offset of the line's end (its newline, if any)
}

type plainParser struct {
	data     []byte
	lines    []plainLine  // lines with content, comment lines left out
	i        int          // current line
	explicit bool         // the document starts with a "---" line
	depth    int          // nesting of collections being parsed
	unicode  bool         // the document has characters outside ASCII
	cursor   columnCursor // for column, on documents outside ASCII
	slab     []yaml.Node  // nodes are cut from it
	ptrs     []*yaml.Node // Content slices are cut from it
	stack    []*yaml.Node // children of the collections being parsed
}

// splitLines cuts data into lines with content and rejects what is outside
// the subset at the byte level.
func (p *plainParser) splitLines() bool {
	data := p.data
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c >= 0x80 {
			r, size := utf8.DecodeRune(data[i:])
			if size == 1 || !plainRune(r) {
				return false // not UTF-8, or outside the subset
			}
			p.unicode = true
			i += size - 1
			continue
		}
		if c == 0x7f || c < ' ' && c != '\n' && !(c == '\r' && i+1 < len(data) && data[i+1] == '\n') {
			return false // a control character, a tab, a carriage return alone
		}
	}
	p.lines = make([]plainLine, 0, min(bytes.Count(data, []byte("\n"))+1, maxPlainPrealloc))
	num, off := 0, 0
	for len(data) > 0 {
		num++
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		start := off
		off += len(line) + 1
		line = trimCR(line)
		end := start + len(line)
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		if indent == len(line) || line[indent] == '#' {
			continue // blank or comment
		}
		if num == 1 && bytes.HasPrefix(line, []byte("---")) {
			rest := bytes.TrimLeft(line[3:], " ")
			if len(rest) > 0 && (rest[0] != '#' || len(rest) == len(line)-3) {
				return false // content after "---", or "---#"
			}
			p.explicit = true
			continue
		}
		if indent == 0 && (line[0] == '%' || bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("..."))) {
			return false
		}
		p.lines = append(p.lines, plainLine{num: int32(num), indent: int32(indent), start: int32(start), end: int32(end)})
	}
	return true
}

// plainRune reports whether r, outside ASCII, is in the plain subset:
// printable for yaml.v3, neither a line break for it (U+0085, U+2028,
// U+2029) nor a byte order mark, and in the Basic Multilingual Plane.
func plainRune(r rune) bool {
	switch {
	case r == 0x2028 || r == 0x2029 || r == 0xFEFF:
		return false
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD:
		return true
	}
	return false
}

// trimCR drops the carriage return of a line that ends in CR LF; yaml.v3
// reads the two as one line break.
func trimCR(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\r' {
		return line[:n-1]
	}
	return line
}

// node returns a new node from the parser's slab.
func (p *plainParser) node(kind yaml.Kind, tag string) *yaml.Node {
	if len(p.slab) == cap(p.slab) {
		// The corpus holds 2.3 nodes a line (a key and its value, and
		// flow collections): the first slab holds 2.25 a line, later
		// ones 16 each; enormous documents get slabs of a bounded size,
		// so that a guess never costs more than the nodes themselves.
		n := 16
		if p.slab == nil || len(p.lines) > maxPlainPrealloc {
			n = min(len(p.lines)*9/4+4, maxPlainPrealloc)
		}
		p.slab = make([]yaml.Node, 0, n)
	}
	p.slab = p.slab[:len(p.slab)+1] // zeroed by make: set the fields, copy no node
	n := &p.slab[len(p.slab)-1]
	n.Kind, n.Tag = kind, tag
	return n
}

// content returns a slice holding ns, from the parser's slab of pointers.
func (p *plainParser) content(ns []*yaml.Node) []*yaml.Node {
	if cap(p.ptrs)-len(p.ptrs) < len(ns) {
		n := 64
		if p.ptrs == nil || len(p.lines) > maxPlainPrealloc {
			n = min(len(p.lines)*9/4+4, maxPlainPrealloc) // one for every node but the root
		}
		p.ptrs = make([]*yaml.Node, 0, max(n, len(ns)))
	}
	start := len(p.ptrs)
	p.ptrs = append(p.ptrs, ns...)
	return p.ptrs[start:len(p.ptrs):len(p.ptrs)]
}

// pop returns the children pushed on the stack since base, in a Content
// slice of their own, and takes them off the stack.
func (p *plainParser) pop(base int) []*yaml.Node {
	if len(p.stack) == base {
		return nil
	}
	c := p.content(p.stack[base:])
	p.stack = p.stack[:base]
	return c
}

func (p *plainParser) text(l plainLine) []byte { return p.data[l.start:l.end] }

func (p *plainParser) at(l plainLine, col int, n *yaml.Node) *yaml.Node {
	n.Line, n.Column = int(l.num), p.column(l, col)
	return n
}

// column is yaml.v3's 1-based column of byte col of line l: it counts
// characters, not bytes. Nodes are made left to right, so the count goes
// on from the last one asked for on the same line (a long line of flow
// items would cost the square of its length otherwise).
func (p *plainParser) column(l plainLine, col int) int {
	if !p.unicode {
		return col + 1
	}
	if c := &p.cursor; c.line != l.num || col < c.byte {
		*c = columnCursor{line: l.num}
	}
	c := &p.cursor
	c.runes += utf8.RuneCount(p.text(l)[c.byte:col])
	c.byte = col
	return c.runes + 1
}

// columnCursor is where column last counted: a byte of a line and the
// characters before it.
type columnCursor struct {
	line        int32
	byte, runes int
}

// block parses the block node that starts at column col of the current
// line, inside a collection at column parent (-1 for the root).
func (p *plainParser) block(col, parent int) (*yaml.Node, bool) {
	if p.depth++; p.depth > maxPlainDepth {
		return nil, false
	}
	defer func() { p.depth-- }()
	l := p.lines[p.i]
	t := p.text(l)[col:]
	if isEntry(t) {
		return p.sequence(col)
	}
	if _, _, ok := key(t); ok {
		return p.mapping(col)
	}
	return p.inline(l, col, parent)
}

// sequence parses a block sequence whose first "-" is at column col of the
// current line; the other entries start lines indented by col.
func (p *plainParser) sequence(col int) (*yaml.Node, bool) {
	seq := p.at(p.lines[p.i], col, p.node(yaml.SequenceNode, "!!seq"))
	base := len(p.stack)
	for {
		l := p.lines[p.i]
		k, ends := afterIndicator(p.text(l), col)
		var item *yaml.Node
		var ok bool
		if ends {
			p.i++
			item, ok = p.value(l, col, col)
		} else {
			item, ok = p.block(k, col)
		}
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, item)
		if p.i == len(p.lines) {
			break
		}
		next := p.lines[p.i]
		if int(next.indent) > col {
			return nil, false
		}
		if int(next.indent) < col || !isEntry(p.text(next)[col:]) {
			break
		}
	}
	seq.Content = p.pop(base)
	return seq, true
}

// value parses the value of an entry of the collection at column col
// whose indicator (":" or "-") at column ind of line l ends the line: the
// block node on the next lines, indented deeper than the collection, or an
// empty (null) scalar right after the indicator.
func (p *plainParser) value(l plainLine, col, ind int) (*yaml.Node, bool) {
	if p.i < len(p.lines) {
		if next := p.lines[p.i]; int(next.indent) > col {
			return p.block(int(next.indent), col)
		}
	}
	n := p.node(yaml.ScalarNode, "!!null")
	n.Line, n.Column = int(l.num), p.column(l, ind+1)
	return n, true
}

// mapping parses a block mapping whose first key is at column col of the
// current line; the other keys start lines indented by col.
func (p *plainParser) mapping(col int) (*yaml.Node, bool) {
	m := p.at(p.lines[p.i], col, p.node(yaml.MappingNode, "!!map"))
	base := len(p.stack)
	for {
		l := p.lines[p.i]
		txt := p.text(l)
		kn, colon, ok := p.keyNode(l, col, txt[col:])
		if !ok {
			return nil, false
		}
		k, ends := afterIndicator(txt, col+colon)
		var v *yaml.Node
		if ends {
			p.i++
			if p.i < len(p.lines) && int(p.lines[p.i].indent) == col && isEntry(p.text(p.lines[p.i])[col:]) {
				v, ok = p.sequence(col) // indentless sequence
			} else {
				v, ok = p.value(l, col, col+colon)
			}
		} else {
			v, ok = p.inline(l, k, col)
		}
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, kn, v)
		if p.i == len(p.lines) {
			break
		}
		next := p.lines[p.i]
		if int(next.indent) > col {
			return nil, false // a scalar over several lines, or an error
		}
		if int(next.indent) < col {
			break
		}
		if isEntry(p.text(next)[col:]) {
			break // the next entry of an indentless sequence holding this mapping
		}
	}
	m.Content = p.pop(base)
	return m, true
}

// afterIndicator returns where the content after the indicator ("-" or
// ":") at index ind of txt starts, and whether the line ends there instead
// (but for a comment): the entry's value is then on the next lines.
func afterIndicator(txt []byte, ind int) (k int, ends bool) {
	k = skipSpaces(txt, ind+1)
	return k, k == len(txt) || txt[k] == '#' && k > ind+1
}

// isEntry reports whether t starts with a block sequence entry ("-" and a
// space or the end of the line).
func isEntry(t []byte) bool { return t[0] == '-' && (len(t) == 1 || t[1] == ' ') }

// key finds the mapping key at the start of t: its end and the index of
// its ":" (followed by a space or the end of the line).
func key(t []byte) (end, colon int, ok bool) {
	switch t[0] {
	case '"', '\'':
		end = quotedEnd(t)
		if end < 0 || end >= len(t) {
			return 0, 0, false
		}
		colon = end
		for colon < len(t) && t[colon] == ' ' {
			colon++
		}
		if colon < len(t) && t[colon] == ':' && (colon+1 == len(t) || t[colon+1] == ' ') && colon < maxKeyLength {
			return end, colon, true
		}
		return 0, 0, false
	}
	if !plainStart(t, false) {
		return 0, 0, false
	}
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case ':':
			if i >= maxKeyLength {
				return 0, 0, false
			}
			if i+1 == len(t) || t[i+1] == ' ' {
				end = i
				for end > 0 && t[end-1] == ' ' {
					end--
				}
				return end, i, true
			}
		case '#':
			if t[i-1] == ' ' {
				return 0, 0, false
			}
		}
	}
	return 0, 0, false
}

// keyNode parses the key at column col of line l (t is the line from col).
func (p *plainParser) keyNode(l plainLine, col int, t []byte) (*yaml.Node, int, bool) {
	end, colon, ok := key(t)
	if !ok {
		return nil, 0, false
	}
	if t[0] == '"' || t[0] == '\'' {
		n, ok := p.quoted(l, col, t[:end])
		return n, colon, ok
	}
	n := p.scalar(l, col, t[:end])
	return n, colon, n != nil
}

// plainStart reports whether a plain scalar may start t (YAML's rule for
// indicators, narrowed to what is surely a plain scalar), inside a flow
// collection when flow is set: there "?" and ":" are indicators always.
func plainStart(t []byte, flow bool) bool {
	switch t[0] {
	case '?', ':':
		if flow {
			return false
		}
		fallthrough
	case '-':
		return len(t) > 1 && t[1] != ' ' && !isFlowIndicator(t[1])
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	}
	return true
}

func isFlowIndicator(c byte) bool {
	return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'
}

// quotedEnd returns the index just past the closing quote of the quoted
// scalar at the start of t, or -1 when it does not close on this line.
func quotedEnd(t []byte) int {
	q := t[0]
	for i := 1; i < len(t); i++ {
		switch t[i] {
		case '\\':
			if q == '"' {
				i++ // an escape: the next character is not the closing quote
			}
		case q:
			if q == '\'' && i+1 < len(t) && t[i+1] == '\'' {
				i++
				continue
			}
			return i + 1
		}
	}
	return -1
}

func (p *plainParser) quoted(l plainLine, col int, t []byte) (*yaml.Node, bool) {
	n := p.at(l, col, p.node(yaml.ScalarNode, "!!str"))
	body := t[1 : len(t)-1]
	if t[0] == '"' {
		n.Style = yaml.DoubleQuotedStyle
		if bytes.IndexByte(body, '\\') < 0 {
			n.Value = string(body)
		} else if v, ok := unescape(body); ok {
			n.Value = string(v)
		} else {
			return nil, false
		}
	} else {
		n.Style = yaml.SingleQuotedStyle
		if bytes.Contains(body, []byte("''")) {
			n.Value = string(bytes.ReplaceAll(body, []byte("''"), []byte("'")))
		} else {
			n.Value = string(body)
		}
	}
	return n, true
}

// yamlEscapes are the escapes of yaml.v3's double-quoted scalars: YAML's
// but "\/", and hexEscapes the ones followed by a code point in hex.
var (
	yamlEscapes = map[byte]string{'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", 'n': "\n", 'v': "\v", 'f': "\f", 'r': "\r",
		'e': "\x1b", ' ': " ", '"': `"`, '\'': "'", '\\': `\`, 'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029"}
	hexEscapes = map[byte]int{'x': 2, 'u': 4, 'U': 8}
)

// unescape reads the escapes of a double-quoted scalar's body as yaml.v3
// does, or reports false for an unknown or invalid one.
func unescape(body []byte) ([]byte, bool) {
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			out = append(out, body[i])
			continue
		}
		i++
		if i == len(body) {
			return nil, false
		}
		if e, ok := yamlEscapes[body[i]]; ok {
			out = append(out, e...)
			continue
		}
		digits, ok := hexEscapes[body[i]]
		if !ok || i+digits >= len(body) {
			return nil, false // unknown, or too few digits
		}
		v, err := strconv.ParseUint(string(body[i+1:i+1+digits]), 16, 32)
		if err != nil || v >= 0xd800 && v <= 0xdfff || v > utf8.MaxRune {
			return nil, false // not hex, a surrogate, beyond Unicode
		}
		out = utf8.AppendRune(out, rune(v))
		i += digits
	}
	return out, true
}

// scalar makes the plain scalar v at column col of line l, its tag the one
// yaml.v3 resolves (plainTag).
func (p *plainParser) scalar(l plainLine, col int, v []byte) *yaml.Node {
	if len(v) == 0 || len(v) == 2 && v[0] == '<' && v[1] == '<' {
		return nil // empty, or a merge key
	}
	n := p.at(l, col, p.node(yaml.ScalarNode, ""))
	n.Value = string(v)
	n.Tag = plainTag(n)
	return n
}

// plainTag is the tag yaml.v3 resolves for the plain scalar n. Its resolver
// looks only at values that start like a number, a boolean or a null; the
// others (most keys and values) are strings, and the booleans and nulls
// are the few words of its table.
func plainTag(n *yaml.Node) string {
	switch n.Value[0] {
	case 'y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O', '~':
		switch n.Value {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return "!!bool"
		case "~", "null", "Null", "NULL":
			return "!!null"
		}
		return "!!str"
	case '+', '-', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return n.ShortTag() // yaml.v3's resolver: numbers and timestamps
	}
	return "!!str"
}

// inline parses the scalar or flow collection at column col of the
// current line l, which must end the line (but for a comment), or the
// block scalar it starts, in a collection at column parent; it moves to
// the next line.
func (p *plainParser) inline(l plainLine, col, parent int) (*yaml.Node, bool) {
	t := p.text(l)[col:]
	if t[0] == '|' || t[0] == '>' {
		return p.blockScalar(l, col, parent)
	}
	p.i++
	var n *yaml.Node
	end := 0
	switch t[0] {
	case '[', '{':
		var ok bool
		n, end, ok = p.flow(l, col)
		if !ok {
			return nil, false
		}
	case '"', '\'':
		end = quotedEnd(t)
		if end < 0 {
			return nil, false
		}
		var ok bool
		if n, ok = p.quoted(l, col, t[:end]); !ok {
			return nil, false
		}
	default:
		if !plainStart(t, false) {
			return nil, false
		}
		v, comment, ok := plainLineText(t)
		if !ok {
			return nil, false // a mapping where a scalar must be
		}
		if !comment {
			if v, ok = p.continuation(l, parent, v); !ok {
				return nil, false
			}
		}
		n = p.scalar(l, col, v)
		return n, n != nil
	}
	return n, restIsComment(t[end:])
}

// plainLineText returns the part of a plain scalar on one line (t, from
// the scalar or from a continuation line's first character): up to a
// comment or the end of the line, trailing spaces left out. ok is false
// where a ": " or a final ":" makes it a mapping.
func plainLineText(t []byte) (v []byte, comment, ok bool) {
	end := len(t)
	for i := 1; i < len(t); i++ {
		if t[i] == '#' && t[i-1] == ' ' {
			end, comment = i, true
			break
		}
		if t[i] == ':' && (i+1 == len(t) || t[i+1] == ' ') {
			return nil, false, false
		}
	}
	return bytes.TrimRight(t[:end], " "), comment, true
}

// continuation adds to the plain scalar v, whose first line is l, the
// lines that continue it: those indented deeper than the collection at
// column parent that holds it. yaml.v3 folds them: one line break becomes
// a space, and n blank lines between two lines n line breaks. A comment
// line among them, or one that starts like anything but plain text, is
// left to yaml.v3.
func (p *plainParser) continuation(l plainLine, parent int, v []byte) ([]byte, bool) {
	var out []byte
	prev := l
	for p.i < len(p.lines) && int(p.lines[p.i].indent) > parent {
		next := p.lines[p.i]
		t := p.text(next)[next.indent:]
		if t[0] == '-' || !plainStart(t, true) {
			return nil, false // not plain text for sure ("-" would start a sequence)
		}
		// Between the two lines: blank lines only (a comment line would
		// end the scalar).
		blank := int(next.num - prev.num - 1)
		if blank > 0 {
			for _, b := range p.data[prev.end:next.start] {
				if b == '#' {
					return nil, false
				}
			}
		}
		text, comment, ok := plainLineText(t)
		if !ok {
			return nil, false
		}
		if out == nil {
			out = append(make([]byte, 0, len(v)+len(text)+16), v...)
		}
		if blank == 0 {
			out = append(out, ' ')
		}
		for range blank {
			out = append(out, '\n')
		}
		out = append(out, text...)
		prev = next
		p.i++
		if comment {
			break
		}
	}
	if out == nil {
		return v, true
	}
	return out, true
}

// restIsComment reports whether t holds only spaces and maybe a comment
// after at least one space.
func restIsComment(t []byte) bool {
	i := 0
	for i < len(t) && t[i] == ' ' {
		i++
	}
	return i == len(t) || t[i] == '#' && i > 0
}

// flow parses the flow collection at column col of line l and returns it
// with the index (in p.text(l)[col:]) just past its end.
func (p *plainParser) flow(l plainLine, col int) (*yaml.Node, int, bool) {
	if p.depth++; p.depth > maxPlainDepth {
		return nil, 0, false
	}
	defer func() { p.depth-- }()
	t := p.text(l)
	i := col
	open := t[i]
	var n *yaml.Node
	if open == '[' {
		n = p.at(l, col, p.node(yaml.SequenceNode, "!!seq"))
	} else {
		n = p.at(l, col, p.node(yaml.MappingNode, "!!map"))
	}
	n.Style = yaml.FlowStyle
	closing := byte(']')
	if open == '{' {
		closing = '}'
	}
	i++
	base := len(p.stack)
	for {
		i = skipSpaces(t, i)
		if i == len(t) {
			return nil, 0, false
		}
		if t[i] == closing {
			if len(p.stack) > base {
				return nil, 0, false // a trailing comma
			}
			break
		}
		start := i
		item, next, ok := p.flowItem(l, i)
		if !ok {
			return nil, 0, false
		}
		p.stack = append(p.stack, item)
		i = skipSpaces(t, next)
		if open == '{' {
			if i+1 >= len(t) || t[i] != ':' || t[i+1] != ' ' || next != i || i-start >= maxKeyLength {
				return nil, 0, false
			}
			v, next, ok := p.flowItem(l, skipSpaces(t, i+1))
			if !ok {
				return nil, 0, false
			}
			p.stack = append(p.stack, v)
			i = skipSpaces(t, next)
		}
		if i == len(t) {
			return nil, 0, false
		}
		if t[i] == closing {
			i++
			break
		}
		if t[i] != ',' {
			return nil, 0, false
		}
		i++
		if j := skipSpaces(t, i); j < len(t) && t[j] == closing {
			return nil, 0, false // a trailing comma
		}
	}
	if len(p.stack) == base {
		i++
	}
	n.Content = p.pop(base)
	return n, i - col, true
}

func skipSpaces(t []byte, i int) int {
	for i < len(t) && t[i] == ' ' {
		i++
	}
	return i
}

// flowItem parses a scalar or flow collection inside a flow collection at
// index i of line l, and returns the index just past it.
func (p *plainParser) flowItem(l plainLine, i int) (*yaml.Node, int, bool) {
	t := p.text(l)
	if i >= len(t) {
		return nil, 0, false
	}
	switch t[i] {
	case '[', '{':
		n, end, ok := p.flow(l, i)
		return n, i + end, ok
	case '"', '\'':
		end := quotedEnd(t[i:])
		if end < 0 {
			return nil, 0, false
		}
		n, ok := p.quoted(l, i, t[i:i+end])
		return n, i + end, ok
	}
	if !plainStart(t[i:], true) {
		return nil, 0, false
	}
	j := i
	for ; j < len(t); j++ {
		c := t[j]
		if c == ',' || c == ']' || c == '}' || c == '[' || c == '{' || c == '?' || c == '"' || c == '\'' {
			break
		}
		if c == ':' {
			if j+1 < len(t) && t[j+1] == ' ' {
				break
			}
			return nil, 0, false
		}
		if c == '#' && t[j-1] == ' ' {
			return nil, 0, false
		}
	}
	end := j
	for end > i && t[end-1] == ' ' {
		end--
	}
	n := p.scalar(l, i, t[i:end])
	return n, end, n != nil
}

// blockScalar parses the literal ("|", "|-") or folded (">", ">-") block
// scalar whose header is at column col of the current line l, in a
// collection at column parent, and moves past its last line. A folded
// scalar joins two lines with a space, or with n line breaks where n empty
// lines part them, as yaml.v3 does for lines indented alike. Leading empty
// lines, lines of spaces longer than the indentation, more indented lines
// in a folded scalar, an explicit indentation, "|+" or ">+" and a scalar
// that ends the input without a newline are left to yaml.v3.
func (p *plainParser) blockScalar(l plainLine, col, parent int) (*yaml.Node, bool) {
	folded := p.text(l)[col] == '>'
	h := p.text(l)[col+1:]
	strip := len(h) > 0 && h[0] == '-'
	if strip {
		h = h[1:]
	}
	_, data, found := bytes.Cut(p.data[l.end:], []byte("\n"))
	if len(h) > 0 && h[0] != ' ' || !restIsComment(h) || !found {
		return nil, false
	}
	var buf []byte
	indent, empty, last := -1, 0, int(l.num)
	for num := int(l.num) + 1; len(data) > 0; num++ {
		line, rest, found := bytes.Cut(data, []byte("\n"))
		line = trimCR(line)
		s := 0
		for s < len(line) && line[s] == ' ' {
			s++
		}
		if s == len(line) { // an empty line
			if indent < 0 || s > indent || !found {
				return nil, false
			}
			empty++
			data = rest
			continue
		}
		if indent < 0 {
			if s <= parent || s == 0 {
				return nil, false // an empty scalar (yaml.v3 indents content by one at least)
			}
			indent = s
		} else if s < indent {
			break
		}
		if !found || folded && s > indent {
			return nil, false
		}
		switch {
		case folded && len(buf) > 0 && empty == 0:
			buf[len(buf)-1] = ' ' // the line break folds into a space
		case folded && len(buf) > 0:
			buf = buf[:len(buf)-1] // the line break goes, the empty lines' stay
		}
		for ; empty > 0; empty-- {
			buf = append(buf, '\n')
		}
		buf = append(buf, line[indent:]...)
		buf = append(buf, '\n')
		last = num
		data = rest
	}
	if indent < 0 {
		return nil, false
	}
	if strip {
		buf = buf[:len(buf)-1]
	}
	n := p.at(l, col, p.node(yaml.ScalarNode, "!!str"))
	n.Style = yaml.LiteralStyle
	if folded {
		n.Style = yaml.FoldedStyle
	}
	n.Value = string(buf)
	for p.i < len(p.lines) && int(p.lines[p.i].num) <= last {
		p.i++
	}
	return n, true
}
