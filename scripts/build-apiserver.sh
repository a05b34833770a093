#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy for the tests of
# `kubevet cluster` against a real API server (internal/cluster). The binaries
# go to a cache folder outside the work tree, keyed by version, and are not
# rebuilt when present:
#
#   ${XDG_CACHE_HOME:-$HOME/.cache}/kubevet-test/apiserver-v1.37.2/{kube-apiserver,etcd}
#
# KUBEVET_APISERVER_DIR overrides the folder. The first build takes about 20
# minutes for kube-apiserver and 5 for etcd on 2 cores; later runs take no time.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.37.2}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.13}"
STAGING_VERSION="v0.${K8S_VERSION#v1.}" # v1.37.2 -> v0.37.2
OUT="${KUBEVET_APISERVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubevet-test/apiserver-$K8S_VERSION}"

command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0

mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -x "$OUT/etcd" ]; then
  echo "etcd: $OUT/etcd (cached)"
else
  echo "== etcd $ETCD_VERSION (about 5 minutes on 2 cores)"
  mkdir -p "$work/etcd"
  cd "$work/etcd"
  cat >go.mod <<MOD
module kubevet.test/etcd

go 1.26.0
MOD
  cat >main.go <<'GO'
// Command etcd is etcd's own main, built from go.etcd.io/etcd/server/v3.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  go mod tidy
  go build -trimpath -o "$OUT/etcd.tmp" .
  mv "$OUT/etcd.tmp" "$OUT/etcd"
  echo "etcd: $OUT/etcd"
fi

if [ -x "$OUT/kube-apiserver" ]; then
  echo "kube-apiserver: $OUT/kube-apiserver (cached)"
else
  echo "== kube-apiserver $K8S_VERSION (about 20 minutes on 2 cores)"
  mkdir -p "$work/apiserver"
  cd "$work/apiserver"
  # The staging modules (k8s.io/api, k8s.io/apiserver, ...) are required as
  # v0.0.0 in k8s.io/kubernetes' go.mod and replaced by local folders there;
  # outside that repository each must be replaced by its published version.
  gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [ -f "$gomod" ] || { echo "no go.mod for k8s.io/kubernetes@$K8S_VERSION" >&2; exit 1; }
  {
    echo "module kubevet.test/apiserver"
    echo
    echo "go 1.26.0"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print "\t" $1 " => " $1 " '"$STAGING_VERSION"'" }' "$gomod" | sort -u
    echo ")"
  } >go.mod
  echo "replaced $(grep -c '=>' go.mod) staging modules with $STAGING_VERSION"
  go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION"
  go build -trimpath -ldflags "-X k8s.io/component-base/version.gitVersion=$K8S_VERSION" \
    -o "$OUT/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
  mv "$OUT/kube-apiserver.tmp" "$OUT/kube-apiserver"
  echo "kube-apiserver: $OUT/kube-apiserver"
fi
"$OUT/kube-apiserver" --version
"$OUT/etcd" --version | head -n 1
