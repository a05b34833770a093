package report

import (
	"bufio"
	"bytes"
	"encoding/json"
)

// jsonPieces encodes the values of a JSON document one at a time, each as
// encoding/json writes it at its depth of the whole document (json.Encoder
// with SetIndent(prefix, "  ")), so that a long array is written without
// holding it: the formats stream their findings with it.
type jsonPieces struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// newJSONPieces encodes as json.MarshalIndent does, or with <, > and &
// left as they are when escapeHTML is false.
func newJSONPieces(escapeHTML bool) *jsonPieces {
	p := &jsonPieces{}
	p.enc = json.NewEncoder(&p.buf)
	p.enc.SetEscapeHTML(escapeHTML)
	return p
}

// encode returns v encoded with prefix at the start of every line but the
// first, without a final newline. The bytes are valid until the next call.
func (p *jsonPieces) encode(v any, prefix string) ([]byte, error) {
	p.buf.Reset()
	p.enc.SetIndent(prefix, "  ")
	if err := p.enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(p.buf.Bytes(), []byte("\n")), nil
}

// encodeOpen encodes the object v as encode does, without its closing
// brace, so that more members can follow.
func (p *jsonPieces) encodeOpen(v any, prefix string) ([]byte, error) {
	b, err := p.encode(v, prefix)
	if err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b, []byte("\n"+prefix+"}")), nil
}

// writeArray writes an array of n items, item(i) encoded one at a time, as
// a value whose line starts with prefix: "[]" when empty, else one item per
// line indented by two more spaces and the closing bracket on a line of
// its own.
func (p *jsonPieces) writeArray(bw *bufio.Writer, prefix string, n int, item func(i int) any) error {
	bw.WriteByte('[')
	for i := range n {
		if i > 0 {
			bw.WriteByte(',')
		}
		b, err := p.encode(item(i), prefix+"  ")
		if err != nil {
			return err
		}
		bw.WriteString("\n" + prefix + "  ")
		bw.Write(b)
	}
	if n > 0 {
		bw.WriteString("\n" + prefix)
	}
	bw.WriteByte(']')
	return nil
}
