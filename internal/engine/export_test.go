package engine

// SetSpillMemory sets how much a run's spill store keeps in memory before
// it moves on to a file, for a test; restore sets it back.
func SetSpillMemory(n int64) (restore func()) {
	old := spillMemory
	spillMemory = n
	return func() { spillMemory = old }
}
