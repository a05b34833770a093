package storage_test

import (
	"path/filepath"
	"testing"

	"github.com/kubevet/kubevet/internal/checks/storage"
	"github.com/kubevet/kubevet/internal/checktest"
)

// TestStandardDiskProfiles runs storage-class-standard-disk under the
// regulated and dev profiles; its own fixture folder runs it under the
// default production profile.
func TestStandardDiskProfiles(t *testing.T) {
	for _, tc := range []struct {
		folder   string
		findings bool
	}{
		{"storage-class-standard-disk-regulated", true},
		{"storage-class-standard-disk-dev", false},
	} {
		t.Run(tc.folder, func(t *testing.T) {
			st := checktest.RunCheck(t, filepath.Join("testdata", tc.folder), storage.StorageClassStandardDisk, storage.Checks)
			if (st.Findings > 0) != tc.findings || st.CleanObjects == 0 {
				t.Errorf("want findings=%v and clean objects; got %s", tc.findings, st)
			}
		})
	}
}
