package engine

import (
	"errors"
	"reflect"
	"testing"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/spill"
)

func TestEncodeFindingsRoundTrip(t *testing.T) {
	known := &check.Check{ID: "known", Refs: []string{"WL-01", "WL-02"}}
	r := &runner{byID: map[string]*check.Check{"known": known}}
	obj := check.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}
	other := check.ObjectRef{APIVersion: "v1", Kind: "Service", Name: "web"}
	fs := []check.Finding{
		{Check: "known", Refs: known.Refs, Severity: check.Error, Object: obj, File: "a.yaml", Line: 3, Column: 5, Path: "spec.replicas", Message: "one"},
		{Check: "known", Refs: known.Refs, Severity: check.Warning, Object: obj, NamespaceDefaulted: true, File: "a.yaml", Line: 4, Path: "spec", Message: "two"},
		{Check: "known", Refs: []string{"OTHER"}, Object: obj, File: "a.yaml", Line: 5, Message: "own refs"},
		{Check: "known", Object: obj, File: "a.yaml", Line: 5, Message: "no refs"},
		{Check: "unknown", Object: other, File: "b.yaml", Line: 1 << 40, Column: 7, Message: "another object", Profiles: []string{"dev", "prod"}},
		{Check: "known", Refs: known.Refs, Object: obj, File: "a.yaml", Message: ""},
	}
	b := r.encodeFindings(nil, fs)
	got, err := r.decodeFindings([]check.Finding{{Check: "before"}}, b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[1:], fs) || got[0].Check != "before" {
		t.Errorf("round trip:\n got %+v\nwant %+v", got[1:], fs)
	}
	if &got[1].Refs[0] != &known.Refs[0] {
		t.Error("a known check's refs must be shared, not copied")
	}
	for cut := 1; cut < len(b); cut += 7 {
		if _, err := r.decodeFindings(nil, b[:cut]); !errors.Is(err, errCorrupt) {
			t.Fatalf("a record cut at %d of %d bytes must be reported corrupt, got %v", cut, len(b), err)
		}
	}
}

func TestSpilledRecordLost(t *testing.T) {
	st := spill.New(t.TempDir(), 0)
	r := &runner{byID: map[string]*check.Check{}, spill: st}
	k := r.keep([]check.Finding{{Check: "c", Message: "kept"}})
	if k.count != 1 {
		t.Fatalf("not kept: %+v", k)
	}
	got, err := r.expand(nil, k)
	if err != nil || len(got) != 1 || got[0].Message != "kept" {
		t.Fatalf("%+v, %v", got, err)
	}
	if got, err := r.expand(nil, r.keep(nil)); err != nil || len(got) != 0 {
		t.Errorf("no findings kept: %+v, %v", got, err)
	}
	st.Close()
	if _, err := r.expand(nil, k); err == nil {
		t.Error("a record that cannot be read back must be an error, not lost findings")
	}
}
