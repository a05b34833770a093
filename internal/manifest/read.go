package manifest

import (
	"errors"
	"io"
)

// ReadAll splits the YAML stream r into documents and decodes each one, in
// order. name is the file name given to objects and diagnostics. Problems
// with the input (syntax errors, documents too large, invalid fields) are
// returned as diagnostics; the error is only for failures to read r, and
// comes with what was decoded before it.
func ReadAll(name string, r io.Reader, opt Options) ([]*Object, []Diagnostic, error) {
	s := NewSplitter(r)
	var (
		objs  []*Object
		diags []Diagnostic
	)
	for {
		c, err := s.Next()
		if errors.Is(err, io.EOF) {
			return objs, diags, nil
		}
		if err != nil {
			return objs, diags, err
		}
		d := Decode(name, c, opt)
		objs = append(objs, d.Objects...)
		diags = append(diags, d.Diagnostics...)
	}
}
