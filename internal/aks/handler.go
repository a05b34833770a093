package aks

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
)

// maxInput bounds the size of one AKS input file.
const maxInput = 64 << 20

// Handler reads AKS configuration in JSON: az aks show output, ARM REST
// bodies, Resource Graph rows, ARM templates and terraform show -json plans.
type Handler struct {
	// Force takes every .json file and standard input (kubevet aks),
	// reporting a note for those that hold no cluster.
	Force bool
}

var _ engine.Handler = Handler{}

// Name implements engine.Handler.
func (Handler) Name() string { return "AKS configuration" }

// Extensions implements engine.Handler (.json is read anyway).
func (Handler) Extensions() []string { return nil }

// Match implements engine.Handler: JSON whose content is AKS configuration.
func (h Handler) Match(name string, head []byte) bool {
	if strings.EqualFold(filepath.Ext(name), ".tf") {
		return false
	}
	if h.Force && (strings.EqualFold(filepath.Ext(name), ".json") || name == "-") {
		return true
	}
	if LooksLikeJSONInput(head) {
		return true
	}
	return truncatedInput(name, head)
}

// headSize is the most the engine shows Match of a file.
const headSize = 64 << 10

// truncatedInput reports whether a file whose start was too short to tell
// is AKS configuration: an ARM template or a terraform plan that declares
// its cluster after the first headSize bytes (the AKS baseline's
// cluster-stamp.json declares dozens of network resources first). The file
// is then searched for the resource type.
func truncatedInput(name string, head []byte) bool {
	if len(head) < headSize || name == "-" {
		return false
	}
	low := bytes.ToLower(head)
	var want []byte
	switch {
	case bytes.Contains(low, []byte(`deploymenttemplate.json`)):
		want = []byte(`"microsoft.containerservice/managedclusters`)
	case bytes.Contains(low, []byte(`"planned_values"`)):
		want = []byte(`"azurerm_kubernetes_cluster"`)
	default:
		return false
	}
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxInput))
	return err == nil && bytes.Contains(bytes.ToLower(data), want)
}

// Check implements engine.Handler.
func (h Handler) Check(ctx context.Context, name string, r io.Reader, env engine.HandlerEnv) ([]check.Finding, []engine.Note) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, []engine.Note{{File: name, Level: engine.NoteError, Message: fmt.Sprintf("read error: %v", err)}}
	}
	if len(data) > maxInput {
		return nil, []engine.Note{{File: name, Level: engine.NoteError, Message: fmt.Sprintf("AKS input larger than %d MiB, skipped", maxInput>>20)}}
	}
	clusters, err := Parse(name, data)
	if err != nil {
		return nil, []engine.Note{{File: name, Level: engine.NoteWarning, Message: "AKS configuration: " + err.Error()}}
	}
	return Evaluate(clusters, env)
}
