package kustomize

import (
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// metadataFS is the disk seen through one change: the root kustomization
// file reads with buildMetadata [originAnnotations, transformerAnnotations]
// added, so that every built object says which file defined it and which
// patches and transformers touched it. Kustomize has no option for this
// besides the kustomization's own buildMetadata field, and kustomizations
// below the root inherit the root's setting.
type metadataFS struct {
	filesys.FileSystem
	// root is the kustomization file as the loader reads it (absolute,
	// symlinks resolved), and data its content with buildMetadata added.
	root string
	data []byte
}

func (f *metadataFS) ReadFile(path string) ([]byte, error) {
	if filepath.Clean(path) == f.root {
		return append([]byte(nil), f.data...), nil
	}
	return f.FileSystem.ReadFile(path)
}
