package engine

import (
	"context"
	"io"

	"github.com/kubevet/kubevet/internal/check"
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
}
