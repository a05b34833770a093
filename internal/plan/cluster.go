package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Cluster holds the few facts of an AKS configuration the generators use.
// ReadCluster reads them from `az aks show -o json` output or an ARM GET
// body: a leading "properties" is dropped and keys are compared without
// case (spec §0.4-1), so both shapes read the same.
type Cluster struct {
	// File names the input in evidence ("cluster.json").
	File              string
	Location          string
	NetworkPlugin     string
	NetworkPluginMode string
	PodCIDR           string
	ServiceCIDR       string
	DNSServiceIP      string
	Private           bool
	Monitoring        bool
	KeyVault          bool
	AzurePolicy       bool
	Defender          bool
	WorkloadIdentity  bool
	CostAnalysis      bool
	Pools             []ClusterPool
	// evidence maps an egress trigger to the field that set it.
	evidence map[string]string
}

// ClusterPool is one agentPoolProfiles element.
type ClusterPool struct {
	Name                string
	Count               int
	MaxCount            int
	AutoScaling         bool
	MaxPods             int
	MaxSurge            string
	PodSubnetID         string
	PodIPAllocationMode string
	VMSize              string
	OSType              string
}

// obj is a JSON object read with case-insensitive keys.
type obj map[string]any

func (o obj) get(path string) any {
	var cur any = map[string]any(o)
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = nil
		if v, ok := m[k]; ok {
			cur = v
			continue
		}
		for mk, v := range m {
			if strings.EqualFold(mk, k) {
				cur = v
				break
			}
		}
	}
	return cur
}

type reader struct {
	o    obj
	errs []error
}

func (r *reader) str(path string) string {
	switch v := r.o.get(path).(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	default:
		r.errs = append(r.errs, fmt.Errorf("%s: want a string, found %T", path, v))
		return ""
	}
}

func (r *reader) boolean(path string) bool {
	switch v := r.o.get(path).(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		b, err := strconv.ParseBool(v)
		if err != nil {
			r.errs = append(r.errs, fmt.Errorf("%s: want true or false, found %q", path, v))
		}
		return b
	default:
		r.errs = append(r.errs, fmt.Errorf("%s: want true or false, found %T", path, v))
		return false
	}
}

func (r *reader) integer(path string) int {
	switch v := r.o.get(path).(type) {
	case nil:
		return 0
	case json.Number:
		n, err := strconv.Atoi(v.String())
		if err != nil {
			r.errs = append(r.errs, fmt.Errorf("%s: want a whole number, found %s", path, v))
		}
		return n
	default:
		r.errs = append(r.errs, fmt.Errorf("%s: want a number, found %T", path, v))
		return 0
	}
}

// restExample returns the cluster of a REST API example
// (azure-rest-api-specs examples/ManagedClusters*.json: the body of the
// first successful response, else the request body under
// parameters.parameters), nil for any other input.
func restExample(root map[string]any) map[string]any {
	if _, ok := obj(root).get("responses").(map[string]any); !ok {
		return nil
	}
	for _, p := range []string{"responses.200.body", "responses.201.body", "responses.202.body", "parameters.parameters"} {
		m, ok := obj(root).get(p).(map[string]any)
		if !ok {
			continue
		}
		props := obj(m)
		if pp, ok := props.get("properties").(map[string]any); ok {
			props = pp
		}
		if props.get("agentPoolProfiles") != nil || props.get("networkProfile") != nil {
			return m
		}
	}
	return nil
}

// ReadCluster reads an AKS cluster from JSON: az aks show -o json output
// (flattened), an ARM GET body or Resource Graph row (under
// "properties"), or a one-element array of either (az aks list).
func ReadCluster(data []byte, file string) (*Cluster, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s: not JSON: %w", file, err)
	}
	if arr, ok := v.([]any); ok {
		if len(arr) != 1 {
			return nil, fmt.Errorf("%s: a list of %d items; give one cluster", file, len(arr))
		}
		v = arr[0]
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not a JSON object", file)
	}
	if body := restExample(root); body != nil {
		root = body
	}
	props := obj(root)
	if p, ok := obj(root).get("properties").(map[string]any); ok {
		props = p
	}
	if props.get("agentPoolProfiles") == nil && props.get("networkProfile") == nil {
		return nil, fmt.Errorf("%s: no agentPoolProfiles or networkProfile: not an AKS cluster (az aks show -o json, or an ARM GET body)", file)
	}
	rr := &reader{o: obj(root)}
	r := &reader{o: props}
	c := &Cluster{File: file, evidence: map[string]string{}}
	c.Location = NormalizeRegion(rr.str("location"))
	c.NetworkPlugin = r.str("networkProfile.networkPlugin")
	c.NetworkPluginMode = r.str("networkProfile.networkPluginMode")
	c.PodCIDR = r.str("networkProfile.podCidr")
	c.ServiceCIDR = r.str("networkProfile.serviceCidr")
	c.DNSServiceIP = r.str("networkProfile.dnsServiceIP")
	set := func(trigger string, dst *bool, paths ...string) {
		for _, p := range paths {
			if r.boolean(p) {
				*dst = true
				c.evidence[trigger] = p + " in " + file
				return
			}
		}
	}
	if r.boolean("apiServerAccessProfile.enablePrivateCluster") {
		c.Private = true
	}
	set("monitoring", &c.Monitoring, "addonProfiles.omsagent.enabled", "azureMonitorProfile.metrics.enabled")
	set("keyvault", &c.KeyVault, "addonProfiles.azureKeyvaultSecretsProvider.enabled")
	set("azure-policy", &c.AzurePolicy, "addonProfiles.azurepolicy.enabled")
	set("defender", &c.Defender, "securityProfile.defender.securityMonitoring.enabled")
	set("workload-identity", &c.WorkloadIdentity, "securityProfile.workloadIdentity.enabled")
	set("cost-analysis", &c.CostAnalysis, "metricsProfile.costAnalysis.enabled")
	pools, _ := props.get("agentPoolProfiles").([]any)
	for i, p := range pools {
		m, ok := p.(map[string]any)
		if !ok {
			r.errs = append(r.errs, fmt.Errorf("agentPoolProfiles[%d]: not an object", i))
			continue
		}
		pr := &reader{o: m}
		cp := ClusterPool{
			Name:                pr.str("name"),
			Count:               pr.integer("count"),
			MaxCount:            pr.integer("maxCount"),
			AutoScaling:         pr.boolean("enableAutoScaling"),
			MaxPods:             pr.integer("maxPods"),
			MaxSurge:            pr.str("upgradeSettings.maxSurge"),
			PodSubnetID:         pr.str("podSubnetID"),
			PodIPAllocationMode: pr.str("podIPAllocationMode"),
			VMSize:              pr.str("vmSize"),
			OSType:              pr.str("osType"),
		}
		if cp.Name == "" {
			cp.Name = fmt.Sprintf("pool%d", i+1)
		}
		for _, err := range pr.errs {
			r.errs = append(r.errs, fmt.Errorf("agentPoolProfiles[%d].%w", i, err))
		}
		c.Pools = append(c.Pools, cp)
	}
	for i, p := range c.Pools {
		if strings.EqualFold(p.OSType, "Windows") && c.evidence["windows"] == "" {
			c.evidence["windows"] = fmt.Sprintf("agentPoolProfiles[%d].osType Windows in %s", i, file)
		}
		if IsGPUSize(p.VMSize) && c.evidence["gpu"] == "" {
			c.evidence["gpu"] = fmt.Sprintf("agentPoolProfiles[%d].vmSize %s in %s", i, p.VMSize, file)
		}
	}
	if errs := append(rr.errs, r.errs...); len(errs) > 0 {
		return nil, fmt.Errorf("%s: %w", file, errors.Join(errs...))
	}
	return c, nil
}

// IsGPUSize reports whether a VM size is in the N-series (GPU) family, as
// the egress rules' condition says (spec §2.3): Standard_NC6s_v3,
// Standard_ND96asr_v4, Standard_NV12s_v3...
func IsGPUSize(vmSize string) bool {
	s := strings.ToLower(vmSize)
	s = strings.TrimPrefix(s, "standard_")
	s = strings.TrimPrefix(s, "basic_")
	return strings.HasPrefix(s, "n")
}

// Mode is the cluster's network mode (spec §3.2 "how to detect it").
func (c *Cluster) Mode() (Mode, error) {
	switch strings.ToLower(c.NetworkPlugin) {
	case "kubenet":
		return ModeKubenet, nil
	case "azure":
		if strings.EqualFold(c.NetworkPluginMode, "overlay") {
			return ModeOverlay, nil
		}
		for _, p := range c.Pools {
			if p.PodSubnetID != "" {
				return ModePodSubnet, nil
			}
		}
		return ModeAzure, nil
	case "":
		return "", fmt.Errorf("%s: networkProfile.networkPlugin is not set; give --plugin", c.File)
	}
	return "", fmt.Errorf("%s: network plugin %q (bring your own CNI) has no address plan; give --plugin", c.File, c.NetworkPlugin)
}

// IPPools are the cluster's pools as the IP plan sees them: maxCount
// when the pool autoscales, else count.
func (c *Cluster) IPPools() ([]Pool, error) {
	var out []Pool
	for i, p := range c.Pools {
		s, err := ParseSurge(p.MaxSurge)
		if err != nil {
			return nil, fmt.Errorf("%s: agentPoolProfiles[%d].upgradeSettings.maxSurge: %w", c.File, i, err)
		}
		n := p.Count
		if p.AutoScaling && p.MaxCount > 0 {
			n = p.MaxCount
		}
		out = append(out, Pool{Name: p.Name, Nodes: n, MaxPods: p.MaxPods, MaxSurge: s, StaticBlock: strings.EqualFold(p.PodIPAllocationMode, "StaticBlock")})
	}
	return out, nil
}

// EgressFacts are the cluster's facts for the egress list, each with the
// field it came from. Custom DNS servers, cluster extensions and
// registries are not in the cluster's configuration.
func (c *Cluster) EgressFacts() EgressFacts {
	f := EgressFacts{
		Cloud: CloudOfRegion(c.Location), Region: c.Location, Private: c.Private,
		Monitoring: c.Monitoring, KeyVault: c.KeyVault, AzurePolicy: c.AzurePolicy, Defender: c.Defender,
		WorkloadIdentity: c.WorkloadIdentity, CostAnalysis: c.CostAnalysis,
		Windows: c.evidence["windows"] != "", GPU: c.evidence["gpu"] != "",
		Evidence: map[string]string{},
	}
	for k, v := range c.evidence {
		f.Evidence[k] = v
	}
	if c.Private {
		f.Evidence["public-api"] = "apiServerAccessProfile.enablePrivateCluster in " + c.File
	} else {
		f.Evidence["public-api"] = "apiServerAccessProfile.enablePrivateCluster not true in " + c.File
	}
	return f
}
