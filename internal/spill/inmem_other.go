//go:build !linux

package spill

// inMemory reports whether dir is on a file system held in memory. Only
// Linux is asked (tmpfs); elsewhere a temporary folder is taken to be on
// disk.
func inMemory(string) bool { return false }
