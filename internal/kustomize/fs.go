package kustomize

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// metadataFS is the disk seen through two changes. The root kustomization
// file reads with buildMetadata [originAnnotations, transformerAnnotations]
// added, so that every built object says which file defined it: Kustomize
// has no option for this besides the kustomization's own buildMetadata
// field, and kustomizations below the root inherit the root's setting.
// And files read as readFile does, so that a named pipe or a huge file in
// the repository cannot stall or exhaust a build.
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
	return readFile(path)
}

// maxFile bounds the size of a file a build reads.
const maxFile = 64 << 20

// readFile reads a regular file of at most maxFile bytes. Other files
// (named pipes, devices) are refused before they are opened: opening a
// pipe blocks until something writes to it.
func readFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if fi.Size() > maxFile {
		return nil, fmt.Errorf("%s is larger than %d MiB", path, maxFile>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFile {
		return nil, fmt.Errorf("%s is larger than %d MiB", path, maxFile>>20)
	}
	return data, nil
}
