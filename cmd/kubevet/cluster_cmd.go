package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/kubevet/kubevet/internal/aks"
	"github.com/kubevet/kubevet/internal/cluster"
	"github.com/kubevet/kubevet/internal/engine"
)

func newClusterCmd(e *env) *cobra.Command {
	var (
		f             checkFlags
		access        cluster.Access
		allNamespaces bool
	)
	cmd := &cobra.Command{
		Use:   "cluster",
		Short: "Check the objects of a live cluster (read-only: get and list only)",
		Long: `Check the objects of a live cluster with the same checks as kubevet check, plus
the checks that need a cluster (nodes, where pods run, installed agents).
Findings name the object and the field path.

The cluster is found as kubectl finds it: --kubeconfig, then KUBECONFIG, then
~/.kube/config, or the pod's service account when run in a cluster; --context
picks a context. All namespaces are checked unless -n names one.

kubevet sends get and list requests only. Kinds the identity may not list are
reported once as a note and everything else is still checked; deploy/clusterrole.yaml
is the least-privilege ClusterRole that lets it read everything (docs/cluster.md).

Exit status: 0 when nothing is at or above --fail-on, 1 when something is,
2 for usage or configuration errors and when the cluster cannot be read.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if allNamespaces && f.namespace != "" {
				return usageError{errors.New("-n/--namespace and -A/--all-namespaces cannot both be given")}
			}
			var progress io.Writer
			if fh, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(fh.Fd())) {
				progress = e.stderr
			}
			namespace, version := f.namespace, f.version
			f.objects = func(ctx context.Context, opt engine.Options) (*engine.Result, error) {
				return checkCluster(ctx, access, cluster.Options{Namespace: namespace, Progress: progress}, version, opt)
			}
			return runCheck(cmd.Context(), e, f, nil)
		},
	}
	addCheckFlags(cmd, &f)
	fl := cmd.Flags()
	fl.Lookup("namespace").Usage = "check only this namespace (and the nodes); default all namespaces"
	fl.Lookup("kubernetes-version").Usage = "target Kubernetes minor version, such as 1.34 (default: the API server's)"
	fl.StringVar(&access.Kubeconfig, "kubeconfig", "", "kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)")
	fl.StringVar(&access.Context, "context", "", "kubeconfig context (default: the current context)")
	fl.BoolVarP(&allNamespaces, "all-namespaces", "A", false, "check every namespace (the default)")
	return cmd
}

// checkCluster scans the cluster and checks its objects. The API server's
// version is the target version unless --kubernetes-version gives one.
func checkCluster(ctx context.Context, a cluster.Access, copt cluster.Options, version string, opt engine.Options) (*engine.Result, error) {
	rc, err := cluster.RESTConfig(a)
	if err != nil {
		return nil, usageError{err}
	}
	scan, err := cluster.Scan(ctx, rc, copt)
	if err != nil {
		return nil, usageError{fmt.Errorf("reading the cluster at %s: %w", rc.Host, err)}
	}
	if version == "" && opt.Config != nil {
		if m, err := aks.MinorOf(scan.ServerVersion); err == nil {
			opt.Config.KubernetesVersion = fmt.Sprintf("1.%d", m)
		}
	}
	res, err := engine.CheckObjects(ctx, scan.Objects, opt)
	if err != nil {
		return nil, err
	}
	for _, n := range scan.Notes {
		res.Notes = append(res.Notes, engine.Note{File: clusterName(rc.Host), Level: engine.NoteWarning, Message: n.Message})
	}
	return res, nil
}

// clusterName names the cluster in notes, where files are named for
// manifests.
func clusterName(host string) string {
	return "cluster " + strings.TrimPrefix(strings.TrimPrefix(host, "https://"), "http://")
}
