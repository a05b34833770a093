package engine

import (
	"math"
	"slices"
	"sync"

	"github.com/kubevet/kubevet/internal/check"
)

// held is a finding of a kept object while the run goes on, in a third of
// check.Finding's size: what every finding of one object shares (the
// object's reference and file) and of one check (its ID, refs and
// severity) is stored once and pointed at. A large input keeps all its
// findings until the end of the run, next to the objects the checks across
// objects need, and check.Finding's copies of those fields were most of
// that memory. The findings are expanded back once the objects are gone.
type held struct {
	kind      *heldKind
	obj       *heldObject
	line, col int32
	path      string
	msg       string
	// full is set for the rare finding that does not fit the compact form
	// (another object's reference, positions beyond int32, profiles).
	full *check.Finding
}

// heldObject is what the findings of one object have in common.
type heldObject struct {
	ref         check.ObjectRef
	file        string
	nsDefaulted bool
}

// heldKind is what the findings of one check at one severity have in
// common.
type heldKind struct {
	check string
	refs  []string
	sev   check.Severity
}

// heldKinds interns heldKind values; safe for concurrent use.
type heldKinds struct {
	mu    sync.Mutex
	kinds map[heldKindKey]*heldKind
}

type heldKindKey struct {
	check string
	sev   check.Severity
}

// of returns the interned kind of f, or nil when f's refs are not the ones
// first seen for its check (then f is held in full).
func (k *heldKinds) of(f *check.Finding) *heldKind {
	key := heldKindKey{f.Check, f.Severity}
	k.mu.Lock()
	defer k.mu.Unlock()
	hk, ok := k.kinds[key]
	if !ok {
		if k.kinds == nil {
			k.kinds = map[heldKindKey]*heldKind{}
		}
		hk = &heldKind{check: f.Check, refs: f.Refs, sev: f.Severity}
		k.kinds[key] = hk
	}
	if !slices.Equal(hk.refs, f.Refs) {
		return nil
	}
	return hk
}

// hold returns fs in compact form, in a slice of its exact size (nil when
// fs is empty). ho is the object's shared part, made on first need and
// returned for the object's later findings.
func (r *runner) hold(fs []check.Finding, ho *heldObject) ([]held, *heldObject) {
	if len(fs) == 0 {
		return nil, ho
	}
	out := make([]held, len(fs))
	for i := range fs {
		f := &fs[i]
		if ho == nil {
			ho = &heldObject{ref: f.Object, file: f.File, nsDefaulted: f.NamespaceDefaulted}
		}
		kind := r.kinds.of(f)
		if kind == nil || f.Object != ho.ref || f.File != ho.file || f.NamespaceDefaulted != ho.nsDefaulted ||
			len(f.Profiles) > 0 || !fitsInt32(f.Line) || !fitsInt32(f.Column) {
			full := *f
			out[i] = held{full: &full}
			continue
		}
		out[i] = held{kind: kind, obj: ho, line: int32(f.Line), col: int32(f.Column), path: f.Path, msg: f.Message}
	}
	return out, ho
}

func fitsInt32(n int) bool { return n >= math.MinInt32 && n <= math.MaxInt32 }

// finding expands h back into a check.Finding.
func (h *held) finding() check.Finding {
	if h.full != nil {
		return *h.full
	}
	return check.Finding{
		Check:              h.kind.check,
		Refs:               h.kind.refs,
		Severity:           h.kind.sev,
		Object:             h.obj.ref,
		NamespaceDefaulted: h.obj.nsDefaulted,
		File:               h.obj.file,
		Line:               int(h.line),
		Column:             int(h.col),
		Path:               h.path,
		Message:            h.msg,
	}
}

// unhold appends the expanded findings of hs to into.
func unhold(into []check.Finding, hs []held) []check.Finding {
	for i := range hs {
		into = append(into, hs[i].finding())
	}
	return into
}
