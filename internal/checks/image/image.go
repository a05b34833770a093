// Package image holds the checks of container images: tag pinning and pull
// policy (spec rule WL-12), allowed registries (SEC-05) and the Kubernetes
// dashboard (SEC-01).
package image

import (
	"strings"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the image domain's list, in catalog order.
var Checks = []*check.Check{
	Tag,
	PullPolicy,
	AllowedRegistries,
	Dashboard,
}

// Tag reports images that are not pinned to a version.
var Tag = &check.Check{
	ID:       "image-tag",
	Title:    "Image is not pinned to a version",
	Severity: check.Warning,
	Refs:     []string{"WL-12"},
	Why: "An image with no tag or the tag latest runs whatever the tag points to when a node pulls it: " +
		"two replicas can run different code, a rollback does not bring the old code back, and you cannot tell what is deployed.",
	Fix: "Give the image a version tag (app:1.4.2), or pin it by digest (app@sha256:...), and set imagePullPolicy: IfNotPresent.",
	Example: `containers:
- name: app
  image: myacr.azurecr.io/app:1.4.2
  imagePullPolicy: IfNotPresent`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		for _, c := range check.Containers(p.Object.PodTemplate()) {
			r, ok := parseRef(c.C.Image)
			if !ok || r.Digest != "" {
				continue
			}
			switch r.Tag {
			case "":
				p.Report(c.Path.Child("image"), "%s uses image %q with no tag, so each node pulls whatever latest is at the time; pin a version tag or a digest", c.Describe(), c.C.Image)
			case "latest":
				p.Report(c.Path.Child("image"), "%s uses image %q: latest moves, so replicas and rollbacks may run different code; pin a version tag or a digest", c.Describe(), c.C.Image)
			}
		}
	},
}

// PullPolicy reports containers that leave imagePullPolicy to its default.
var PullPolicy = &check.Check{
	ID:       "image-pull-policy",
	Title:    "Container has no imagePullPolicy",
	Severity: check.Info,
	Refs:     []string{"WL-12"},
	Why: "Without imagePullPolicy, Kubernetes picks Always for an image tagged latest or with neither tag nor digest, and IfNotPresent otherwise: " +
		"the pull behavior changes silently when the image changes.",
	Fix: "Pin the image to a version tag or digest and set imagePullPolicy: IfNotPresent.",
	Example: `containers:
- name: app
  image: myacr.azurecr.io/app:1.4.2
  imagePullPolicy: IfNotPresent`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		for _, c := range check.Containers(p.Object.PodTemplate()) {
			if c.C.ImagePullPolicy != "" {
				continue
			}
			r, ok := parseRef(c.C.Image)
			if !ok {
				continue
			}
			// The API server defaults the policy as the kubelet's image
			// parser sees the tag: latest when neither tag nor digest is
			// given.
			if r.Tag == "latest" || r.Tag == "" && r.Digest == "" {
				p.Report(c.Path.Child("imagePullPolicy"), "%s sets no imagePullPolicy: for image %q it defaults to Always; pin the image to a version tag or digest and set imagePullPolicy: IfNotPresent", c.Describe(), c.C.Image)
				continue
			}
			p.Report(c.Path.Child("imagePullPolicy"), "%s sets no imagePullPolicy: for image %q it defaults to IfNotPresent; set imagePullPolicy: IfNotPresent so it does not depend on the tag", c.Describe(), c.C.Image)
		}
	},
}

// AllowedRegistries reports images pulled from registries not on the
// allow-list.
var AllowedRegistries = &check.Check{
	ID:       "allowed-registries",
	Title:    "Image comes from a registry not on the allow-list",
	Severity: check.Error,
	Refs:     []string{"SEC-05"},
	Why: "Images from registries you do not control can change or vanish without notice and are not scanned by your pipeline. " +
		"Keeping to known registries, such as your Azure Container Registry, is what the Azure Policy \"allowed images\" enforces on AKS.",
	Fix: "Import the image into an allowed registry (az acr import --name myacr --source docker.io/library/nginx:1.27) and reference it there, " +
		"or add the registry to checks.allowed-registries.registries in .kubevet.yaml.",
	Example: `containers:
- name: web
  image: myacr.azurecr.io/library/nginx:1.27`,
	Target: check.PodSpecs,
	Options: []check.Option{{
		Name:    "registries",
		Kind:    check.StringList,
		Default: []string{"*.azurecr.io", "mcr.microsoft.com"},
		Doc: "Allowed registry hosts. \"*.example.com\" allows every subdomain of example.com but not example.com itself. " +
			"An entry without a port allows the host on any port; \"myreg:5000\" allows only that port. " +
			"Images with no registry come from docker.io.",
	}},
	Disabled: true,
	Run: func(p *check.Pass) {
		if p.Settings != nil && p.Settings.IsSystemNamespace(p.Object.Namespace) {
			return
		}
		allowed := p.Options.Strings("registries")
		for _, c := range check.Containers(p.Object.PodTemplate()) {
			r, ok := parseRef(c.C.Image)
			if !ok || registryAllowed(r.Domain, allowed) {
				continue
			}
			p.Report(c.Path.Child("image"), "%s pulls image %q from registry %s, which is not allowed (allowed: %s); import the image into an allowed registry and reference it there",
				c.Describe(), c.C.Image, r.Domain, strings.Join(allowed, ", "))
		}
	},
}

// registryAllowed reports whether the registry host[:port] matches an entry
// of allowed. It does not allocate for lower-case input: it runs on every
// container.
func registryAllowed(domain string, allowed []string) bool {
	host := hostOnly(domain)
	port := domain[len(host):]
	host = strings.ToLower(host)
	if host == legacyDockerHub {
		host = dockerHub
	}
	for _, e := range allowed {
		e = strings.ToLower(strings.TrimSpace(e))
		eHost := hostOnly(e)
		if ePort := e[len(eHost):]; ePort != "" && ePort != port {
			continue
		}
		if eHost == legacyDockerHub {
			eHost = dockerHub
		}
		if suffix, wild := strings.CutPrefix(eHost, "*."); wild {
			if suffix != "" && len(host) > len(suffix)+1 && strings.HasSuffix(host, suffix) && host[len(host)-len(suffix)-1] == '.' {
				return true
			}
			continue
		}
		if eHost != "" && host == eHost {
			return true
		}
	}
	return false
}

// Dashboard reports the Kubernetes dashboard.
var Dashboard = &check.Check{
	ID:       "kubernetes-dashboard",
	Title:    "Kubernetes dashboard is deployed",
	Severity: check.Error,
	Refs:     []string{"SEC-01"},
	Why: "The Kubernetes dashboard is a web UI with broad access to the cluster; exposed or given a powerful service account, it has been the way in for attackers. " +
		"AKS removed its dashboard add-on, and the AKS guides advise against installing it.",
	Fix: "Remove the dashboard. Use the Kubernetes resources view of the Azure portal, or kubectl with your Microsoft Entra ID credentials.",
	Example: `# Delete the kubernetes-dashboard Deployment and its namespace:
# kubectl delete namespace kubernetes-dashboard`,
	Target: check.PodSpecs,
	Run: func(p *check.Pass) {
		found := false
		for _, c := range check.Containers(p.Object.PodTemplate()) {
			r, ok := parseRef(c.C.Image)
			if !ok || !isDashboardRepo(r.Path) {
				continue
			}
			found = true
			p.Report(c.Path.Child("image"), "%s runs the Kubernetes dashboard (image %q); remove it and use the Azure portal or kubectl instead", c.Describe(), c.C.Image)
		}
		o := p.Object
		if !found && o.Kind == "Deployment" && o.Name == "kubernetes-dashboard" {
			if g := o.Group(); g == "apps" || g == "extensions" {
				p.Report(pathMetadataName, "Deployment kubernetes-dashboard looks like the Kubernetes dashboard; remove it and use the Azure portal or kubectl instead")
			}
		}
	},
}

var pathMetadataName = manifest.NewPath("metadata", "name")

// dashboardRepos are the repositories of the dashboard: v2 ships one image,
// v7 one per component.
var dashboardRepos = []string{
	"kubernetesui/dashboard",
	"kubernetesui/dashboard-api",
	"kubernetesui/dashboard-web",
	"kubernetesui/dashboard-auth",
}

// legacyDashboardArchs are the architecture suffixes of the dashboard v1
// image (k8s.gcr.io/kubernetes-dashboard-amd64).
var legacyDashboardArchs = []string{"amd64", "arm", "arm64", "ppc64le", "s390x"}

// isDashboardRepo reports whether the repository path is the dashboard's,
// also when mirrored below a prefix (myacr.azurecr.io/hub/kubernetesui/dashboard).
func isDashboardRepo(path string) bool {
	for _, r := range dashboardRepos {
		if path == r || strings.HasSuffix(path, r) && path[len(path)-len(r)-1] == '/' {
			return true
		}
	}
	last := path[strings.LastIndexByte(path, '/')+1:]
	if arch, ok := strings.CutPrefix(last, "kubernetes-dashboard-"); ok {
		for _, a := range legacyDashboardArchs {
			if arch == a {
				return true
			}
		}
	}
	return false
}
