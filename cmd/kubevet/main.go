// Command kubevet checks Kubernetes manifests against the Kubernetes and AKS
// best-practice guides. Installed as kubectl-vet it is also a kubectl plugin.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
