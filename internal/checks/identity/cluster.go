package identity

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

// clusterResources are the built-in resources without a namespace: a
// RoleBinding cannot grant them. users and groups are the targets of
// impersonate; tokenreviews and subjectaccessreviews are what delegated
// authentication needs.
var clusterResources = setOf(
	"nodes", "namespaces", "persistentvolumes", "componentstatuses",
	"clusterroles", "clusterrolebindings", "users", "groups", "userextras",
	"storageclasses", "csidrivers", "csinodes", "volumeattachments", "volumeattributesclasses",
	"customresourcedefinitions", "apiservices",
	"mutatingwebhookconfigurations", "validatingwebhookconfigurations",
	"validatingadmissionpolicies", "validatingadmissionpolicybindings",
	"mutatingadmissionpolicies", "mutatingadmissionpolicybindings",
	"priorityclasses", "runtimeclasses", "podsecuritypolicies", "ingressclasses",
	"ipaddresses", "servicecidrs", "certificatesigningrequests", "clustertrustbundles", "signers",
	"flowschemas", "prioritylevelconfigurations", "deviceclasses", "resourceslices",
	"storageversions", "storageversionmigrations",
	"tokenreviews", "subjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews",
)

// namespacedResources are the built-in resources of a namespace. A
// resource in neither list is a custom resource whose scope the check
// cannot tell.
var namespacedResources = setOf(
	"pods", "services", "endpoints", "configmaps", "secrets", "serviceaccounts", "persistentvolumeclaims",
	"events", "replicationcontrollers", "resourcequotas", "limitranges", "podtemplates", "bindings",
	"deployments", "statefulsets", "daemonsets", "replicasets", "controllerrevisions",
	"jobs", "cronjobs", "horizontalpodautoscalers", "poddisruptionbudgets",
	"ingresses", "networkpolicies", "endpointslices", "roles", "rolebindings", "leases",
	"csistoragecapacities", "localsubjectaccessreviews", "resourceclaims", "resourceclaimtemplates",
	"podschedulingcontexts", "networkpolicies",
)

func setOf(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}

// scopeOf tells what a role's rules need a ClusterRoleBinding for: the
// cluster-scoped resources (and non-resource URLs, which only a
// ClusterRoleBinding can grant) they name, and the resources whose scope is
// unknown (custom resources whose CustomResourceDefinition is not in the
// input).
func scopeOf(g *graph.Graph, rules []rbacv1.PolicyRule) (cluster, unknown []string) {
	seen := map[string]bool{}
	add := func(list *[]string, v string) {
		if !seen[v] {
			seen[v] = true
			*list = append(*list, v)
		}
	}
	for _, r := range rules {
		for _, u := range r.NonResourceURLs {
			add(&cluster, "non-resource URL "+u)
		}
		for _, res := range r.Resources {
			base, _, _ := strings.Cut(res, "/")
			switch {
			case base == rbacv1.ResourceAll || clusterResources[base]:
				add(&cluster, res)
			case namespacedResources[base]:
			default:
				switch crdScope(g, r.APIGroups, base) {
				case crdCluster:
					add(&cluster, res)
				case crdNamespaced:
				default:
					add(&unknown, res)
				}
			}
		}
	}
	return cluster, unknown
}

// The scopes a CustomResourceDefinition gives its resources.
const (
	crdCluster    = "Cluster"
	crdNamespaced = "Namespaced"
)

type crdScopesKey struct{}

// crdScope returns the scope that the CustomResourceDefinitions of the input
// give resource in the rule's API groups: Cluster if one of them is
// cluster-scoped, Namespaced if all are namespaced, "" when one is missing
// (or the rule names every group).
func crdScope(g *graph.Graph, groups []string, resource string) string {
	if g == nil || len(groups) == 0 {
		return ""
	}
	scopes := g.Memo(crdScopesKey{}, func(g *graph.Graph) any {
		m := map[string]string{}
		for _, o := range g.Kind("apiextensions.k8s.io", "CustomResourceDefinition") {
			var crd struct {
				Spec struct {
					Scope string `json:"scope"`
				} `json:"spec"`
			}
			if data := o.JSON(); data != nil && json.Unmarshal(data, &crd) == nil {
				m[o.Name] = crd.Spec.Scope // named <plural>.<group>
			}
		}
		return m
	}).(map[string]string)
	out := crdNamespaced
	for _, grp := range groups {
		sc, ok := scopes[resource+"."+grp]
		switch {
		case grp == rbacv1.APIGroupAll || !ok || sc != crdCluster && sc != crdNamespaced:
			out = ""
		case sc == crdCluster:
			return sc
		}
	}
	return out
}

// RBACClusterBindingNamespaced reports ClusterRoleBindings that serve the
// service accounts of one namespace with no cluster-scoped permission.
var RBACClusterBindingNamespaced = &check.Check{
	ID:       "rbac-cluster-binding-namespaced",
	Title:    "ClusterRoleBinding serves one namespace where a RoleBinding would do",
	Severity: check.Warning,
	Refs:     []string{"IAM-05"},
	Why: "A ClusterRoleBinding grants its role in every namespace. When every subject is a ServiceAccount of one namespace and the role " +
		"grants nothing cluster-scoped, a RoleBinding in that namespace gives the application what it needs, and a compromised pod " +
		"can no longer read or change other teams' namespaces. " +
		"The check reads the bound ClusterRole from the input: a role with cluster-scoped resources (nodes, namespaces, persistentvolumes, " +
		"clusterroles, customresourcedefinitions, ...) or non-resource URLs needs the ClusterRoleBinding and is not reported. " +
		"A custom resource's scope is read from its CustomResourceDefinition when the input has it. " +
		"When the role is not in the input, is aggregated, or names custom resources whose scope is unknown, the finding says so. " +
		"Kubernetes' own bindings (system: names, kubernetes.io/bootstrapping: rbac-defaults) are skipped.",
	Fix: "Replace the ClusterRoleBinding with a RoleBinding in the service accounts' namespace; it can still refer to the ClusterRole. " +
		"If the application really works across namespaces (an operator watching every namespace), keep the ClusterRoleBinding and record an exemption.",
	Example: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: orders-reader
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: orders-reader
subjects:
  - kind: ServiceAccount
    name: orders
    namespace: shop`,
	Target: check.Kinds("ClusterRoleBinding.rbac.authorization.k8s.io"),
	Cross:  true,
	Run: func(p *check.Pass) {
		b, ok := bindingOf(p.Object)
		if !ok || len(b.subjects) == 0 || rbacDefault(p.Object) || b.roleRef.Kind != "ClusterRole" {
			return
		}
		ns := ""
		for _, s := range b.subjects {
			if s.Kind != rbacv1.ServiceAccountKind || s.Namespace == "" || ns != "" && s.Namespace != ns {
				return
			}
			ns = s.Namespace
		}
		if p.Settings != nil && p.Settings.IsSystemNamespace(ns) {
			return
		}
		rules, note := boundRules(p.Graph, b.roleRef.Name)
		cluster, unknown := scopeOf(p.Graph, rules)
		if len(cluster) > 0 {
			return
		}
		if note == "" && len(unknown) > 0 {
			sort.Strings(unknown)
			note = "it names " + describeList(unknown) + ", custom resources whose scope the check cannot tell"
		}
		head := fmt.Sprintf("ClusterRoleBinding %q grants ClusterRole %q in every namespace, but its subjects are all ServiceAccounts of namespace %s", p.Object.Name, b.roleRef.Name, ns)
		if note == "" {
			p.Report(manifest.NewPath("subjects"), "%s and the role grants nothing cluster-scoped; use a RoleBinding in namespace %s (it can still refer to the ClusterRole)", head, ns)
			return
		}
		p.Report(manifest.NewPath("subjects"), "%s; unless the role grants something cluster-scoped, use a RoleBinding in namespace %s (the check could not verify it: %s)", head, ns, note)
	},
}

// boundRules returns the rules of the ClusterRole name as the input
// defines them, with the rules of the ClusterRoles an aggregated role
// selects, and a note for the message when they may be incomplete.
func boundRules(g *graph.Graph, name string) ([]rbacv1.PolicyRule, string) {
	o := g.Get(rbacGroup, "ClusterRole", "", name)
	if o == nil {
		return nil, "ClusterRole " + strconv.Quote(name) + " is not in the input"
	}
	r, _ := roleOf(o)
	if !r.aggregated {
		return r.rules, ""
	}
	rules := r.rules
	for _, sel := range aggregationSelectors(o) {
		for _, c := range g.Kind(rbacGroup, "ClusterRole") {
			if c != o && sel.Matches(labels.Set(c.Labels)) {
				cr, _ := roleOf(c)
				rules = append(rules, cr.rules...)
			}
		}
	}
	return rules, "ClusterRole " + strconv.Quote(name) + " is aggregated, and the cluster may hold ClusterRoles it selects besides those of the input"
}
