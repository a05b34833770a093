package manifest

import (
	"testing"
	"unsafe"
)

// A run keeps every object until its end (for the checks across
// objects): an Object that grows past 288 bytes moves to the next size
// class and costs 32 bytes more per object.
func TestObjectSize(t *testing.T) {
	if n := unsafe.Sizeof(Object{}); n > 288 {
		t.Errorf("Object is %d bytes, want at most 288 (order the fields so that small ones share a word)", n)
	}
}
