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

func TestPutGet(t *testing.T) {
	s := Open(t.TempDir())
	if s == nil {
		t.Skip("the test's temporary folder is held in memory")
	}
	defer s.Close()
	var refs []Ref
	var want [][]byte
	// Enough records to fill several chunks: some are read from the file,
	// the last ones from the chunk still gathered.
	for i := range 30000 {
		b := bytes.Repeat([]byte{byte(i)}, i%200)
		ref, ok := s.Put(b)
		if !ok {
			t.Fatalf("record %d refused", i)
		}
		refs, want = append(refs, ref), append(want, b)
	}
	for i, ref := range refs {
		got, err := s.Get(ref, []byte("prefix"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, append([]byte("prefix"), want[i]...)) {
			t.Fatalf("record %d read back wrong", i)
		}
	}
	if _, ok := s.Put(make([]byte, chunkSize+1)); ok {
		t.Error("a record larger than a chunk must be refused")
	}
}

func TestConcurrent(t *testing.T) {
	s := Open(t.TempDir())
	if s == nil {
		t.Skip("the test's temporary folder is held in memory")
	}
	defer s.Close()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5000 {
				b := []byte(fmt.Sprintf("worker %d record %d %s", w, i, bytes.Repeat([]byte("x"), i%300)))
				ref, ok := s.Put(b)
				if !ok {
					t.Error("refused")
					return
				}
				got, err := s.Get(ref, nil)
				if err != nil || !bytes.Equal(got, b) {
					t.Errorf("worker %d record %d: %q, %v", w, i, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// A write that fails keeps its records in memory: they are still read
// back, and the store takes no more.
func TestWriteFailure(t *testing.T) {
	s := Open(t.TempDir())
	if s == nil {
		t.Skip("the test's temporary folder is held in memory")
	}
	defer s.Close()
	first, _ := s.Put([]byte("written before the failure"))
	s.mu.Lock()
	s.flushLocked()
	s.mu.Unlock()
	kept, _ := s.Put([]byte("gathered when the disk fills"))
	s.f.Close() // every write fails from now on
	s.mu.Lock()
	s.flushLocked()
	s.mu.Unlock()
	if _, ok := s.Put([]byte("after")); ok {
		t.Error("the store must take no more after a failed write")
	}
	if got, err := s.Get(kept, nil); err != nil || string(got) != "gathered when the disk fills" {
		t.Errorf("kept record: %q, %v", got, err)
	}
	if _, err := s.Get(first, nil); err == nil {
		t.Error("reading a closed file must fail, not return garbage")
	}
}

func TestUnlinked(t *testing.T) {
	dir := t.TempDir()
	s := Open(dir)
	if s == nil {
		t.Skip("the test's temporary folder is held in memory")
	}
	entries, _ := os.ReadDir(dir)
	if runtime.GOOS != "windows" && len(entries) != 0 {
		t.Errorf("the spill file must be unlinked at once, found %v", entries)
	}
	s.Put([]byte("x"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left after Close: %v", entries)
	}
	if _, err := s.Get(Ref{}, nil); err == nil {
		t.Error("Get after Close must fail")
	}
	if _, ok := s.Put([]byte("x")); ok {
		t.Error("Put after Close must be refused")
	}
}

func TestNotInMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("tmpfs is recognised on Linux")
	}
	var st syscall.Statfs_t
	dir := "/dev/shm"
	if err := syscall.Statfs(dir, &st); err != nil || st.Type != tmpfsMagic {
		t.Skip("no tmpfs at /dev/shm")
	}
	if s := Open(dir); s != nil {
		s.Close()
		t.Error("a store on tmpfs saves no memory: Open must refuse it")
	}
	if s := Open(filepath.Join(t.TempDir(), "missing")); s != nil {
		s.Close()
		t.Error("a folder that does not exist cannot hold a store")
	}
}

func TestNilStore(t *testing.T) {
	var s *Store
	if _, ok := s.Put([]byte("x")); ok {
		t.Error("a nil store takes nothing")
	}
	if _, err := s.Get(Ref{}, nil); err == nil {
		t.Error("a nil store has nothing to give")
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
}

// With no folder given, a store opens in the temporary folder or, when
// that is held in memory, in the user's cache folder.
func TestOpenDefault(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	s := Open("")
	if s == nil {
		if !inMemory(os.TempDir()) {
			t.Fatal("no store in a temporary folder on disk")
		}
		t.Skip("the test's folders are held in memory")
	}
	defer s.Close()
	ref, _ := s.Put([]byte("x"))
	if got, err := s.Get(ref, nil); err != nil || string(got) != "x" {
		t.Errorf("%q, %v", got, err)
	}
	if runtime.GOOS != "linux" {
		return
	}
	// A temporary folder on tmpfs: the cache folder takes the store.
	t.Setenv("TMPDIR", "/dev/shm")
	if !inMemory("/dev/shm") {
		t.Skip("no tmpfs at /dev/shm")
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	s2 := Open("")
	if s2 == nil {
		t.Fatal("the cache folder should take the store")
	}
	defer s2.Close()
	if _, err := os.Stat(filepath.Join(cache, "kubevet")); err != nil {
		t.Errorf("the store is not in the cache folder: %v", err)
	}
}
