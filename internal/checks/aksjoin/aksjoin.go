// Package aksjoin holds the checks that join workloads with the AKS cluster
// they run on, when one run holds both the cluster configuration (az aks
// show output, ARM, Terraform) and the manifests: NetworkPolicies on a
// cluster without a policy engine, zone spreading on pools in one zone,
// Windows pods without a Windows pool or with an image for another Windows
// version, workload identity on a cluster that has it off, and public load
// balancers behind userDefinedRouting. The AKS handler hands each cluster
// to the engine as a fact object (aks.Cluster.FactObject); the checks read it with
// aks.ClusterFacts and stay quiet when the run holds no cluster.
package aksjoin

import (
	"fmt"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubevet/kubevet/internal/aks"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// joinNote ends the Why of every check of the domain.
const joinNote = " The check runs when the input holds the cluster's configuration (az aks show output, ARM, Terraform) next to the manifests, and is quiet otherwise."

// Checks is the domain's list, in catalog order.
var Checks = []*check.Check{
	NetworkPolicyNotEnforced,
	ZoneSpreadSingleZone,
	WindowsPoolMissing,
	WindowsImageOSMismatch,
	WorkloadIdentityDisabled,
	InternalLBOutbound,
}

// The object's typed form and pod template, in one place.
func typed(o *manifest.Object) runtime.Object              { return o.Typed() }
func podTemplate(o *manifest.Object) *manifest.PodTemplate { return o.PodTemplate() }

// describe names an object in messages: Deployment "web".
func describe(o *manifest.Object) string { return o.Kind + " " + strconv.Quote(o.Name) }

// names lists clusters in messages: cluster "a" (aks.json), or clusters
// "a" (a.json) and "b" (b.json).
func names(cs []*aks.Facts) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = strconv.Quote(c.Name)
		if c.File != "" {
			parts[i] += " (" + c.File + ")"
		}
	}
	if len(parts) == 1 {
		return "cluster " + parts[0]
	}
	return "clusters " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// NetworkPolicyNotEnforced is NET-07 joined with the NetworkPolicies.
var NetworkPolicyNotEnforced = &check.Check{
	ID:       "aks-network-policy-not-enforced",
	Title:    "NetworkPolicy on a cluster without a network-policy engine",
	Severity: check.Error,
	Refs:     []string{"NET-07"},
	Why: "Kubernetes stores NetworkPolicies whatever the cluster runs, but only a network-policy engine enforces them. " +
		"On an AKS cluster whose networkProfile.networkPolicy is none or unset, every NetworkPolicy is accepted and silently ignored: " +
		"the pods it is meant to isolate stay open to all traffic while the manifests say otherwise. " +
		"Each NetworkPolicy is reported, since each one is a rule that does not hold." + joinNote,
	Fix: "Enable a network-policy engine on the cluster: networkProfile.networkPolicy azure, calico or cilium (cilium with networkDataplane cilium); " +
		"Terraform network_profile.network_policy. az aks update --network-policy enables one on an existing cluster where the plugin allows it.",
	Example: `# az aks show / ARM
"networkProfile": {"networkPlugin": "azure", "networkPolicy": "azure"}
# Terraform
network_profile {
  network_plugin = "azure"
  network_policy = "azure"
}`,
	Target: check.Kinds("NetworkPolicy.networking.k8s.io"),
	Cross:  true,
	Run: func(p *check.Pass) {
		var off []*aks.Facts
		for _, c := range aks.ClusterFacts(p.Graph) {
			if enforced, known := c.HasNetworkPolicyEngine(); known && !enforced {
				off = append(off, c)
			}
		}
		if len(off) == 0 {
			return
		}
		p.Report(manifest.NewPath("kind"), "%s is not enforced: %s %s no network-policy engine (networkPolicy %s), so the pods it selects stay open to all traffic; "+
			"set networkProfile.networkPolicy to azure, calico or cilium", describe(p.Object), names(off), hasHave(off), policyName(off[0]))
	},
}

func hasHave(cs []*aks.Facts) string {
	if len(cs) == 1 {
		return "has"
	}
	return "have"
}

func policyName(c *aks.Facts) string {
	if c.NetworkPolicy == "" {
		return "none"
	}
	return c.NetworkPolicy
}

// zoneKeys are the node labels of the zone.
var zoneKeys = map[string]bool{corev1.LabelTopologyZone: true, corev1.LabelFailureDomainBetaZone: true}

// ZoneSpreadSingleZone is DR-01 joined with DR-11.
var ZoneSpreadSingleZone = &check.Check{
	ID:       "aks-zone-spread-single-zone",
	Title:    "Workload spreads over zones on node pools in one zone",
	Severity: check.Warning,
	Refs:     []string{"DR-01", "DR-11"},
	Why: "A topology spread constraint or a pod anti-affinity on topology.kubernetes.io/zone asks for replicas in several availability zones, " +
		"but the scheduler can only use the zones the node pools are in. When the pools the pods can run on are in one zone, or in none, " +
		"every replica lands in the same zone and a zone outage takes them all: the manifest promises a resilience the cluster cannot give. " +
		"A required anti-affinity on the zone is worse: only one replica per zone can run and the others stay Pending. " +
		"The pools counted are those of the pods' operating system whose taints the pods tolerate (a system pool tainted CriticalAddonsOnly does not count), " +
		"narrowed to the pool their nodeSelector names (kubernetes.azure.com/agentpool or agentpool)." + joinNote,
	Fix: "Create the node pools across zones (availabilityZones [\"1\", \"2\", \"3\"], Terraform zones), which needs new pools; " +
		"or, if the cluster stays in one zone, drop the zone constraint and spread on kubernetes.io/hostname.",
	Example: `# az aks nodepool add ... --zones 1 2 3
"agentPoolProfiles": [{"name": "user", "mode": "User", "availabilityZones": ["1", "2", "3"]}]`,
	Target: check.PodSpecs,
	Cross:  true,
	Run:    runZoneSpread,
}

// zoneConstraint is the first spreading rule on the zone of a pod spec.
type zoneConstraint struct {
	path     manifest.Path
	required bool // anti-affinity required during scheduling
}

func firstZoneConstraint(pt *manifest.PodTemplate) (zoneConstraint, bool) {
	s := pt.Spec
	for i, c := range s.TopologySpreadConstraints {
		if zoneKeys[c.TopologyKey] {
			return zoneConstraint{path: pt.SpecPath.Child("topologySpreadConstraints").Index(i).Child("topologyKey")}, true
		}
	}
	if s.Affinity == nil || s.Affinity.PodAntiAffinity == nil {
		return zoneConstraint{}, false
	}
	aa := s.Affinity.PodAntiAffinity
	base := pt.SpecPath.Child("affinity", "podAntiAffinity")
	for i, t := range aa.RequiredDuringSchedulingIgnoredDuringExecution {
		if zoneKeys[t.TopologyKey] {
			return zoneConstraint{path: base.Child("requiredDuringSchedulingIgnoredDuringExecution").Index(i).Child("topologyKey"), required: true}, true
		}
	}
	for i, t := range aa.PreferredDuringSchedulingIgnoredDuringExecution {
		if zoneKeys[t.PodAffinityTerm.TopologyKey] {
			return zoneConstraint{path: base.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i).Child("podAffinityTerm", "topologyKey")}, true
		}
	}
	return zoneConstraint{}, false
}

// candidatePools returns the pools of c the pod can run on: those of its
// operating system whose NoSchedule and NoExecute taints it tolerates,
// narrowed to the pool its nodeSelector names.
func candidatePools(c *aks.Facts, spec *corev1.PodSpec) []*aks.PoolFacts {
	windows := check.TargetsWindows(spec)
	pool := spec.NodeSelector["kubernetes.azure.com/agentpool"]
	if pool == "" {
		pool = spec.NodeSelector["agentpool"]
	}
	var out []*aks.PoolFacts
	for i := range c.AgentPools {
		p := &c.AgentPools[i]
		if p.IsWindows() != windows || pool != "" && !strings.EqualFold(p.Name, pool) || !tolerates(spec.Tolerations, p.NodeTaints) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// tolerates reports whether tolerations let a pod onto nodes with taints
// (key=value:Effect), as the scheduler matches them; PreferNoSchedule
// taints do not keep pods away.
func tolerates(tolerations []corev1.Toleration, taints []string) bool {
	for _, s := range taints {
		kv, effect, ok := strings.Cut(s, ":")
		if !ok || effect == string(corev1.TaintEffectPreferNoSchedule) {
			continue
		}
		key, value, _ := strings.Cut(kv, "=")
		tolerated := false
		for _, t := range tolerations {
			if t.Effect != "" && string(t.Effect) != effect {
				continue
			}
			switch {
			case t.Key == "" && t.Operator == corev1.TolerationOpExists,
				t.Key == key && t.Operator == corev1.TolerationOpExists,
				t.Key == key && (t.Operator == "" || t.Operator == corev1.TolerationOpEqual) && t.Value == value:
				tolerated = true
			}
		}
		if !tolerated {
			return false
		}
	}
	return true
}

func runZoneSpread(p *check.Pass) {
	clusters := aks.ClusterFacts(p.Graph)
	pt := podTemplate(p.Object)
	if len(clusters) == 0 || pt == nil || pt.Spec == nil {
		return
	}
	zc, ok := firstZoneConstraint(pt)
	if !ok {
		return
	}
	var bad []*aks.Facts
	var zones []string
	for _, c := range clusters {
		if !c.PoolsKnown("osType") || !c.PoolsKnown("availabilityZones") || !c.PoolsKnown("nodeTaints") {
			continue
		}
		pools := candidatePools(c, pt.Spec)
		if len(pools) == 0 {
			continue // no pool to run on: another check's concern
		}
		seen := map[string]bool{}
		var zs []string
		for _, pl := range pools {
			for _, z := range pl.AvailabilityZones {
				if !seen[z] {
					seen[z] = true
					zs = append(zs, z)
				}
			}
		}
		if len(zs) < 2 {
			bad = append(bad, c)
			if zones == nil {
				zones = zs
			}
		}
	}
	if len(bad) == 0 {
		return
	}
	where := "in no availability zone"
	if len(zones) == 1 {
		where = "in zone " + zones[0] + " only"
	}
	consequence := "every replica lands in the same zone and a zone outage takes them all"
	if zc.required {
		consequence = "with required anti-affinity on the zone only one pod can run and the others stay Pending"
	}
	p.Report(zc.path, "%s spreads its pods over zones, but the node pools it can run on in %s are %s: %s; "+
		"create the pools across zones 1, 2 and 3, or spread on kubernetes.io/hostname", describe(p.Object), names(bad), where, consequence)
}

// osPath is where a pod spec asks for Windows nodes.
func osPath(pt *manifest.PodTemplate) manifest.Path {
	s := pt.Spec
	switch {
	case s.OS != nil:
		return pt.SpecPath.Child("os", "name")
	case s.NodeSelector[corev1.LabelOSStable] != "":
		return pt.SpecPath.Child("nodeSelector", corev1.LabelOSStable)
	}
	return pt.SpecPath.Child("affinity", "nodeAffinity")
}

// WindowsPoolMissing is WIN-01: Windows pods need Windows nodes.
var WindowsPoolMissing = &check.Check{
	ID:       "aks-windows-pool-missing",
	Title:    "Windows workload on a cluster without a Windows node pool",
	Severity: check.Error,
	Refs:     []string{"WIN-01"},
	Why: "Pods that target Windows (spec.os.name windows, nodeSelector kubernetes.io/os: windows, or a required node affinity on it) " +
		"can only run on Windows nodes. On a cluster whose node pools are all Linux they stay Pending forever, and nothing fails until the rollout waits." + joinNote,
	Fix: "Add a Windows node pool to the cluster (osType Windows with osSKU Windows2022, Azure CNI), or deploy the workload to a cluster that has one.",
	Example: `# az aks nodepool add --os-type Windows --os-sku Windows2022 --name win22 ...
"agentPoolProfiles": [{"name": "win22", "mode": "User", "osType": "Windows", "osSKU": "Windows2022"}]`,
	Target: check.PodSpecs,
	Cross:  true,
	Run: func(p *check.Pass) {
		clusters := aks.ClusterFacts(p.Graph)
		pt := podTemplate(p.Object)
		if len(clusters) == 0 || pt == nil || pt.Spec == nil || !check.TargetsWindows(pt.Spec) {
			return
		}
		var none []*aks.Facts
		for _, c := range clusters {
			if !c.PoolsKnown("osType") {
				continue
			}
			win := false
			for i := range c.AgentPools {
				win = win || c.AgentPools[i].IsWindows()
			}
			if !win {
				none = append(none, c)
			}
		}
		if len(none) == 0 {
			return
		}
		p.Report(osPath(pt), "the pods of %s target Windows, but %s %s no Windows node pool: they stay Pending; add a Windows node pool (osType Windows, osSKU Windows2022)",
			describe(p.Object), names(none), hasHave(none))
	},
}

// imageTag returns the tag of an image reference ("" when it has none).
func imageTag(image string) string {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	slash := strings.LastIndexByte(image, '/')
	if i := strings.LastIndexByte(image, ':'); i > slash {
		return image[i+1:]
	}
	return ""
}

// windowsVersionOf names the Windows Server version an image tag says it
// is built for.
func windowsVersionOf(tag string) string {
	t := strings.ToLower(tag)
	switch {
	case strings.Contains(t, "ltsc2019") || strings.Contains(t, "1809"):
		return "Windows Server 2019"
	case strings.Contains(t, "ltsc2022"):
		return "Windows Server 2022"
	}
	return "another Windows version"
}

// osSKULabel is the AKS node label that carries the pool's osSKU.
const osSKULabel = "kubernetes.azure.com/os-sku"

// WindowsImageOSMismatch is WIN-01: the image must match the node's Windows.
var WindowsImageOSMismatch = &check.Check{
	ID:       "aks-windows-image-os-mismatch",
	Title:    "Windows image is built for another Windows Server version than the node pool",
	Severity: check.Warning,
	Refs:     []string{"WIN-01"},
	Why: "Windows containers on AKS run with process isolation, which needs the container's Windows Server version to match the node's: " +
		"a Windows2019 pool runs only Windows Server 2019 images and a Windows2022 pool only 2022 ones. " +
		"An image tagged ltsc2019 or 1809 on a Windows2022 pool, or ltsc2022 on a Windows2019 pool, fails to start. " +
		"The check reads the version from the image tag, so it is a heuristic; it counts the Windows pools the pod can land on " +
		"(narrowed by nodeSelector kubernetes.azure.com/os-sku and kubernetes.azure.com/agentpool), and says so when only some of them mismatch." + joinNote,
	Fix: "Use the image tag of the pools' version (ltsc2022 for Windows2022), or pin the pod to a pool of the image's version with nodeSelector kubernetes.azure.com/os-sku.",
	Example: `spec:
  nodeSelector:
    kubernetes.io/os: windows
    kubernetes.azure.com/os-sku: Windows2022
  containers:
    - name: app
      image: mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022`,
	Target: check.PodSpecs,
	Cross:  true,
	Run:    runWindowsImage,
}

func runWindowsImage(p *check.Pass) {
	clusters := aks.ClusterFacts(p.Graph)
	pt := podTemplate(p.Object)
	if len(clusters) == 0 || pt == nil || pt.Spec == nil || !check.TargetsWindows(pt.Spec) {
		return
	}
	sku := pt.Spec.NodeSelector[osSKULabel]
	// The Windows pools the pod can land on, per cluster.
	var perCluster [][]*aks.PoolFacts
	var owners []*aks.Facts
	for _, c := range clusters {
		if !c.PoolsKnown("osType") || !c.PoolsKnown("osSKU") || !c.PoolsKnown("nodeTaints") {
			continue
		}
		var pools []*aks.PoolFacts
		for _, pl := range candidatePools(c, pt.Spec) {
			if sku == "" || strings.EqualFold(pl.OSSKU, sku) {
				pools = append(pools, pl)
			}
		}
		if len(pools) > 0 {
			perCluster = append(perCluster, pools)
			owners = append(owners, c)
		}
	}
	for _, ct := range check.Containers(pt) {
		tag := imageTag(ct.C.Image)
		if tag == "" {
			continue
		}
		var bad []string
		always := true // in every cluster where it mismatches, it mismatches every pool
		for i, pools := range perCluster {
			n := 0
			for _, pl := range pools {
				if aks.WindowsImageMismatch(pl.OSSKU, tag) {
					bad = append(bad, fmt.Sprintf("pool %q of cluster %q (%s)", pl.Name, owners[i].Name, pl.OSSKU))
					n++
				}
			}
			if n > 0 && n < len(pools) {
				always = false
			}
		}
		if len(bad) == 0 {
			continue
		}
		scope := "runs on"
		if !always {
			scope = "can be scheduled on"
		}
		p.Report(ct.Path.Child("image"), "%s of %s has image %q, built for %s, but %s %s: Windows containers must match the node's Windows version, so it fails to start there; "+
			"use the tag of the pool's version or pin the pod with nodeSelector %s",
			ct.Describe(), describe(p.Object), ct.C.Image, windowsVersionOf(tag), scope, strings.Join(bad, " and "), osSKULabel)
	}
}

// useLabel is the pod label that asks the workload identity webhook to
// project a token into the pod.
const useLabel = "azure.workload.identity/use"

// WorkloadIdentityDisabled is IAM-08 joined with the pods that use it.
var WorkloadIdentityDisabled = &check.Check{
	ID:       "aks-workload-identity-disabled",
	Title:    "Pods use workload identity on a cluster that has it off",
	Severity: check.Error,
	Refs:     []string{"IAM-08"},
	Why: "Pods labelled azure.workload.identity/use: \"true\" expect the workload identity webhook to inject AZURE_CLIENT_ID, AZURE_TENANT_ID " +
		"and a projected service account token that Entra ID trusts through the cluster's OIDC issuer. " +
		"On a cluster with workload identity or the OIDC issuer off there is no webhook or no issuer: the pods start without a usable token " +
		"and every Azure sign-in they attempt fails." + joinNote,
	Fix: "Enable both on the cluster: securityProfile.workloadIdentity.enabled and oidcIssuerProfile.enabled " +
		"(az aks update --enable-oidc-issuer --enable-workload-identity; Terraform oidc_issuer_enabled and workload_identity_enabled), " +
		"then create the federated credential for the pods' service account.",
	Example: `"oidcIssuerProfile": {"enabled": true},
"securityProfile": {"workloadIdentity": {"enabled": true}}
# Terraform
oidc_issuer_enabled       = true
workload_identity_enabled = true`,
	Target: check.PodSpecs,
	Cross:  true,
	Run: func(p *check.Pass) {
		clusters := aks.ClusterFacts(p.Graph)
		pt := podTemplate(p.Object)
		if len(clusters) == 0 || pt == nil || pt.Meta == nil || pt.Meta.Labels[useLabel] != "true" {
			return
		}
		var off []*aks.Facts
		var what string
		for _, c := range clusters {
			if !c.Known("workloadIdentity") || !c.Known("oidcIssuer") || c.WorkloadIdentity && c.OIDCIssuer {
				continue
			}
			off = append(off, c)
			if what == "" {
				switch {
				case !c.WorkloadIdentity && !c.OIDCIssuer:
					what = "workload identity and the OIDC issuer off"
				case !c.WorkloadIdentity:
					what = "workload identity off"
				default:
					what = "the OIDC issuer off"
				}
			}
		}
		if len(off) == 0 {
			return
		}
		p.Report(pt.MetaPath.Child("labels", useLabel), "the pods of %s use workload identity, but %s %s %s: no token is injected and their Azure sign-in fails; "+
			"enable oidcIssuerProfile and securityProfile.workloadIdentity on the cluster", describe(p.Object), names(off), hasHave(off), what)
	},
}

// internalLBAnnotation makes the Azure cloud provider give a LoadBalancer
// Service a private IP; it compares the value with "true".
const internalLBAnnotation = "service.beta.kubernetes.io/azure-load-balancer-internal"

// InternalLBOutbound is NET-13 (with NET-10's outbound type).
var InternalLBOutbound = &check.Check{
	ID:       "aks-internal-lb-outbound",
	Title:    "Public load balancer on a cluster whose egress goes through a firewall (asymmetric routing)",
	Severity: check.Warning,
	Refs:     []string{"NET-10", "NET-13"},
	Why: "With outboundType userDefinedRouting, the node subnet's route table sends 0.0.0.0/0 to a firewall. " +
		"A Service of type LoadBalancer without the internal annotation gets a public IP on the cluster's load balancer: " +
		"clients reach the pods through it, but the replies follow the default route to the firewall, not back through the load balancer. " +
		"The routing is asymmetric and the firewall drops the replies, so the Service looks up and times out." + joinNote,
	Fix: "Make the Service internal (annotation service.beta.kubernetes.io/azure-load-balancer-internal: \"true\") and publish it through a DNAT rule of the firewall; " +
		"if it must keep a public IP, add a route for its clients that bypasses the firewall.",
	Example: `apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
spec:
  type: LoadBalancer`,
	Target: check.Kinds("Service"),
	Cross:  true,
	Run: func(p *check.Pass) {
		svc, ok := typed(p.Object).(*corev1.Service)
		if !ok || svc.Spec.Type != corev1.ServiceTypeLoadBalancer || svc.Spec.LoadBalancerClass != nil || p.Object.Annotations[internalLBAnnotation] == "true" {
			return
		}
		var udr []*aks.Facts
		for _, c := range aks.ClusterFacts(p.Graph) {
			if strings.EqualFold(c.Outbound(), "userDefinedRouting") {
				udr = append(udr, c)
			}
		}
		if len(udr) == 0 {
			return
		}
		p.Report(manifest.NewPath("spec", "type"), "%s gets a public load balancer IP, but %s %s egress through a firewall (outboundType userDefinedRouting): "+
			"replies leave by the firewall route, not the load balancer, and are dropped; annotate it %s: \"true\" and publish it through the firewall's DNAT",
			describe(p.Object), names(udr), routeRoutes(udr), internalLBAnnotation)
	},
}

func routeRoutes(cs []*aks.Facts) string {
	if len(cs) == 1 {
		return "routes"
	}
	return "route"
}
