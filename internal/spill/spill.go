// Package spill keeps byte records out of the heap, in an unlinked
// temporary file, for what a large run must keep to the end but reads back
// rarely or once: the field positions of the objects kept for the checks
// across objects, and their findings. The page cache holds the file, which
// the kernel can drop and read again, where the heap would hold the same
// bytes to the end of the run and mark them at every collection.
//
// A store never fails its callers: when the file cannot be created (a
// read-only or memory-backed temporary folder) Open returns nil and callers
// keep their data in memory; when a write fails, the records it held stay
// in memory and the store takes no more.
package spill

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// chunkSize is how many bytes of records are gathered before a write.
const chunkSize = 1 << 20

// Ref locates a record in a Store.
type Ref struct {
	off int64
	n   uint32
}

// Len is the record's length.
func (r Ref) Len() int { return int(r.n) }

// Store is a spill file. Safe for concurrent use.
type Store struct {
	mu      sync.Mutex
	f       *os.File
	name    string // removed on Close where it could not be removed at once
	buf     []byte // records after written
	written int64  // bytes in the file: records before it are read with ReadAt
	// kept holds the chunks whose write failed, by offset: they are read
	// from memory.
	kept   map[int64][]byte
	failed bool
	closed bool
}

// Open creates a store in dir, or returns nil when dir is not fit for it:
// it cannot be written, or it is held in memory (tmpfs), where spilling
// would save nothing. When dir is empty, the temporary folder is tried,
// then the user's cache folder (on systems whose /tmp is a tmpfs).
func Open(dir string) *Store {
	if dir == "" {
		if s := Open(os.TempDir()); s != nil {
			return s
		}
		cache, err := os.UserCacheDir()
		if err != nil {
			return nil
		}
		dir = filepath.Join(cache, "kubevet")
		if os.MkdirAll(dir, 0o700) != nil {
			return nil
		}
	}
	if inMemory(dir) {
		return nil
	}
	f, err := os.CreateTemp(dir, "kubevet-spill-*")
	if err != nil {
		return nil
	}
	s := &Store{f: f, buf: make([]byte, 0, chunkSize)}
	// Unlinked at once where the system allows it, so that nothing is left
	// behind if the process dies; elsewhere (Windows) on Close.
	if os.Remove(f.Name()) != nil {
		s.name = f.Name()
	}
	return s
}

// Put stores b and returns its reference, or ok=false when the store takes
// no more (the caller keeps b itself).
func (s *Store) Put(b []byte) (ref Ref, ok bool) {
	if s == nil || len(b) > chunkSize || uint64(len(b)) > 1<<32-1 {
		return Ref{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed || s.closed {
		return Ref{}, false
	}
	if len(s.buf)+len(b) > chunkSize {
		s.flushLocked()
		if s.failed {
			return Ref{}, false
		}
	}
	ref = Ref{off: s.written + int64(len(s.buf)), n: uint32(len(b))}
	s.buf = append(s.buf, b...)
	return ref, true
}

// flushLocked writes the gathered records; on failure they stay in memory.
func (s *Store) flushLocked() {
	if len(s.buf) == 0 {
		return
	}
	if _, err := s.f.WriteAt(s.buf, s.written); err != nil {
		if s.kept == nil {
			s.kept = map[int64][]byte{}
		}
		s.kept[s.written] = s.buf
		s.failed = true
		s.written += int64(len(s.buf))
		s.buf = nil
		return
	}
	s.written += int64(len(s.buf))
	s.buf = s.buf[:0]
}

// Get returns a copy of the record ref, appended to into.
func (s *Store) Get(ref Ref, into []byte) ([]byte, error) {
	if s == nil {
		return nil, errors.New("no spill store")
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errors.New("spill store closed")
	}
	if ref.off >= s.written {
		// Still gathered in memory.
		start := ref.off - s.written
		out := append(into, s.buf[start:start+int64(ref.n)]...)
		s.mu.Unlock()
		return out, nil
	}
	for at, chunk := range s.kept {
		if ref.off >= at && ref.off < at+int64(len(chunk)) {
			start := ref.off - at
			out := append(into, chunk[start:start+int64(ref.n)]...)
			s.mu.Unlock()
			return out, nil
		}
	}
	s.mu.Unlock()
	// The file is only appended to: a written record can be read without
	// the lock (ReadAt is safe for concurrent use).
	n := len(into)
	out := append(into, make([]byte, ref.n)...)
	if _, err := s.f.ReadAt(out[n:], ref.off); err != nil {
		return nil, fmt.Errorf("reading the spill file: %w", err)
	}
	return out, nil
}

// Close removes the file. Records cannot be read afterwards.
func (s *Store) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.buf, s.kept = nil, nil
	err := s.f.Close()
	if s.name != "" {
		if rerr := os.Remove(s.name); err == nil {
			err = rerr
		}
	}
	return err
}
