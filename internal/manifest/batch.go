package manifest

import (
	"bytes"
	"errors"
	"io"

	"gopkg.in/yaml.v3"
)

// HasContent reports whether a chunk holds anything but blank lines,
// comments and document markers.
func HasContent(data []byte) bool {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		t := bytes.TrimLeft(line, " \t\r")
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		if m := marker(line); m != "" && len(bytes.TrimSpace(line)) == 3 {
			continue
		}
		return true
	}
	return false
}

// Parsed is the document of one chunk parsed by ParseBatch.
type Parsed struct {
	// Doc is the chunk's document; nil for a chunk without content or one
	// to parse alone.
	Doc *yaml.Node
	// Offset is the number to add to Doc's node lines to have file lines.
	Offset int
	// Alone is set when the chunk could not be parsed with its batch:
	// Decode parses it alone, so that its error stays with it.
	Alone bool
}

// ParseBatch parses consecutive chunks of one stream: each with the plain
// parser where it can (see parsePlain), and the runs of chunks left with
// yaml.v3, one decoder for each run.
func ParseBatch(chunks []Chunk) []Parsed {
	out := make([]Parsed, len(chunks))
	left := false
	for i, c := range chunks {
		if c.Err != nil {
			out[i].Alone = true
			continue
		}
		doc, ok := parsePlain(c.Data)
		if !ok {
			out[i].Alone, left = true, true
			continue
		}
		out[i] = Parsed{Doc: doc, Offset: c.StartLine - 1}
	}
	for i := 0; left && i < len(chunks); {
		if !out[i].Alone || chunks[i].Err != nil {
			i++
			continue
		}
		j := i + 1
		for j < len(chunks) && out[j].Alone && chunks[j].Err == nil {
			j++
		}
		if docs, offset, ok := parseYAMLBatch(chunks[i:j]); ok {
			for k, d := range docs {
				out[i+k] = Parsed{Doc: d, Offset: offset}
			}
		}
		i = j
	}
	return out
}

// parseYAMLBatch parses several consecutive chunks of one stream with a single
// yaml.v3 decoder, which costs less than a parser per document. It returns
// the documents by chunk (nil for chunks without content) and the line
// offset to add to their node lines, or ok=false when the batch cannot be
// parsed as a whole (a syntax error, or documents that do not line up with
// the chunks): the caller then decodes the chunks one by one, so that an
// error stays with its own document.
func parseYAMLBatch(chunks []Chunk) (docs []*yaml.Node, offset int, ok bool) {
	if len(chunks) == 0 {
		return nil, 0, true
	}
	type span struct{ first, last int } // line range of a chunk, relative to the batch
	spans := make([]span, len(chunks))
	want := 0
	start := chunks[0].StartLine
	for i, c := range chunks {
		if c.Err != nil {
			return nil, 0, false
		}
		if i > 0 && chunks[i-1].StartLine+bytes.Count(chunks[i-1].Data, []byte("\n")) != c.StartLine {
			return nil, 0, false // not contiguous (a "..." line was dropped)
		}
		spans[i] = span{c.StartLine - start + 1, c.StartLine - start + bytes.Count(c.Data, []byte("\n"))}
		if HasContent(c.Data) {
			want++
		} else {
			spans[i] = span{-1, -1}
		}
	}
	dec := yaml.NewDecoder(&chunksReader{chunks: chunks})
	got := make([]*yaml.Node, 0, want)
	for {
		n := new(yaml.Node)
		err := dec.Decode(n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, false
		}
		got = append(got, n)
	}
	if len(got) != want {
		return nil, 0, false
	}
	docs = make([]*yaml.Node, len(chunks))
	j := 0
	for i := range chunks {
		if spans[i].first < 0 {
			continue
		}
		d := got[j]
		j++
		line := d.Line
		if r := deref(d); r != nil {
			line = r.Line
		}
		if line < spans[i].first || line > spans[i].last+1 {
			return nil, 0, false
		}
		docs[i] = d
	}
	return docs, start - 1, true
}

// chunksReader reads the data of consecutive chunks as one stream.
type chunksReader struct {
	chunks []Chunk
	off    int // in chunks[0].Data
}

func (r *chunksReader) Read(p []byte) (int, error) {
	for len(r.chunks) > 0 && r.off == len(r.chunks[0].Data) {
		r.chunks, r.off = r.chunks[1:], 0
	}
	if len(r.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.chunks[0].Data[r.off:])
	r.off += n
	return n, nil
}
