package engine

// SetSpillAfter sets the number of kept objects from which runs spill, for
// a test; restore sets it back.
func SetSpillAfter(n int64) (restore func()) {
	old := spillAfter
	spillAfter = n
	return func() { spillAfter = old }
}
