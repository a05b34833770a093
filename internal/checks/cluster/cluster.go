// Package cluster holds the checks that need what only a live cluster shows
// (the rules marked L in the spec): Nodes and where Pods run, node versions
// against the control plane and the AKS support calendar, and which
// platform agents are installed. kubevet cluster puts Nodes and Pods in the
// input; manifests of Nodes and Pods (as in the fixtures) are checked alike.
package cluster

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubevet/kubevet/internal/aks"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the cluster domain's list, in catalog order.
var Checks = []*check.Check{
	SystemPoolNotDedicated,
	AppPodOnSystemNode,
	NodesSingleZone,
	ReplicasOnOneNode,
	NodeVersionSkew,
	NodeVersionUnsupported,
	NoLogShipping,
	NoMetrics,
	NoBackup,
	NoGitOps,
	NoRuntimeSecurity,
}

// Placement is what a live scan keeps of a Pod or ReplicaSet that a
// controller owns: its metadata (owner references) and the node it runs
// on. Such objects repeat their owner's pod template, which is checked once
// on the owner; keeping only this makes them invisible to the checks of pod
// specs and cheap to hold for the checks of where pods run.
type Placement struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	NodeName          string          `json:"nodeName,omitempty"`
	Phase             corev1.PodPhase `json:"phase,omitempty"`
}

// DeepCopyObject implements runtime.Object.
func (p *Placement) DeepCopyObject() runtime.Object {
	c := *p
	p.ObjectMeta.DeepCopyInto(&c.ObjectMeta)
	return &c
}

// pathNodeName is where a pod names its node.
var pathNodeName = manifest.NewPath("spec", "nodeName")

// podPlacement returns the metadata, node and phase of a Pod, typed or
// kept as a Placement.
func podPlacement(o *manifest.Object) (*metav1.ObjectMeta, string, corev1.PodPhase, bool) {
	switch t := o.Typed().(type) {
	case *corev1.Pod:
		return &t.ObjectMeta, t.Spec.NodeName, t.Status.Phase, true
	case *Placement:
		return &t.ObjectMeta, t.NodeName, t.Phase, true
	}
	return nil, "", "", false
}

// metaOf returns the object metadata of a typed object or a Placement.
func metaOf(o *manifest.Object) metav1.Object {
	if m, ok := o.Typed().(metav1.Object); ok {
		return m
	}
	return nil
}

func controllerOf(o *manifest.Object) *metav1.OwnerReference {
	if m := metaOf(o); m != nil {
		return metav1.GetControllerOfNoCopy(m)
	}
	return nil
}

// boundPods targets Pods the scheduler has bound to a node (spec.nodeName
// set): the pods of a live cluster. Manifests leave nodeName to the
// scheduler, so that these checks judge nothing there.
var boundPods = check.Target{
	Desc: "Pods bound to a node (spec.nodeName set, as in a live cluster)",
	Match: func(o *manifest.Object) bool {
		if o.Kind != "Pod" || o.Group() != "" {
			return false
		}
		_, nodeName, _, ok := podPlacement(o)
		return ok && nodeName != ""
	},
}

// liveWorkloads targets Deployments and StatefulSets read from a cluster
// (metadata.uid set), whose pods exist.
var liveWorkloads = check.Target{
	Desc: "Deployments and StatefulSets of a live cluster (metadata.uid set)",
	Match: func(o *manifest.Object) bool {
		if o.Kind != "Deployment" && o.Kind != "StatefulSet" || o.Group() != "apps" {
			return false
		}
		m := metaOf(o)
		return m != nil && m.GetUID() != ""
	},
}

// System node pools carry this label on AKS.
const (
	modeLabel   = "kubernetes.azure.com/mode"
	criticalKey = "CriticalAddonsOnly"
)

func node(o *manifest.Object) (*corev1.Node, bool) {
	n, ok := o.Typed().(*corev1.Node)
	return n, ok
}

// SystemPoolNotDedicated reports system-pool nodes that application pods
// may be scheduled on.
var SystemPoolNotDedicated = &check.Check{
	ID:       "system-pool-not-dedicated",
	Title:    "System pool node is not tainted CriticalAddonsOnly",
	Severity: check.Warning,
	Refs:     []string{"NP-01"},
	Why: "The system node pool runs CoreDNS, metrics-server, konnectivity and the other add-ons the whole cluster depends on. " +
		"Without the CriticalAddonsOnly taint, application pods are scheduled there too and compete with them for CPU and memory, " +
		"so that a noisy application can starve cluster DNS.",
	Fix: "Taint the system pool: az aks nodepool update --node-taints CriticalAddonsOnly=true:NoSchedule (Terraform: " +
		"default_node_pool.only_critical_addons_enabled = true), and run applications on user pools.",
	Example: `spec:
  taints:
  - key: CriticalAddonsOnly
    value: "true"
    effect: NoSchedule`,
	Target: check.Kinds("Node"),
	Run: func(p *check.Pass) {
		n, ok := node(p.Object)
		if !ok || n.Labels[modeLabel] != "system" {
			return
		}
		for _, t := range n.Spec.Taints {
			if t.Key == criticalKey && (t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute) {
				return
			}
		}
		path := manifest.NewPath("spec", "taints")
		if len(n.Spec.Taints) == 0 {
			path = manifest.NewPath("spec")
		}
		p.Report(path, "node %s is in the system pool (%s=system) but not tainted %s=true:NoSchedule, so application pods can be scheduled on it; taint the pool", n.Name, modeLabel, criticalKey)
	},
}

// AppPodOnSystemNode reports application pods running on system-pool
// nodes.
var AppPodOnSystemNode = &check.Check{
	ID:       "app-pod-on-system-node",
	Title:    "Application pod runs on a system pool node",
	Severity: check.Warning,
	Refs:     []string{"NP-01"},
	Why: "Application pods on the system pool compete with the cluster's critical add-ons (CoreDNS, konnectivity, metrics-server) " +
		"for the pool's resources, and are evicted along with them when the pool is upgraded or scaled.",
	Fix: "Taint the system pool CriticalAddonsOnly=true:NoSchedule and remove that toleration from application pods, or pin them " +
		"to user pools with a nodeSelector such as kubernetes.azure.com/mode: user. DaemonSet pods and pods of system namespaces are not reported.",
	Example: `spec:
  nodeSelector:
    kubernetes.azure.com/mode: user`,
	Target: boundPods,
	Cross:  true,
	Run: func(p *check.Pass) {
		meta, nodeName, _, ok := podPlacement(p.Object)
		if !ok || nodeName == "" || p.Settings.IsSystemNamespace(p.Object.Namespace) {
			return
		}
		if c := metav1.GetControllerOfNoCopy(meta); c != nil && c.Kind == "DaemonSet" {
			return // DaemonSets run on every node by design
		}
		no := p.Graph.Get("", "Node", "", nodeName)
		if no == nil {
			return
		}
		if n, ok := node(no); !ok || n.Labels[modeLabel] != "system" {
			return
		}
		p.Report(pathNodeName, "pod %s runs on node %s of the system pool; run applications on user pools and taint the system pool CriticalAddonsOnly", p.Object.Name, nodeName)
	},
}

// zoneLabels are the labels that name a node's zone, newest first.
var zoneLabels = []string{"topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"}

// faultDomain matches the zone label of AKS nodes outside availability
// zones: a bare fault-domain number ("0", "1"), not a zone ("westeurope-1").
var faultDomain = regexp.MustCompile(`^[0-9]+$`)

func zoneOf(n *corev1.Node) string {
	for _, l := range zoneLabels {
		if z := n.Labels[l]; z != "" && !faultDomain.MatchString(z) {
			return z
		}
	}
	return ""
}

type zoneKey struct{}

type zoneSummary struct {
	first string // the node the finding goes on
	zones []string
	nodes int
}

// NodesSingleZone reports clusters whose nodes are all in one zone (or in
// none).
var NodesSingleZone = &check.Check{
	ID:       "nodes-single-zone",
	Title:    "Nodes are not spread over availability zones",
	Severity: check.Warning,
	Refs:     []string{"DR-01"},
	Why: "When every node is in one availability zone, or nodes carry no zone at all, the loss of one datacenter takes down every " +
		"workload of the cluster, whatever its replicas and spread constraints.",
	Fix: "Create node pools across zones (az aks nodepool add --zones 1 2 3; Terraform zones = [\"1\", \"2\", \"3\"]) in a region " +
		"with availability zones. The finding is reported once, on the first node by name.",
	Example: `metadata:
  labels:
    topology.kubernetes.io/zone: westeurope-1`,
	Target: check.Kinds("Node"),
	Cross:  true,
	Run: func(p *check.Pass) {
		s := p.Graph.Memo(zoneKey{}, func(g *graph.Graph) any {
			var s zoneSummary
			seen := map[string]bool{}
			for _, o := range g.Kind("", "Node") {
				n, ok := node(o)
				if !ok {
					continue
				}
				s.nodes++
				if s.first == "" || o.Name < s.first {
					s.first = o.Name
				}
				if z := zoneOf(n); z != "" && !seen[z] {
					seen[z] = true
					s.zones = append(s.zones, z)
				}
			}
			sort.Strings(s.zones)
			return s
		}).(zoneSummary)
		if p.Object.Name != s.first || len(s.zones) >= 2 {
			return
		}
		path := manifest.NewPath("metadata", "labels")
		if len(s.zones) == 0 {
			p.Report(path, "none of the %d nodes is in an availability zone (label %s): one datacenter failure takes the cluster down; create node pools across zones", s.nodes, zoneLabels[0])
			return
		}
		p.Report(path, "all %d nodes are in zone %s: one zone failure takes the cluster down; create node pools across zones", s.nodes, s.zones[0])
	},
}

type placementKey struct{}

// owner names a workload in a namespace.
type owner struct{ ns, kind, name string }

type placed struct {
	pods  int
	nodes map[string]bool
}

// buildPlacement counts the running pods of every Deployment (through its
// ReplicaSets) and StatefulSet, and the nodes they run on.
func buildPlacement(g *graph.Graph) any {
	idx := map[owner]*placed{}
	for _, o := range g.Kind("", "Pod") {
		meta, nodeName, phase, ok := podPlacement(o)
		if !ok || nodeName == "" || phase == corev1.PodSucceeded || phase == corev1.PodFailed {
			continue
		}
		c := metav1.GetControllerOfNoCopy(meta)
		if c == nil {
			continue
		}
		w := owner{o.Namespace, c.Kind, c.Name}
		switch c.Kind {
		case "ReplicaSet":
			rs := g.Get("apps", "ReplicaSet", o.Namespace, c.Name)
			if rs == nil {
				continue
			}
			d := controllerOf(rs)
			if d == nil || d.Kind != "Deployment" {
				continue
			}
			w = owner{o.Namespace, "Deployment", d.Name}
		case "StatefulSet":
		default:
			continue
		}
		pl := idx[w]
		if pl == nil {
			pl = &placed{nodes: map[string]bool{}}
			idx[w] = pl
		}
		pl.pods++
		pl.nodes[nodeName] = true
	}
	return idx
}

// ReplicasOnOneNode reports workloads whose running replicas all run on one
// node.
var ReplicasOnOneNode = &check.Check{
	ID:       "replicas-on-one-node",
	Title:    "All running replicas of a workload are on one node",
	Severity: check.Warning,
	Refs:     []string{"DR-11"},
	Why: "Replicas protect against the loss of a node only when they run on different nodes. When the scheduler has put every " +
		"replica on one node, draining or losing that node takes the whole workload down at once.",
	Fix: "Add topologySpreadConstraints on kubernetes.io/hostname (whenUnsatisfiable: DoNotSchedule or ScheduleAnyway) or a pod " +
		"anti-affinity on the hostname, then restart the workload so that its pods are placed again. Pods are counted through their " +
		"ownerReferences (Pod, ReplicaSet, Deployment; Pod, StatefulSet).",
	Example: `spec:
  template:
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels:
            app.kubernetes.io/name: web`,
	Target: liveWorkloads,
	Cross:  true,
	Run: func(p *check.Pass) {
		idx := p.Graph.Memo(placementKey{}, buildPlacement).(map[owner]*placed)
		pl := idx[owner{p.Object.Namespace, p.Object.Kind, p.Object.Name}]
		if pl == nil || pl.pods < 2 || len(pl.nodes) != 1 {
			return
		}
		var nodeName string
		for n := range pl.nodes {
			nodeName = n
		}
		p.Report(manifest.NewPath("spec"), "all %d running pods of %s %s are on node %s: losing or draining it takes the workload down; spread them with topologySpreadConstraints on kubernetes.io/hostname", pl.pods, p.Object.Kind, p.Object.Name, nodeName)
	},
}

var pathKubelet = manifest.NewPath("status", "nodeInfo", "kubeletVersion")

// maxSkew is how many minors a kubelet may be older than the API server:
// three from 1.28, two before.
func maxSkew(controlPlane int) int {
	if controlPlane >= 28 {
		return 3
	}
	return 2
}

// NodeVersionSkew reports kubelets outside the supported version skew of
// the control plane.
var NodeVersionSkew = &check.Check{
	ID:       "node-version-skew",
	Title:    "Node kubelet version is outside the supported skew of the control plane",
	Severity: check.Error,
	Refs:     []string{"UPG-01"},
	Why: "Kubernetes supports kubelets up to three minor versions older than the API server (two before 1.28) and never newer. " +
		"Outside that skew, node features and API calls break in ways nobody tests, and the next control-plane upgrade is blocked.",
	Fix: "Upgrade the node pool to the control plane's version: az aks nodepool upgrade --kubernetes-version <version>. The control " +
		"plane's version is the API server's (kubevet cluster), or --kubernetes-version / kubernetesVersion for manifests.",
	Example: `# az aks nodepool upgrade -g rg --cluster-name aks -n user1 --kubernetes-version 1.35.2`,
	Target:  check.Kinds("Node"),
	Run: func(p *check.Pass) {
		n, ok := node(p.Object)
		if !ok || n.Status.NodeInfo.KubeletVersion == "" {
			return
		}
		kv := n.Status.NodeInfo.KubeletVersion
		km, err1 := aks.MinorOf(kv)
		cm, err2 := aks.MinorOf(p.Settings.KubernetesVersion)
		if err1 != nil || err2 != nil {
			return
		}
		switch {
		case km > cm:
			p.Report(pathKubelet, "node %s runs kubelet %s, newer than the control plane (1.%d): kubelets must never be newer than the API server; upgrade the control plane first", n.Name, kv, cm)
		case cm-km > maxSkew(cm):
			p.Report(pathKubelet, "node %s runs kubelet %s, %d minor versions behind the control plane (1.%d), beyond the supported skew of %d; upgrade its node pool", n.Name, kv, cm-km, cm, maxSkew(cm))
		}
	},
}

// isAKSNode reports whether a node belongs to an AKS node pool.
func isAKSNode(n *corev1.Node) bool {
	for k := range n.Labels {
		if strings.HasPrefix(k, "kubernetes.azure.com/") {
			return true
		}
	}
	return false
}

// NodeVersionUnsupported reports AKS nodes on a Kubernetes minor that AKS
// no longer supports.
var NodeVersionUnsupported = &check.Check{
	ID:       "node-version-unsupported",
	Title:    "AKS node runs an unsupported Kubernetes version",
	Severity: check.Error,
	Refs:     []string{"UPG-01"},
	Why: "AKS supports the three newest Kubernetes minors (N-2); older ones get no security fixes, and N-3 only platform support. " +
		"Node pools lag behind the control plane when their upgrades are skipped. Judged against the AKS release calendar kubevet ships.",
	Fix:     "Upgrade the node pool: az aks nodepool upgrade --kubernetes-version <supported version>. Plan upgrades at least once a quarter.",
	Example: `# az aks nodepool upgrade -g rg --cluster-name aks -n user1 --kubernetes-version 1.35.2`,
	Target:  check.Kinds("Node"),
	Run: func(p *check.Pass) {
		n, ok := node(p.Object)
		if !ok || !isAKSNode(n) || n.Status.NodeInfo.KubeletVersion == "" {
			return
		}
		kv := n.Status.NodeInfo.KubeletVersion
		minor, err := aks.MinorOf(kv)
		if err != nil {
			return
		}
		t, err := aks.Versions()
		if err != nil {
			return
		}
		s := t.Status(minor, p.Settings.Now, false)
		if s.Supported {
			return
		}
		if s.Platform {
			p.Report(pathKubelet, "node %s runs Kubernetes %s, N-3 on AKS (newest 1.%d): platform support only, no security fixes; upgrade its node pool", n.Name, kv, s.Newest)
			return
		}
		p.Report(pathKubelet, "node %s runs Kubernetes %s, which AKS no longer supports (newest 1.%d); upgrade its node pool", n.Name, kv, s.Newest)
	},
}

// agent describes one kind of platform agent found by the names of
// namespaces and workloads and the images of their containers.
type agent struct {
	what       string
	namespaces []string
	words      []string // in workload names or image repositories
}

type agentKey struct{ what string }

// present reports the first namespace or workload that looks like the
// agent, or "".
func (a agent) present(g *graph.Graph) string {
	return g.Memo(agentKey{a.what}, func(g *graph.Graph) any {
		for _, ns := range a.namespaces {
			if g.Get("", "Namespace", "", ns) != nil || len(g.Workloads(ns)) > 0 {
				return "namespace " + ns
			}
		}
		for _, kind := range []string{"DaemonSet", "Deployment", "StatefulSet"} {
			for _, o := range g.Kind("apps", kind) {
				name := strings.ToLower(o.Name)
				for _, w := range a.words {
					if strings.Contains(name, w) {
						return fmt.Sprintf("%s %s/%s", kind, o.Namespace, o.Name)
					}
				}
				for _, c := range check.Containers(o.PodTemplate()) {
					img := strings.ToLower(c.C.Image)
					for _, w := range a.words {
						if strings.Contains(img, w) {
							return fmt.Sprintf("%s %s/%s (image %s)", kind, o.Namespace, o.Name, c.C.Image)
						}
					}
				}
			}
		}
		return ""
	}).(string)
}

// presence makes an info check that reports, on the kube-system Namespace,
// a cluster where no agent of a kind runs.
func presence(id, title, ref, why, fix string, a agent) *check.Check {
	return &check.Check{
		ID: id, Title: title, Severity: check.Info, Refs: []string{ref},
		Why: why + " Found by the names of namespaces and workloads and by container images: a heuristic; the finding is reported " +
			"once, on the kube-system Namespace, which every cluster has (kubevet cluster lists it).",
		Fix:    fix + " Exempt the kube-system Namespace (exempt.kubevet.io/" + id + ") when it is done outside the cluster.",
		Target: systemNamespace,
		Cross:  true,
		Run: func(p *check.Pass) {
			if a.present(p.Graph) != "" {
				return
			}
			p.Report(manifest.NewPath("metadata", "name"), "no %s found in the cluster (looked for %s); %s", a.what, strings.Join(append(nsWords(a.namespaces), a.words...), ", "), strings.TrimSuffix(lowerFirst(fix), "."))
		},
	}
}

func nsWords(ns []string) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = "namespace " + n
	}
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// systemNamespace targets the kube-system Namespace object.
var systemNamespace = check.Target{
	Desc: "the kube-system Namespace",
	Match: func(o *manifest.Object) bool {
		return o.Kind == "Namespace" && o.Group() == "" && o.Name == metav1.NamespaceSystem
	},
}

// NoLogShipping reports clusters without a log shipper.
var NoLogShipping = presence("no-log-shipping", "No log shipping agent runs in the cluster", "OBS-01",
	"Container logs live on the node and go with it. Without an agent that ships them (Container Insights' ama-logs, Fluent Bit, "+
		"Fluentd, Datadog, Elastic, Splunk, Vector, Promtail), there is nothing to read after a pod is gone.",
	"Enable Container Insights (az aks enable-addons -a monitoring) or run a log shipper DaemonSet.",
	agent{what: "log shipping agent", words: []string{"ama-logs", "omsagent", "fluent-bit", "fluentbit", "fluentd", "datadog", "filebeat", "elastic-agent", "splunk", "vector", "promtail", "logstash"}})

// NoMetrics reports clusters without metrics collection.
var NoMetrics = presence("no-metrics-collection", "No metrics collection runs in the cluster", "OBS-02",
	"Without Prometheus metrics (Azure Monitor managed Prometheus' ama-metrics, a Prometheus server or agent, Datadog, OpenTelemetry), "+
		"saturation, errors and latency go unseen until users notice.",
	"Enable Azure Monitor managed Prometheus (az aks update --enable-azure-monitor-metrics) or run a Prometheus-compatible collector.",
	agent{what: "metrics collector", words: []string{"ama-metrics", "prometheus", "datadog", "otel-collector", "opentelemetry-collector", "victoria-metrics", "grafana-agent", "alloy"}})

// NoBackup reports clusters without a backup tool.
var NoBackup = presence("no-backup-tool", "No backup tool runs in the cluster", "DR-08",
	"Persistent volumes and cluster state need backups that are restored in tests; AKS Backup and Velero run in the cluster.",
	"Enable AKS Backup (az k8s-extension create --extension-type microsoft.dataprotection.kubernetes) or install Velero with schedules.",
	agent{what: "backup tool", namespaces: []string{"velero", "dataprotection-microsoft", "kasten-io"}, words: []string{"velero", "dataprotection", "kasten"}})

// NoGitOps reports clusters without a GitOps agent.
var NoGitOps = presence("no-gitops", "No GitOps agent runs in the cluster", "OPS-01",
	"With GitOps (Flux, Argo CD), the cluster's desired state is in Git: changes are reviewed, drift is corrected and a lost cluster is rebuilt from the repository.",
	"Enable the AKS GitOps extension (az k8s-configuration flux create) or install Argo CD.",
	agent{what: "GitOps agent", namespaces: []string{"flux-system", "argocd"}, words: []string{"flux", "source-controller", "kustomize-controller", "argocd"}})

// NoRuntimeSecurity reports clusters without a runtime security sensor.
var NoRuntimeSecurity = presence("no-runtime-security", "No runtime security sensor runs in the cluster", "SEC-07",
	"A runtime sensor (Microsoft Defender for Containers, Falco, Tetragon, Sysdig, NeuVector) sees what images and manifests cannot: "+
		"a shell in a container, a crypto miner, an unexpected outbound connection.",
	"Enable Microsoft Defender for Containers (az aks update --enable-defender) or run Falco.",
	agent{what: "runtime security sensor", words: []string{"microsoft-defender", "falco", "tetragon", "sysdig", "neuvector", "aqua-enforcer"}})
