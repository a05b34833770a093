package engine

import (
	"context"
	"io"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Handler reads inputs that are not Kubernetes manifests, such as AKS
// cluster configuration (az aks show JSON, ARM templates, Terraform), and
// checks them itself. Handlers live in leaf packages that bring their own
// parsers; the command wires them in, so the engine imports none of them.
type Handler interface {
	// Name says what the handler reads ("AKS configuration"), for notes.
	Name() string
	// Extensions lists file extensions (".tf") that a folder walk should
	// read for this handler, beyond .yaml, .yml and .json.
	Extensions() []string
	// Match reports whether the handler takes the file, from its name and
	// up to 64 KiB of its start. The first handler that matches takes it;
	// files no handler takes are read as manifests.
	Match(name string, head []byte) bool
	// Check reads one file and returns its findings and notes. Problems
	// with the input are findings or notes, never errors: the run goes on.
	Check(ctx context.Context, name string, r io.Reader, env HandlerEnv) ([]check.Finding, []Note)
}

// HandlerEnv is what a handler may read of the run's configuration.
type HandlerEnv struct {
	Settings *check.Settings
	// Enabled reports whether a check runs in this run.
	Enabled func(*check.Check) bool
	// Options returns a check's configured options.
	Options func(*check.Check) check.Options
	// Fact, when set, takes an object that states facts of the input for
	// the checks across objects, such as the ManagedCluster that the AKS
	// handler makes of a cluster (see (*aks.Cluster).FactObject in internal/aks), so that
	// checks of workloads can join them. The engine adds facts to the
	// graph of the run only: they are not counted as objects read, and no
	// check runs on them (they are what other objects are checked against).
	// Nil when no check across objects runs. Call it before Check returns.
	Fact func(*manifest.Object)
}
