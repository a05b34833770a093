package cluster

import (
	"testing"

	"github.com/kubevet/kubevet/internal/checktest"
)

func TestFixtures(t *testing.T) {
	checktest.Run(t, "testdata", Checks)
}
