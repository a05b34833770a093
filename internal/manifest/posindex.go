package manifest

import (
	"encoding/binary"
	"slices"
	"sync"

	"gopkg.in/yaml.v3"
)

// posIndex keeps the positions of a detached object's fields, so that
// findings reported after Detach (by the checks across objects, or on
// exemptions) are placed without reading and parsing the document again.
//
// It records, for every mapping key and list item of the document, a hash
// of its path and its position, and whether all of the node's own keys or
// items are recorded too ("complete"). Locate then answers exactly as on
// the node tree: a path missing below a complete node is missing from the
// document. Where the index is not complete (merge keys, aliases beyond
// the budget, an enormous document), Locate reads the document again.
//
// Entries take 12 bytes: two words of path hash and one of position, sorted
// by hash.
type posIndex struct {
	base int32    // file line of the root node
	ents []uint32 // triples: hash high, hash low, packed position
}

const (
	posLineBits  = 20
	posColBits   = 11
	posComplete  = 1 << 31
	posMaxLine   = 1<<posLineBits - 1
	posMaxCol    = 1<<posColBits - 1
	posBudget    = 4096 // entries per object
	fnvOffset    = 14695981039346656037
	fnvPrime     = 1099511628211
	posMaxDepth  = 64
	hashKeyMark  = 0xfd
	hashItemMark = 0xfe
)

// hashKey and hashItem extend the hash of a path by a key or a list index
// (64-bit FNV-1a over a separator and the key's bytes or the index's).
func hashKey(h uint64, k string) uint64 {
	h = (h ^ hashKeyMark) * fnvPrime
	for i := 0; i < len(k); i++ {
		h = (h ^ uint64(k[i])) * fnvPrime
	}
	return (h ^ 0xff) * fnvPrime
}

func hashItem(h uint64, i int) uint64 {
	h = (h ^ hashItemMark) * fnvPrime
	for x := uint64(i); ; x >>= 8 {
		h = (h ^ x&0xff) * fnvPrime
		if x < 256 {
			break
		}
	}
	return (h ^ 0xff) * fnvPrime
}

type posEnt struct {
	h uint64
	v uint32
}

type posBuilder struct {
	ents []posEnt
	base int
	ok   bool
}

var posBuilders = sync.Pool{New: func() any { return new(posBuilder) }}

// buildPosIndex indexes the node tree of root; lineOffset is added to node
// lines. It returns a nil index when the document cannot be indexed.
func buildPosIndex(root *yaml.Node, lineOffset int) posIndex {
	n := deref(root)
	if n == nil {
		return posIndex{}
	}
	b := posBuilders.Get().(*posBuilder)
	defer posBuilders.Put(b)
	b.ents, b.base, b.ok = b.ents[:0], n.Line, true
	b.add(fnvOffset, n)
	if b.ok {
		b.ents[0].v |= b.walk(n, fnvOffset, 0)
	}
	if !b.ok {
		return posIndex{}
	}
	slices.SortFunc(b.ents, func(x, y posEnt) int {
		switch {
		case x.h < y.h:
			return -1
		case x.h > y.h:
			return 1
		}
		return 0
	})
	out := make([]uint32, 0, 3*len(b.ents))
	for i, e := range b.ents {
		if i > 0 && b.ents[i-1].h == e.h {
			return posIndex{} // duplicate keys (or a hash collision): no index
		}
		out = append(out, uint32(e.h>>32), uint32(e.h), e.v)
	}
	return posIndex{base: int32(b.base + lineOffset), ents: out}
}

// add records node n (a key node or a list item) under path hash h.
func (b *posBuilder) add(h uint64, n *yaml.Node) {
	line, col := n.Line-b.base, n.Column
	if line < 0 || line > posMaxLine || col < 0 || col > posMaxCol {
		b.ok = false
		return
	}
	b.ents = append(b.ents, posEnt{h: h, v: uint32(line) | uint32(col)<<posLineBits})
}

// walk records the keys or items of n, whose path hash is h, and reports
// posComplete when all of them (and nothing else) are recorded.
func (b *posBuilder) walk(n *yaml.Node, h uint64, depth int) uint32 {
	if n == nil || depth > posMaxDepth {
		return 0
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if isMerge(n.Content[i]) {
				return 0
			}
		}
		if len(b.ents)+len(n.Content)/2 > posBudget {
			return 0
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn := n.Content[i]
			if kn.Kind != yaml.ScalarNode {
				continue // lookup never finds these
			}
			ch := hashKey(h, kn.Value)
			j := len(b.ents)
			b.add(ch, kn)
			if !b.ok {
				return 0
			}
			b.ents[j].v |= b.walk(deref(n.Content[i+1]), ch, depth+1)
		}
		return posComplete
	case yaml.SequenceNode:
		if len(b.ents)+len(n.Content) > posBudget {
			return 0
		}
		for i, c := range n.Content {
			item := deref(c)
			if item == nil {
				continue // Locate stops at the list, as for a missing item
			}
			ch := hashItem(h, i)
			j := len(b.ents)
			b.add(ch, item)
			if !b.ok {
				return 0
			}
			b.ents[j].v |= b.walk(item, ch, depth+1)
		}
		return posComplete
	case yaml.ScalarNode:
		return posComplete
	}
	return 0
}

// find returns the packed position recorded for path hash h.
func (ix *posIndex) find(h uint64) (uint32, bool) {
	hi, lo := uint32(h>>32), uint32(h)
	e := ix.ents
	i, j := 0, len(e)/3
	for i < j {
		m := int(uint(i+j) >> 1)
		mh, ml := e[3*m], e[3*m+1]
		if mh < hi || mh == hi && ml < lo {
			i = m + 1
		} else {
			j = m
		}
	}
	if i < len(e)/3 && e[3*i] == hi && e[3*i+1] == lo {
		return e[3*i+2], true
	}
	return 0, false
}

func (ix *posIndex) position(v uint32) Position {
	return Position{Line: int(ix.base) + int(v&posMaxLine), Column: int(v >> posLineBits & posMaxCol)}
}

// appendTo appends the index to b as little-endian 32-bit words: the base
// line, then the entries.
func (ix *posIndex) appendTo(b []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(ix.base))
	for _, e := range ix.ents {
		b = binary.LittleEndian.AppendUint32(b, e)
	}
	return b
}

// readPosIndex reads back what appendTo wrote.
func readPosIndex(b []byte) (posIndex, bool) {
	if len(b) < 4 || len(b)%4 != 0 || (len(b)/4-1)%3 != 0 {
		return posIndex{}, false
	}
	ix := posIndex{base: int32(binary.LittleEndian.Uint32(b)), ents: make([]uint32, len(b)/4-1)}
	for i := range ix.ents {
		ix.ents[i] = binary.LittleEndian.Uint32(b[4+4*i:])
	}
	return ix, len(ix.ents) > 0
}

// locate answers Locate(p) from the index; ok is false when the index
// cannot tell and the document must be read again.
func (ix *posIndex) locate(p Path) (pos Position, exact, ok bool) {
	if ix == nil || ix.ents == nil {
		return Position{}, false, false
	}
	h := uint64(fnvOffset)
	v, found := ix.find(h)
	if !found {
		return Position{}, false, false
	}
	for _, e := range p.elems {
		if v&posComplete == 0 {
			return Position{}, false, false
		}
		if e.index >= 0 {
			h = hashItem(h, e.index)
		} else {
			h = hashKey(h, e.key)
		}
		next, found := ix.find(h)
		if !found {
			return ix.position(v), false, true
		}
		v = next
	}
	return ix.position(v), true, true
}
