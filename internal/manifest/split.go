package manifest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxDocumentBytes bounds one YAML document. A larger document is reported
// as an error and skipped; the rest of the stream is still read.
const MaxDocumentBytes = 32 << 20

// Chunk is one YAML document cut from a stream, before parsing.
type Chunk struct {
	// Index is the 0-based position of the document in its stream.
	Index int
	// StartLine is the 1-based line of the first byte of Data in the stream.
	StartLine int
	// Offset is the byte offset of Data in the stream.
	Offset int64
	Data   []byte
	// Err is set when the document could not be read whole (too large).
	Err error
}

// ErrDocumentTooLarge is returned in Chunk.Err for documents over MaxDocumentBytes.
var ErrDocumentTooLarge = fmt.Errorf("document larger than %d MiB", MaxDocumentBytes>>20)

// Splitter cuts a YAML stream into documents at "---" and "..." marker lines
// without parsing it, so that documents can be parsed in parallel and a
// broken document does not stop the ones after it. The YAML spec forbids
// document markers at the start of a line inside any scalar, so a marker
// line always separates documents.
type Splitter struct {
	r       *bufio.Reader
	line    int   // lines consumed so far
	offset  int64 // bytes consumed so far
	index   int
	pending []byte       // a "---" line that opens the next document
	long    []byte       // scratch for lines longer than the read buffer
	buf     bytes.Buffer // scratch for the document being read
	done    bool
}

// NewSplitter returns a Splitter reading r.
func NewSplitter(r io.Reader) *Splitter {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &Splitter{r: br}
}

// Next returns the next document, or io.EOF. Documents that hold nothing but
// blank lines and comments are returned too (callers skip them after parsing).
func (s *Splitter) Next() (Chunk, error) {
	for !s.done {
		c, ok, err := s.next()
		if err != nil {
			return Chunk{}, err
		}
		if ok {
			return c, nil
		}
	}
	return Chunk{}, io.EOF
}

func (s *Splitter) next() (Chunk, bool, error) {
	c := Chunk{Index: s.index, StartLine: s.line + 1, Offset: s.offset}
	buf := &s.buf
	buf.Reset()
	tooLarge := false
	if s.pending != nil {
		// The "---" line that ended the previous document opens this one.
		c.StartLine = s.line
		c.Offset = s.offset - int64(len(s.pending))
		buf.Write(s.pending)
		s.pending = nil
	}
	for {
		line, err := s.readLine()
		if err != nil && !errors.Is(err, io.EOF) {
			return Chunk{}, false, err
		}
		if len(line) > 0 {
			s.line++
			s.offset += int64(len(line))
			switch marker(line) {
			case "...", "---#":
				// "..." ends a document; "---# comment" is not a marker for
				// YAML, but kubectl and Helm split there, and Helm charts
				// render it (yaml.v3 would read it as a scalar). Either line
				// is dropped and the next document starts on the following
				// line.
				if buf.Len() > 0 || tooLarge {
					return s.emit(c, buf, tooLarge), true, nil
				}
				c.StartLine = s.line + 1
				c.Offset = s.offset
				continue
			case "---":
				if buf.Len() > 0 || tooLarge {
					s.pending = bytes.Clone(line)
					return s.emit(c, buf, tooLarge), true, nil
				}
				c.StartLine = s.line
				c.Offset = s.offset - int64(len(line))
				buf.Write(line)
				continue
			}
			if !tooLarge {
				if buf.Len()+len(line) > MaxDocumentBytes {
					tooLarge = true
					buf.Reset()
				} else {
					buf.Write(line)
				}
			}
		}
		if errors.Is(err, io.EOF) {
			s.done = true
			if buf.Len() > 0 || tooLarge {
				return s.emit(c, buf, tooLarge), true, nil
			}
			return Chunk{}, false, nil
		}
	}
}

func (s *Splitter) emit(c Chunk, buf *bytes.Buffer, tooLarge bool) Chunk {
	s.index++
	if tooLarge {
		c.Err = ErrDocumentTooLarge
		return c
	}
	// One exact copy: the scratch buffer is reused for the next document.
	c.Data = bytes.Clone(buf.Bytes())
	return c
}

// readLine returns one line including its newline. The slice is valid
// until the next call. Lines of any length are returned whole (up to just
// over MaxDocumentBytes, which is enough to know the document is too large).
func (s *Splitter) readLine() ([]byte, error) {
	line, err := s.r.ReadSlice('\n')
	if err == nil || errors.Is(err, io.EOF) {
		return line, err
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	s.long = append(s.long[:0], line...)
	for {
		more, err := s.r.ReadSlice('\n')
		if len(s.long) < MaxDocumentBytes+1 {
			s.long = append(s.long, more...)
		}
		if err == nil || errors.Is(err, io.EOF) {
			return s.long, err
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
}

// marker reports whether line is a document marker line ("---" or "...",
// followed by white space, a newline or the end of input), or "---#": three
// dashes and a comment, which kubectl's reader (apimachinery's YAMLReader)
// and Helm take as a separator too.
func marker(line []byte) string {
	if len(line) < 3 {
		return ""
	}
	var m string
	switch {
	case line[0] == '-' && line[1] == '-' && line[2] == '-':
		m = "---"
	case line[0] == '.' && line[1] == '.' && line[2] == '.':
		m = "..."
	default:
		return ""
	}
	if len(line) == 3 {
		return m
	}
	switch line[3] {
	case ' ', '\t', '\n', '\r':
		return m
	case '#':
		if m == "---" {
			return "---#"
		}
	}
	return ""
}
