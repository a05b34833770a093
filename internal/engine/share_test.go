package engine

import (
	"fmt"
	"sync"
	"testing"

	"github.com/kubevet/kubevet/internal/check"
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

func TestHoldRoundTrip(t *testing.T) {
	r := &runner{}
	obj := check.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}
	fs := []check.Finding{
		{Check: "a", Refs: []string{"WL-01"}, Severity: check.Warning, Object: obj, File: "f.yaml", Line: 3, Column: 5, Path: "spec", Message: "m1"},
		{Check: "a", Refs: []string{"WL-01"}, Severity: check.Error, Object: obj, File: "f.yaml", Line: 4, Column: 7, Path: "spec.x", Message: "m2"},
		// Another object's finding, profiles and a line beyond int32 do
		// not fit the compact form: they are held whole.
		{Check: "b", Object: check.ObjectRef{Kind: "Service", Name: "web"}, File: "f.yaml", Line: 9, Message: "m3"},
		{Check: "b", Object: obj, File: "f.yaml", Line: 1, Message: "m4", Profiles: []string{"prod"}},
		{Check: "b", Object: obj, File: "f.yaml", Line: 1 << 40, Message: "m5"},
		// The same check with other refs than first seen.
		{Check: "a", Refs: []string{"WL-02"}, Severity: check.Warning, Object: obj, File: "f.yaml", Line: 5, Message: "m6"},
	}
	hs, ho := r.hold(fs, nil)
	if ho == nil || ho.ref != obj {
		t.Fatalf("shared part = %+v", ho)
	}
	for i, want := range []bool{false, false, true, true, true, true} {
		if (hs[i].full != nil) != want {
			t.Errorf("finding %d held whole = %v, want %v", i, hs[i].full != nil, want)
		}
	}
	got := unhold(nil, hs)
	if fmt.Sprint(got) != fmt.Sprint(fs) {
		t.Errorf("round trip:\n got %v\nwant %v", got, fs)
	}
	if hs, ho2 := r.hold(nil, ho); hs != nil || ho2 != ho {
		t.Error("no findings: nothing held, the shared part passed on")
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
