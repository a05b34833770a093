package engine

import (
	"hash/maphash"
	"maps"
	"sync"
)

// mapSet shares equal label and annotation maps between the objects kept
// for the checks across objects. The objects of one application (its
// Deployment, Service, PodDisruptionBudget, HPA...) usually carry the same
// labels, written once in a chart's helper or a kustomization's
// commonLabels, and a pod template's labels are often its owner's: on a
// large input the copies were a sixth of what the run held. Safe for
// concurrent use.
type mapSet struct {
	seed maphash.Seed
	mu   sync.Mutex
	sets map[uint64][]map[string]string
}

func newMapSet() *mapSet {
	return &mapSet{seed: maphash.MakeSeed(), sets: map[uint64][]map[string]string{}}
}

// share returns a map equal to m: the first such map it was given, or m.
// Empty and nil maps are returned as they are.
func (s *mapSet) share(m map[string]string) map[string]string {
	if len(m) == 0 {
		return m
	}
	// The pairs' hashes are summed: equal maps hash alike whatever their
	// iteration order.
	var h uint64
	for k, v := range m {
		h += maphash.String(s.seed, k)*31 + maphash.String(s.seed, v)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.sets[h] {
		if maps.Equal(c, m) {
			return c
		}
	}
	s.sets[h] = append(s.sets[h], m)
	return m
}
