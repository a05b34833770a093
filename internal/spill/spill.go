// Package spill keeps byte records out of the heap for what a large run
// must keep to its end but reads back rarely or once: the field positions
// of the objects kept for the checks across objects, and their findings.
//
// A Store gathers records in memory, as byte slices the collector does not
// scan, and once it holds more than its memory budget it moves on to an
// unlinked temporary file: the page cache holds the file, which the kernel
// can drop and read again, where the heap would hold the same bytes to the
// end of the run. A store never fails its callers: where no file can be
// made (a read-only or memory-backed temporary folder) or a write fails,
// records stay in memory.
package spill

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
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

// Store is a spill store. Safe for concurrent use.
type Store struct {
	mu        sync.Mutex
	dir       string // where the file goes; "" for the default folders
	memBudget int64
	f         *os.File // nil while in memory, and when no file can be had
	name      string   // removed on Close where it could not be at once
	noFile    bool     // a file could not be made or written: memory only
	buf       []byte   // the records after written, gathered for a write
	written   int64    // offset where buf starts
	// chunks holds the records kept in memory before buf, in offset
	// order: those of the time before the file, or of a failed write.
	chunks []chunk
	inMem  int64
	closed bool
}

type chunk struct {
	off  int64
	data []byte
}

// New returns a store that keeps up to memBudget bytes in memory and the
// rest in a file in dir (when empty: the temporary folder, or the user's
// cache folder where the temporary folder is a tmpfs).
func New(dir string, memBudget int64) *Store {
	return &Store{dir: dir, memBudget: memBudget}
}

// Put stores b and returns its reference.
func (s *Store) Put(b []byte) Ref {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf)+len(b) > chunkSize {
		s.flushLocked()
	}
	ref := Ref{off: s.written + int64(len(s.buf)), n: uint32(len(b))}
	if s.buf == nil {
		s.buf = make([]byte, 0, max(chunkSize, len(b)))
	}
	s.buf = append(s.buf, b...)
	if len(b) > chunkSize {
		s.flushLocked() // a record alone in its chunk
	}
	return ref
}

// flushLocked writes the gathered records to the file, or keeps them in
// memory while the store is within its budget or has no file.
func (s *Store) flushLocked() {
	if len(s.buf) == 0 || s.closed {
		return
	}
	if s.f == nil && !s.noFile && s.inMem+int64(len(s.buf)) > s.memBudget {
		s.openLocked()
	}
	if s.f != nil && !s.noFile {
		if _, err := s.f.WriteAt(s.buf, s.written); err == nil {
			s.written += int64(len(s.buf))
			s.buf = s.buf[:0]
			return
		}
		s.noFile = true // the disk is full, say: memory from now on
	}
	s.chunks = append(s.chunks, chunk{off: s.written, data: s.buf})
	s.inMem += int64(len(s.buf))
	s.written += int64(len(s.buf))
	s.buf = nil
}

// openLocked makes the store's file, or marks that there is none.
func (s *Store) openLocked() {
	dirs := []string{s.dir}
	if s.dir == "" {
		dirs = []string{os.TempDir()}
		if cache, err := os.UserCacheDir(); err == nil {
			dirs = append(dirs, filepath.Join(cache, "kubevet"))
		}
	}
	for _, dir := range dirs {
		if os.MkdirAll(dir, 0o700) != nil || inMemory(dir) {
			continue
		}
		f, err := os.CreateTemp(dir, "kubevet-spill-*")
		if err != nil {
			continue
		}
		s.f = f
		// Unlinked at once where the system allows it, so that nothing is
		// left behind if the process dies; elsewhere (Windows) on Close.
		if os.Remove(f.Name()) != nil {
			s.name = f.Name()
		}
		return
	}
	s.noFile = true
}

// Get returns a copy of the record ref, appended to into.
func (s *Store) Get(ref Ref, into []byte) ([]byte, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, fmt.Errorf("spill store closed")
	}
	if ref.off >= s.written {
		start := ref.off - s.written
		out := append(into, s.buf[start:start+int64(ref.n)]...)
		s.mu.Unlock()
		return out, nil
	}
	i := sort.Search(len(s.chunks), func(i int) bool { return s.chunks[i].off > ref.off }) - 1
	if i >= 0 && ref.off < s.chunks[i].off+int64(len(s.chunks[i].data)) {
		c := s.chunks[i]
		start := ref.off - c.off
		out := append(into, c.data[start:start+int64(ref.n)]...)
		s.mu.Unlock()
		return out, nil
	}
	f := s.f
	s.mu.Unlock()
	// The file is only appended to: a written record is read without the
	// lock (ReadAt is safe for concurrent use).
	n := len(into)
	out := append(into, make([]byte, ref.n)...)
	if _, err := f.ReadAt(out[n:], ref.off); err != nil {
		return nil, fmt.Errorf("reading the spill file: %w", err)
	}
	return out, nil
}

// Close drops the records and removes the file.
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
	s.buf, s.chunks = nil, nil
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if s.name != "" {
		if rerr := os.Remove(s.name); err == nil {
			err = rerr
		}
	}
	return err
}
