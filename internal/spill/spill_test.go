package spill

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
)

// putAll stores records of every size up to 200 bytes, and a few larger
// than a chunk, and returns them with their references.
func putAll(t *testing.T, s *Store) ([]Ref, [][]byte) {
	t.Helper()
	var refs []Ref
	var want [][]byte
	for i := range 30000 {
		n := i % 200
		if i%10000 == 5 {
			n = chunkSize + 3
		}
		b := bytes.Repeat([]byte{byte(i)}, n)
		refs, want = append(refs, s.Put(b)), append(want, b)
	}
	return refs, want
}

func checkAll(t *testing.T, s *Store, refs []Ref, want [][]byte) {
	t.Helper()
	for i, ref := range refs {
		got, err := s.Get(ref, []byte("prefix"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, append([]byte("prefix"), want[i]...)) {
			t.Fatalf("record %d read back wrong", i)
		}
	}
}

// Within its budget a store keeps everything in memory; beyond it, in a
// file. Records read back the same either way, from the file, the chunks
// kept in memory and the chunk still gathered.
func TestPutGet(t *testing.T) {
	for _, budget := range []int64{1 << 40, 3 * chunkSize, 0} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			dir := t.TempDir()
			s := New(dir, budget)
			defer s.Close()
			refs, want := putAll(t, s)
			checkAll(t, s, refs, want)
			if hasFile := s.f != nil; hasFile != (budget < 1<<40) && !inMemory(dir) {
				t.Errorf("budget %d: file %v", budget, hasFile)
			}
		})
	}
}

func TestConcurrent(t *testing.T) {
	s := New(t.TempDir(), chunkSize)
	defer s.Close()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5000 {
				b := []byte(fmt.Sprintf("worker %d record %d %s", w, i, bytes.Repeat([]byte("x"), i%300)))
				got, err := s.Get(s.Put(b), nil)
				if err != nil || !bytes.Equal(got, b) {
					t.Errorf("worker %d record %d: %q, %v", w, i, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// A write that fails keeps its records in memory, and the store goes on
// in memory: nothing is lost.
func TestWriteFailure(t *testing.T) {
	s := New(t.TempDir(), 0)
	defer s.Close()
	first := s.Put([]byte("written before the failure"))
	s.mu.Lock()
	s.flushLocked()
	s.mu.Unlock()
	if s.f == nil {
		t.Skip("the test's temporary folder is held in memory")
	}
	got, err := s.Get(first, nil)
	if err != nil || string(got) != "written before the failure" {
		t.Fatalf("%q, %v", got, err)
	}
	kept := s.Put([]byte("gathered when the disk fills"))
	s.f.Close() // every write and read fails from now on
	s.mu.Lock()
	s.flushLocked()
	s.mu.Unlock()
	after := s.Put([]byte("after"))
	s.mu.Lock()
	s.flushLocked()
	s.mu.Unlock()
	for ref, want := range map[Ref]string{kept: "gathered when the disk fills", after: "after"} {
		if got, err := s.Get(ref, nil); err != nil || string(got) != want {
			t.Errorf("%q, %v; want %q", got, err, want)
		}
	}
	if _, err := s.Get(first, nil); err == nil {
		t.Error("reading a closed file must fail, not return garbage")
	}
}

func TestUnlinked(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, 0)
	s.Put([]byte("x"))
	s.mu.Lock()
	s.flushLocked()
	s.mu.Unlock()
	if s.f == nil {
		t.Skip("the test's temporary folder is held in memory")
	}
	entries, _ := os.ReadDir(dir)
	if runtime.GOOS != "windows" && len(entries) != 0 {
		t.Errorf("the spill file must be unlinked at once, found %v", entries)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left after Close: %v", entries)
	}
	if _, err := s.Get(Ref{}, nil); err == nil {
		t.Error("Get after Close must fail")
	}
}

// A store in a memory-backed folder keeps its records in memory: a file
// there would save nothing. With no folder given, the user's cache folder
// takes the file.
func TestNotInMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("tmpfs is recognised on Linux")
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs("/dev/shm", &st); err != nil || st.Type != tmpfsMagic {
		t.Skip("no tmpfs at /dev/shm")
	}
	s := New("/dev/shm", 0)
	defer s.Close()
	refs, want := putAll(t, s)
	if s.f != nil {
		t.Error("a store on tmpfs must not make a file")
	}
	checkAll(t, s, refs, want)

	t.Setenv("TMPDIR", "/dev/shm")
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	s2 := New("", 0)
	defer s2.Close()
	refs, want = putAll(t, s2)
	if s2.f == nil && !inMemory(cache) {
		t.Error("the cache folder should take the file")
	}
	checkAll(t, s2, refs, want)
	if _, err := os.Stat(filepath.Join(cache, "kubevet")); err != nil && !inMemory(cache) {
		t.Errorf("the file is not in the cache folder: %v", err)
	}
}

func TestNilClose(t *testing.T) {
	var s *Store
	if err := s.Close(); err != nil {
		t.Error(err)
	}
}
