// Package identity holds the checks of who may do what: RBAC bindings to
// people rather than groups (spec rule IAM-04), cluster-admin, wildcard
// rules and cluster-wide bindings where a namespace would do (IAM-05), Azure
// Workload Identity wiring between pods and their ServiceAccounts (IAM-08),
// and pull secrets for Azure Container Registry (IAM-10).
package identity

import (
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the identity domain's list, in catalog order.
var Checks = []*check.Check{
	RBACUserSubject,
	RBACClusterAdmin,
	RBACWildcard,
	RBACClusterBindingNamespaced,
	WorkloadIdentityLabelMissing,
	WorkloadIdentitySAMissing,
	ACRPullSecret,
}

var bindings = check.Kinds("RoleBinding.rbac.authorization.k8s.io", "ClusterRoleBinding.rbac.authorization.k8s.io")

// RBACUserSubject reports bindings to individual users.
var RBACUserSubject = &check.Check{
	ID:       "rbac-user-subject",
	Title:    "RBAC binding grants a role to an individual user",
	Severity: check.Warning,
	Refs:     []string{"IAM-04"},
	Why: "Bindings to individual users scatter access across many objects: a person who changes teams or leaves keeps their access until " +
		"every binding that names them is found and removed. With Microsoft Entra ID integration, AKS passes the user's group memberships " +
		"to Kubernetes, so access can follow Entra group membership, managed in one place. " +
		"Users whose name starts with system: are Kubernetes components and are not reported.",
	Fix: "Bind an Entra ID group (kind: Group, name: the group's object ID) instead of the user, and manage membership in Entra ID; or use Azure RBAC for Kubernetes authorization.",
	Example: `subjects:
  - kind: Group
    apiGroup: rbac.authorization.k8s.io
    name: 3f1c9b0e-6a53-4c2f-9d8e-2b7f5a0c4e11 # Entra ID group object ID`,
	Target: bindings,
	Run: func(p *check.Pass) {
		b, ok := bindingOf(p.Object)
		if !ok {
			return
		}
		for i, s := range b.subjects {
			if s.Kind != rbacv1.UserKind || strings.HasPrefix(s.Name, "system:") {
				continue
			}
			p.Report(subjectPath(i), "%s %q binds %s %q to User %q; bind an Entra ID group instead so that access follows group membership",
				p.Object.Kind, p.Object.Name, b.roleRef.Kind, b.roleRef.Name, s.Name)
		}
	},
}

// RBACClusterAdmin reports cluster-admin granted to anyone but the platform.
var RBACClusterAdmin = &check.Check{
	ID:       "rbac-cluster-admin",
	Title:    "Binding grants cluster-admin to a subject outside the platform",
	Severity: check.Error,
	Refs:     []string{"IAM-05"},
	Why: "cluster-admin allows every action on every resource: whoever holds it can read every Secret, run privileged pods on any node " +
		"and grant themselves anything else. A RoleBinding to cluster-admin gives the same full control over its namespace, RBAC included. " +
		"System identities of Kubernetes (system: users and groups) and service accounts of system namespaces are not reported; " +
		"the broad groups system:authenticated, system:unauthenticated and system:serviceaccounts, and system:anonymous, are, " +
		"and so are service accounts of other namespaces although their user names start with system:serviceaccount:.",
	Fix: "Bind a role that grants only what the subject needs (the built-in admin, edit or view ClusterRoles, bound per namespace, or a custom Role). " +
		"If a subject must be cluster administrator, list it in the allow option (a group object ID, a user name, or a service account as namespace:name) so that the exception is recorded.",
	Example: `roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit`,
	Target: bindings,
	Options: []check.Option{{
		Name: "allow", Kind: check.StringList, Default: []string{},
		Doc: "Subjects allowed to hold cluster-admin: a user or group name, or a ServiceAccount as namespace:name (or system:serviceaccount:namespace:name).",
	}},
	Run: func(p *check.Pass) {
		b, ok := bindingOf(p.Object)
		if !ok || b.roleRef.Kind != "ClusterRole" || b.roleRef.Name != "cluster-admin" {
			return
		}
		allow := p.Options.Strings("allow")
		scope := "the whole cluster"
		if !b.cluster {
			scope = "namespace " + p.Object.Namespace + ", its RBAC included"
		}
		for i, s := range b.subjects {
			if platformSubject(s, p.Object, p.Settings) || allowed(allow, s, p.Object) {
				continue
			}
			p.Report(subjectPath(i), "%s %q grants cluster-admin to %s: full control of %s; bind a narrower role, or list the subject in the allow option",
				p.Object.Kind, p.Object.Name, describeSubject(s, p.Object), scope)
		}
	},
}

// allowed reports whether the allow list names s.
func allowed(allow []string, s rbacv1.Subject, o *manifest.Object) bool {
	names := []string{s.Name}
	if s.Kind == rbacv1.ServiceAccountKind {
		ns := subjectNamespace(s, o)
		names = []string{ns + ":" + s.Name, saUserPrefix + ns + ":" + s.Name}
	}
	for _, a := range allow {
		for _, n := range names {
			if a == n {
				return true
			}
		}
	}
	return false
}

// RBACWildcard reports Role and ClusterRole rules with wildcards.
var RBACWildcard = &check.Check{
	ID:       "rbac-wildcard",
	Title:    "Role rule grants wildcard verbs or resources",
	Severity: check.Error,
	Refs:     []string{"IAM-05"},
	Why: "A rule with verbs [\"*\"] and resources [\"*\"] is cluster-admin under another name. A wildcard on one side grants more than was " +
		"reviewed and keeps growing: resources [\"*\"] takes in Secrets and every custom resource installed later, verbs [\"*\"] takes in " +
		"escalate, bind and impersonate. The finding is an error when both verbs and resources are wildcards and a warning when one is. " +
		"Kubernetes' own roles (labelled kubernetes.io/bootstrapping: rbac-defaults) and aggregated ClusterRoles, whose rules are computed, are skipped.",
	Fix: "List the verbs and resources the subject needs, for example verbs [get, list, watch] on resources [pods, services].",
	Example: `rules:
  - apiGroups: [""]
    resources: [pods, services]
    verbs: [get, list, watch]`,
	Target: check.Kinds("Role.rbac.authorization.k8s.io", "ClusterRole.rbac.authorization.k8s.io"),
	Run: func(p *check.Pass) {
		r, ok := roleOf(p.Object)
		if !ok || r.aggregated || p.Object.Labels["kubernetes.io/bootstrapping"] == "rbac-defaults" {
			return
		}
		for i, rule := range r.rules {
			rp := manifest.NewPath("rules").Index(i)
			verbs := has(rule.Verbs, rbacv1.VerbAll)
			targets, field := rule.Resources, "resources"
			if len(rule.Resources) == 0 && len(rule.NonResourceURLs) > 0 {
				targets, field = rule.NonResourceURLs, "nonResourceURLs"
			}
			res := has(targets, rbacv1.ResourceAll)
			what, allGroups := field, field != "resources" || has(rule.APIGroups, rbacv1.APIGroupAll)
			if field == "resources" {
				what = "resources of " + describeGroups(rule.APIGroups)
			}
			switch {
			case verbs && res && allGroups:
				p.ReportSeverity(check.Error, rp, "%s %q rule %d grants every verb on all %s: that is cluster-admin within its scope; list the verbs and resources needed",
					p.Object.Kind, p.Object.Name, i, what)
			case verbs && res:
				p.ReportSeverity(check.Error, rp, "%s %q rule %d grants every verb on all %s, including any installed later; list the verbs and resources needed",
					p.Object.Kind, p.Object.Name, i, what)
			case verbs:
				p.ReportSeverity(check.Warning, rp.Child("verbs"), "%s %q rule %d grants every verb (escalate, bind and impersonate included) on %s; list the verbs needed",
					p.Object.Kind, p.Object.Name, i, strings.Join(targets, ", "))
			case res:
				p.ReportSeverity(check.Warning, rp.Child(field), "%s %q rule %d grants %s on all %s, including any installed later; list the %s needed",
					p.Object.Kind, p.Object.Name, i, strings.Join(rule.Verbs, ", "), what, field)
			}
		}
	},
}

// describeGroups names the API groups of a rule for messages: every API
// group, the core API group, API group apps, API groups "" (core) and apps.
func describeGroups(groups []string) string {
	switch {
	case has(groups, rbacv1.APIGroupAll):
		return "every API group"
	case len(groups) == 1 && groups[0] == "":
		return "the core API group"
	case len(groups) == 1:
		return "API group " + groups[0]
	}
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g
		if g == "" {
			names[i] = `"" (core)`
		}
	}
	return "API groups " + describeList(names)
}

func has(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// describeList renders names for messages: a, b and c.
func describeList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
