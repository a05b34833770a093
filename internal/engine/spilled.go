package engine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
	"github.com/kubevet/kubevet/internal/spill"
)

// findingsOf is the findings of one kept object while the run goes on,
// encoded in the run's spill store, from which they are read back when the
// checks across objects get to the object and once more when the run
// gathers its findings. The zero value is no findings.
type findingsOf struct {
	rec   spill.Ref
	count uint32
}

// spillMemory is how much a run's spill store keeps in memory before it
// moves on to a file: a few thousand objects' positions and findings. (A
// variable for tests.)
var spillMemory int64 = 8 << 20

// failSpill records that spilled findings could not be read back: the run
// has lost findings and must not pass.
func (r *runner) failSpill(err error) {
	r.spillMu.Lock()
	defer r.spillMu.Unlock()
	if r.spillErr == nil {
		r.spillErr = fmt.Errorf("reading back the findings kept in a temporary file: %w", err)
	}
}

func (r *runner) spillError() error {
	r.spillMu.Lock()
	defer r.spillMu.Unlock()
	return r.spillErr
}

// gather appends the findings of phase 2 to all.
func (r *runner) gather(all []check.Finding, outs []findingsOf) []check.Finding {
	for i := range outs {
		var err error
		if all, err = r.expand(all, outs[i]); err != nil {
			r.failSpill(err)
		}
		outs[i] = findingsOf{}
	}
	return all
}

// keep stores fs in the run's spill store.
func (r *runner) keep(fs []check.Finding) findingsOf {
	if len(fs) == 0 {
		return findingsOf{}
	}
	buf := encodeBufs.Get().(*[]byte)
	b := r.encodeFindings((*buf)[:0], fs)
	ref := r.spill.Put(b)
	*buf = b[:0]
	encodeBufs.Put(buf)
	return findingsOf{rec: ref, count: uint32(len(fs))}
}

var encodeBufs = sync.Pool{New: func() any { return new([]byte) }}

// expand appends the findings of k to into. A record that cannot be read
// back is an error of the run: its findings would be lost.
func (r *runner) expand(into []check.Finding, k findingsOf) ([]check.Finding, error) {
	if k.count == 0 {
		return into, nil
	}
	buf := encodeBufs.Get().(*[]byte)
	defer encodeBufs.Put(buf)
	b, err := r.spill.Get(k.rec, (*buf)[:0])
	if err != nil {
		return into, err
	}
	*buf = b[:0]
	return r.decodeFindings(into, b)
}

// Flags of an encoded finding.
const (
	encObject      = 1 << iota // the object, file and default namespace follow
	encRefs                    // refs other than the check's follow
	encProfiles                // profiles follow
	encNSDefaulted             // NamespaceDefaulted
)

// encodeFindings appends fs to b. What consecutive
// findings share (the object, the check's refs) is written once.
func (r *runner) encodeFindings(b []byte, fs []check.Finding) []byte {
	b = binary.AppendUvarint(b, uint64(len(fs)))
	for i := range fs {
		f := &fs[i]
		var flags byte
		if i == 0 || f.Object != fs[i-1].Object || f.File != fs[i-1].File {
			flags |= encObject
		}
		if c := r.byID[f.Check]; c == nil || !slices.Equal(c.Refs, f.Refs) {
			flags |= encRefs
		}
		if len(f.Profiles) > 0 {
			flags |= encProfiles
		}
		if f.NamespaceDefaulted {
			flags |= encNSDefaulted
		}
		b = append(b, flags)
		b = binary.AppendVarint(b, int64(f.Severity))
		b = appendString(b, f.Check)
		if flags&encObject != 0 {
			b = appendStrings(b, f.Object.APIVersion, f.Object.Kind, f.Object.Namespace, f.Object.Name, f.File)
		}
		if flags&encRefs != 0 {
			b = appendStrings(binary.AppendUvarint(b, uint64(len(f.Refs))), f.Refs...)
		}
		b = binary.AppendVarint(b, int64(f.Line))
		b = binary.AppendVarint(b, int64(f.Column))
		b = appendStrings(b, f.Path, f.Message)
		if flags&encProfiles != 0 {
			b = appendStrings(binary.AppendUvarint(b, uint64(len(f.Profiles))), f.Profiles...)
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendStrings(b []byte, ss ...string) []byte {
	for _, s := range ss {
		b = appendString(b, s)
	}
	return b
}

var errCorrupt = errors.New("spilled findings are corrupt")

// decodeFindings appends the findings encodeFindings wrote in b to into.
// Check IDs, refs and paths are shared with the catalog and the interned
// paths; the findings of one object share its reference's strings.
func (r *runner) decodeFindings(into []check.Finding, b []byte) ([]check.Finding, error) {
	d := decoder{b: b}
	n := d.uvarint()
	var obj check.ObjectRef
	var file string
	for range n {
		if d.err != nil {
			break
		}
		var f check.Finding
		flags := d.byte()
		f.Severity = check.Severity(d.varint())
		id := d.bytes()
		c := r.byID[string(id)]
		if c != nil {
			f.Check, f.Refs = c.ID, c.Refs
		} else {
			f.Check = string(id)
		}
		if flags&encObject != 0 {
			obj = check.ObjectRef{APIVersion: d.string(), Kind: d.string(), Namespace: d.string(), Name: d.string()}
			file = d.string()
		}
		f.Object, f.File = obj, file
		if flags&encRefs != 0 {
			f.Refs = d.strings()
		}
		f.NamespaceDefaulted = flags&encNSDefaulted != 0
		f.Line, f.Column = int(d.varint()), int(d.varint())
		f.Path = manifest.InternPath(d.bytes())
		f.Message = d.string()
		if flags&encProfiles != 0 {
			f.Profiles = d.strings()
		}
		into = append(into, f)
	}
	if d.err != nil || len(d.b) > 0 {
		return into, fmt.Errorf("%w (%d bytes left)", errCorrupt, len(d.b))
	}
	return into, nil
}

// decoder reads what encodeFindings wrote; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 { return readVarint(d, binary.Uvarint) }

func (d *decoder) varint() int64 { return readVarint(d, binary.Varint) }

// readVarint reads one number with read (binary.Uvarint or Varint).
func readVarint[T uint64 | int64](d *decoder, read func([]byte) (T, int)) T {
	v, n := read(d.b)
	if n <= 0 {
		d.err, d.b = errCorrupt, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.err = errCorrupt
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err, d.b = errCorrupt, nil
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

func (d *decoder) string() string { return string(d.bytes()) }

func (d *decoder) strings() []string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err, d.b = errCorrupt, nil
		return nil
	}
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for range n {
		out = append(out, d.string())
	}
	return out
}
