package identity

import (
	"strconv"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
	rbacv1alpha1 "k8s.io/api/rbac/v1alpha1"
	rbacv1beta1 "k8s.io/api/rbac/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

const rbacGroup = rbacv1.GroupName

// binding is a RoleBinding or ClusterRoleBinding of any served version.
type binding struct {
	roleRef  rbacv1.RoleRef
	subjects []rbacv1.Subject
	// cluster is true for a ClusterRoleBinding.
	cluster bool
}

func bindingOf(o *manifest.Object) (binding, bool) {
	switch t := o.Typed().(type) {
	case *rbacv1.RoleBinding:
		return binding{t.RoleRef, t.Subjects, false}, true
	case *rbacv1.ClusterRoleBinding:
		return binding{t.RoleRef, t.Subjects, true}, true
	case *rbacv1beta1.RoleBinding:
		return binding{rbacv1.RoleRef(t.RoleRef), betaSubjects(t.Subjects), false}, true
	case *rbacv1beta1.ClusterRoleBinding:
		return binding{rbacv1.RoleRef(t.RoleRef), betaSubjects(t.Subjects), true}, true
	case *rbacv1alpha1.RoleBinding:
		return binding{rbacv1.RoleRef(t.RoleRef), alphaSubjects(t.Subjects), false}, true
	case *rbacv1alpha1.ClusterRoleBinding:
		return binding{rbacv1.RoleRef(t.RoleRef), alphaSubjects(t.Subjects), true}, true
	}
	return binding{}, false
}

func betaSubjects(in []rbacv1beta1.Subject) []rbacv1.Subject {
	out := make([]rbacv1.Subject, len(in))
	for i, s := range in {
		out[i] = rbacv1.Subject(s)
	}
	return out
}

// alphaSubjects converts v1alpha1 subjects, which name an apiVersion
// rather than an apiGroup.
func alphaSubjects(in []rbacv1alpha1.Subject) []rbacv1.Subject {
	out := make([]rbacv1.Subject, len(in))
	for i, s := range in {
		out[i] = rbacv1.Subject{Kind: s.Kind, APIGroup: schema.FromAPIVersionAndKind(s.APIVersion, s.Kind).Group, Name: s.Name, Namespace: s.Namespace}
	}
	return out
}

// role is a Role or ClusterRole of any served version.
type role struct {
	rules []rbacv1.PolicyRule
	// aggregated is true for a ClusterRole whose rules the controller
	// fills in from the ClusterRoles its aggregationRule selects.
	aggregated bool
}

func roleOf(o *manifest.Object) (role, bool) {
	switch t := o.Typed().(type) {
	case *rbacv1.Role:
		return role{rules: t.Rules}, true
	case *rbacv1.ClusterRole:
		return role{rules: t.Rules, aggregated: t.AggregationRule != nil}, true
	case *rbacv1beta1.Role:
		return role{rules: convertRules(t.Rules)}, true
	case *rbacv1beta1.ClusterRole:
		return role{rules: convertRules(t.Rules), aggregated: t.AggregationRule != nil}, true
	case *rbacv1alpha1.Role:
		return role{rules: convertRules(t.Rules)}, true
	case *rbacv1alpha1.ClusterRole:
		return role{rules: convertRules(t.Rules), aggregated: t.AggregationRule != nil}, true
	}
	return role{}, false
}

func convertRules[R rbacv1beta1.PolicyRule | rbacv1alpha1.PolicyRule](in []R) []rbacv1.PolicyRule {
	out := make([]rbacv1.PolicyRule, len(in))
	for i, r := range in {
		out[i] = rbacv1.PolicyRule(r)
	}
	return out
}

// subjectNamespace is the namespace of a ServiceAccount subject: its own,
// or for a RoleBinding the binding's when it names none (the authorizer
// defaults it so).
func subjectNamespace(s rbacv1.Subject, o *manifest.Object) string {
	if s.Namespace != "" {
		return s.Namespace
	}
	if o.Kind == "RoleBinding" {
		return o.Namespace
	}
	return ""
}

// Broad system groups and users: they stand for every user, every
// unauthenticated request or every service account, not for a component of
// the platform.
var broadSubjects = map[string]bool{
	"system:authenticated":   true,
	"system:unauthenticated": true,
	"system:anonymous":       true,
	"system:serviceaccounts": true,
}

const (
	saUserPrefix  = "system:serviceaccount:"
	saGroupPrefix = "system:serviceaccounts:"
)

// platformSubject reports whether s is an identity of the platform: a
// system: user or group of Kubernetes (not the broad groups of every user
// or every service account), or a service account of a system namespace.
// A ServiceAccount of an application namespace is not one, although its
// user name starts with system:serviceaccount:.
func platformSubject(s rbacv1.Subject, o *manifest.Object, set *check.Settings) bool {
	sys := func(ns string) bool { return set != nil && set.IsSystemNamespace(ns) }
	switch s.Kind {
	case rbacv1.ServiceAccountKind:
		return sys(subjectNamespace(s, o))
	case rbacv1.UserKind:
		if rest, ok := strings.CutPrefix(s.Name, saUserPrefix); ok {
			ns, _, _ := strings.Cut(rest, ":")
			return sys(ns)
		}
	case rbacv1.GroupKind:
		if ns, ok := strings.CutPrefix(s.Name, saGroupPrefix); ok {
			return sys(ns)
		}
	}
	return strings.HasPrefix(s.Name, "system:") && !broadSubjects[s.Name]
}

// describeSubject names a subject in messages: `User "alice@contoso.com"`,
// `ServiceAccount shop/orders`, and one a ClusterRoleBinding leaves
// without namespace as the API server would reject it.
func describeSubject(s rbacv1.Subject, o *manifest.Object) string {
	if s.Kind == rbacv1.ServiceAccountKind {
		if ns := subjectNamespace(s, o); ns != "" {
			return "ServiceAccount " + ns + "/" + s.Name
		}
		return "ServiceAccount " + strconv.Quote(s.Name) + " (without the namespace the API server requires here)"
	}
	return s.Kind + " " + strconv.Quote(s.Name)
}

// rbacDefault reports whether o is one of Kubernetes' own RBAC objects
// (labelled kubernetes.io/bootstrapping=rbac-defaults) or named system:.
func rbacDefault(o *manifest.Object) bool {
	return o.Labels["kubernetes.io/bootstrapping"] == "rbac-defaults" || strings.HasPrefix(o.Name, "system:")
}

func subjectPath(i int) manifest.Path { return manifest.NewPath("subjects").Index(i) }

// aggregationSelectors returns the selectors of an aggregated ClusterRole.
func aggregationSelectors(o *manifest.Object) []labels.Selector {
	var ls []metav1.LabelSelector
	switch t := o.Typed().(type) {
	case *rbacv1.ClusterRole:
		if t.AggregationRule != nil {
			ls = t.AggregationRule.ClusterRoleSelectors
		}
	case *rbacv1beta1.ClusterRole:
		if t.AggregationRule != nil {
			ls = t.AggregationRule.ClusterRoleSelectors
		}
	case *rbacv1alpha1.ClusterRole:
		if t.AggregationRule != nil {
			ls = t.AggregationRule.ClusterRoleSelectors
		}
	}
	out := make([]labels.Selector, 0, len(ls))
	for i := range ls {
		out = append(out, graph.SelectorOf(&ls[i], labels.Nothing()))
	}
	return out
}
