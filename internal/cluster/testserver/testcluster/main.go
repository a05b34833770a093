// Command testcluster starts the test API server (scripts/build-apiserver.sh
// builds it), fills it and waits, so that kubevet cluster can be timed and
// measured against it:
//
//	go run ./internal/cluster/testserver/testcluster -kubeconfig /tmp/kc &
//	/usr/bin/time -v kubevet cluster --kubeconfig /tmp/kc -o json >/dev/null
//
// By default it creates 50 namespaces, 2,000 Deployments with 5 pods each
// (10,000 pods), their ReplicaSets, Services and PodDisruptionBudgets, on
// 20 nodes. -fixture creates the small cluster of the tests instead. It
// stops the server on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/kubevet/kubevet/internal/cluster/testserver"
)

func main() {
	var (
		kubeconfig = flag.String("kubeconfig", "testcluster.kubeconfig", "kubeconfig to write, for the kubevet user bound to deploy/clusterrole.yaml")
		role       = flag.String("clusterrole", "deploy/clusterrole.yaml", "ClusterRole of the kubevet user")
		fixture    = flag.Bool("fixture", false, "create the tests' small cluster instead of a large one")
		s          testserver.Scale
	)
	flag.IntVar(&s.Namespaces, "namespaces", 50, "namespaces")
	flag.IntVar(&s.Deployments, "deployments", 2000, "Deployments, each with a ReplicaSet, a Service and a PDB")
	flag.IntVar(&s.PodsPerDeployment, "pods", 5, "pods per Deployment")
	flag.IntVar(&s.Nodes, "nodes", 20, "nodes")
	flag.IntVar(&s.Parallel, "parallel", 32, "requests in flight while creating")
	flag.Parse()
	if err := run(*kubeconfig, *role, *fixture, s); err != nil {
		slog.Error("testcluster", "err", err)
		os.Exit(1)
	}
}

func run(kubeconfig, role string, fixture bool, s testserver.Scale) error {
	dir, err := os.MkdirTemp("", "kubevet-testcluster-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := testserver.Start(dir)
	if err != nil {
		return err
	}
	defer srv.Stop()
	cs, err := kubernetes.NewForConfig(srv.Config(testserver.AdminToken))
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	dyn, err := dynamic.NewForConfig(srv.Config(testserver.AdminToken))
	if err != nil {
		return err
	}
	if err := testserver.Fixture(ctx, cs, dyn, role); err != nil {
		return err
	}
	if !fixture {
		if err := testserver.Populate(ctx, cs, s); err != nil {
			return err
		}
	}
	if _, err := srv.Kubeconfig(testserver.KubevetToken, kubeconfig); err != nil {
		return err
	}
	fmt.Printf("API server %s ready with objects in %s; kubeconfig %s; Ctrl-C stops it\n", srv.URL, time.Since(start).Round(time.Millisecond), kubeconfig)
	<-ctx.Done()
	return nil
}
