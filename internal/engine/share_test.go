package engine

import (
	"fmt"
	"sync"
	"testing"
)

func TestMapSetShares(t *testing.T) {
	s := newMapSet()
	a := map[string]string{"app": "web", "tier": "front"}
	if got := s.share(a); !same(got, a) {
		t.Fatal("the first map of its content must be kept")
	}
	b := map[string]string{"tier": "front", "app": "web"}
	if got := s.share(b); !same(got, a) {
		t.Error("an equal map must give the first one")
	}
	// Same keys, values swapped: the summed hash of the pairs differs, and
	// even where hashes meet the maps are compared.
	c := map[string]string{"app": "front", "tier": "web"}
	if got := s.share(c); !same(got, c) {
		t.Error("a different map must be kept as it is")
	}
	if got := s.share(map[string]string{"app": "web"}); same(got, a) {
		t.Error("a subset is not equal")
	}
	empty := map[string]string{}
	if got := s.share(empty); got == nil || len(got) != 0 {
		t.Error("an empty map must stay empty, not nil")
	}
	if got := s.share(nil); got != nil {
		t.Error("nil must stay nil")
	}
}

func TestMapSetConcurrent(t *testing.T) {
	s := newMapSet()
	var wg sync.WaitGroup
	results := make([][]map[string]string, 4)
	for w := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				results[w] = append(results[w], s.share(map[string]string{"app": fmt.Sprint(i % 50)}))
			}
		}()
	}
	wg.Wait()
	for i := range 200 {
		for w := 1; w < len(results); w++ {
			if !same(results[w][i], results[0][i]) {
				t.Fatalf("map %d: workers got different copies", i)
			}
		}
	}
}

func same(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	a["\x00probe"] = "x"
	defer delete(a, "\x00probe")
	return b["\x00probe"] == "x"
}
