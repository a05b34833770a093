package spill

import "syscall"

// tmpfsMagic is the f_type statfs gives for tmpfs (linux/magic.h).
const tmpfsMagic = 0x01021994

// inMemory reports whether dir is on a file system held in memory: a file
// there would take the same memory the heap would.
func inMemory(dir string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return true // unknown: do not spill
	}
	return st.Type == tmpfsMagic
}
