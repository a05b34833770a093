package apis

// This file is data: the built-in API versions Kubernetes has deprecated or
// stopped serving, for the api-removed and api-deprecated checks (spec rule
// WL-13).
//
// Sources, read on TableAsOf:
//   - the Kubernetes "Deprecated API Migration Guide",
//     https://kubernetes.io/docs/reference/using-api/deprecation-guide/
//     (removals by release: v1.16, v1.22, v1.25, v1.26, v1.27, v1.29, v1.32);
//   - the prerelease-lifecycle tags of the k8s.io/api module kubevet builds
//     with (APILifecycleDeprecated, APILifecycleRemoved and
//     APILifecycleReplacement, generated from the
//     +k8s:prerelease-lifecycle-gen comments). The kube-apiserver stops
//     serving a beta API at its removed version from these tags, and prints
//     "deprecated in v1.X+, unavailable in v1.Y+" warnings from them. They
//     give the deprecated-in versions below and the removals announced after
//     v1.32. TestTableMatchesAPILifecycle keeps the two in step;
//   - the v1.33 deprecation of core/v1 Endpoints (KEP-4974), which has no
//     removal planned.
//
// Alpha versions are left out: they may be removed in any release without
// a deprecation period, and the guide does not list them.
//
// To update: read the guide's "Removed APIs by release" section, bump
// k8s.io/api, run go test ./internal/checks/apis/, fix the rows it reports,
// and set TableAsOf and DefaultKubernetesVersion.

// TableSource names where Table comes from, for documentation.
const TableSource = "Kubernetes Deprecated API Migration Guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/) " +
	"and the prerelease-lifecycle tags of k8s.io/api v0.37.2"

// TableAsOf is the date the sources were read.
const TableAsOf = "2026-11-23"

// DefaultKubernetesVersion is the target version when the configuration
// names none: the newest minor version the table was reviewed for.
var DefaultKubernetesVersion = "1.35"

// API is one deprecated or removed API version.
type API struct {
	// GroupVersion is the apiVersion as written in manifests.
	GroupVersion string
	// Kinds lists the kinds the row is about; empty means every kind of
	// the group version.
	Kinds []string
	// Deprecated is the minor version that deprecated it ("1.19").
	Deprecated string
	// Removed is the minor version that stopped serving it, or "" when no
	// removal is planned.
	Removed string
	// Replacement is the apiVersion to use instead, with the same kind;
	// "" when there is none (Note says what to do).
	Replacement string
	// Note is advice on the migration, one sentence without a final
	// period; may be empty.
	Note string
}

// Table is the deprecated and removed built-in APIs, by removal release.
var Table = []API{
	// v1.16
	{GroupVersion: "extensions/v1beta1", Kinds: []string{"Deployment", "DaemonSet", "ReplicaSet"}, Deprecated: "1.8", Removed: "1.16", Replacement: "apps/v1",
		Note: "spec.selector is required and immutable in apps/v1; copy the template's labels into it"},
	{GroupVersion: "extensions/v1beta1", Kinds: []string{"NetworkPolicy"}, Deprecated: "1.9", Removed: "1.16", Replacement: "networking.k8s.io/v1"},
	{GroupVersion: "extensions/v1beta1", Kinds: []string{"PodSecurityPolicy"}, Deprecated: "1.10", Removed: "1.16",
		Note: "PodSecurityPolicy itself was removed in 1.25; enforce Pod Security Admission with pod-security.kubernetes.io/enforce namespace labels"},
	{GroupVersion: "apps/v1beta1", Deprecated: "1.8", Removed: "1.16", Replacement: "apps/v1",
		Note: "spec.selector is required and immutable in apps/v1; copy the template's labels into it"},
	{GroupVersion: "apps/v1beta2", Deprecated: "1.9", Removed: "1.16", Replacement: "apps/v1",
		Note: "spec.selector is required and immutable in apps/v1; copy the template's labels into it"},

	// v1.22
	{GroupVersion: "extensions/v1beta1", Kinds: []string{"Ingress"}, Deprecated: "1.14", Removed: "1.22", Replacement: "networking.k8s.io/v1",
		Note: "spec.backend becomes spec.defaultBackend, serviceName/servicePort become service.name and service.port.number or .name, and every path needs a pathType"},
	{GroupVersion: "networking.k8s.io/v1beta1", Kinds: []string{"Ingress"}, Deprecated: "1.19", Removed: "1.22", Replacement: "networking.k8s.io/v1",
		Note: "spec.backend becomes spec.defaultBackend, serviceName/servicePort become service.name and service.port.number or .name, and every path needs a pathType"},
	{GroupVersion: "networking.k8s.io/v1beta1", Kinds: []string{"IngressClass"}, Deprecated: "1.19", Removed: "1.22", Replacement: "networking.k8s.io/v1"},
	{GroupVersion: "admissionregistration.k8s.io/v1beta1", Kinds: []string{"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}, Deprecated: "1.16", Removed: "1.22", Replacement: "admissionregistration.k8s.io/v1",
		Note: "sideEffects and admissionReviewVersions are required in v1, and failurePolicy defaults to Fail"},
	{GroupVersion: "apiextensions.k8s.io/v1beta1", Kinds: []string{"CustomResourceDefinition"}, Deprecated: "1.16", Removed: "1.22", Replacement: "apiextensions.k8s.io/v1",
		Note: "v1 requires spec.scope and a structural spec.versions[].schema.openAPIV3Schema"},
	{GroupVersion: "apiregistration.k8s.io/v1beta1", Kinds: []string{"APIService"}, Deprecated: "1.19", Removed: "1.22", Replacement: "apiregistration.k8s.io/v1"},
	{GroupVersion: "authentication.k8s.io/v1beta1", Kinds: []string{"TokenReview"}, Deprecated: "1.19", Removed: "1.22", Replacement: "authentication.k8s.io/v1"},
	{GroupVersion: "authorization.k8s.io/v1beta1", Kinds: []string{"LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview", "SelfSubjectRulesReview"}, Deprecated: "1.19", Removed: "1.22", Replacement: "authorization.k8s.io/v1",
		Note: "spec.group is renamed spec.groups in v1"},
	{GroupVersion: "certificates.k8s.io/v1beta1", Kinds: []string{"CertificateSigningRequest"}, Deprecated: "1.19", Removed: "1.22", Replacement: "certificates.k8s.io/v1",
		Note: "spec.signerName and spec.usages are required in v1"},
	{GroupVersion: "coordination.k8s.io/v1beta1", Kinds: []string{"Lease"}, Deprecated: "1.19", Removed: "1.22", Replacement: "coordination.k8s.io/v1"},
	{GroupVersion: "rbac.authorization.k8s.io/v1beta1", Kinds: []string{"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"}, Deprecated: "1.17", Removed: "1.22", Replacement: "rbac.authorization.k8s.io/v1"},
	{GroupVersion: "scheduling.k8s.io/v1beta1", Kinds: []string{"PriorityClass"}, Deprecated: "1.14", Removed: "1.22", Replacement: "scheduling.k8s.io/v1"},
	{GroupVersion: "storage.k8s.io/v1beta1", Kinds: []string{"CSIDriver", "StorageClass", "VolumeAttachment"}, Deprecated: "1.19", Removed: "1.22", Replacement: "storage.k8s.io/v1"},
	{GroupVersion: "storage.k8s.io/v1beta1", Kinds: []string{"CSINode"}, Deprecated: "1.17", Removed: "1.22", Replacement: "storage.k8s.io/v1"},

	// v1.25
	{GroupVersion: "batch/v1beta1", Kinds: []string{"CronJob"}, Deprecated: "1.21", Removed: "1.25", Replacement: "batch/v1"},
	{GroupVersion: "discovery.k8s.io/v1beta1", Kinds: []string{"EndpointSlice"}, Deprecated: "1.21", Removed: "1.25", Replacement: "discovery.k8s.io/v1",
		Note: "use each endpoint's nodeName and zone instead of topology"},
	{GroupVersion: "events.k8s.io/v1beta1", Kinds: []string{"Event"}, Deprecated: "1.22", Removed: "1.25", Replacement: "events.k8s.io/v1"},
	{GroupVersion: "autoscaling/v2beta1", Kinds: []string{"HorizontalPodAutoscaler"}, Deprecated: "1.22", Removed: "1.25", Replacement: "autoscaling/v2",
		Note: "metric targets move under target (targetAverageUtilization becomes target.averageUtilization)"},
	{GroupVersion: "policy/v1beta1", Kinds: []string{"PodDisruptionBudget"}, Deprecated: "1.21", Removed: "1.25", Replacement: "policy/v1",
		Note: "in policy/v1 an empty spec.selector selects every pod of the namespace"},
	{GroupVersion: "policy/v1beta1", Kinds: []string{"PodSecurityPolicy"}, Deprecated: "1.21", Removed: "1.25",
		Note: "PodSecurityPolicy has no successor API; enforce Pod Security Admission with pod-security.kubernetes.io/enforce namespace labels"},
	{GroupVersion: "node.k8s.io/v1beta1", Kinds: []string{"RuntimeClass"}, Deprecated: "1.22", Removed: "1.25", Replacement: "node.k8s.io/v1"},

	// v1.26
	{GroupVersion: "flowcontrol.apiserver.k8s.io/v1beta1", Kinds: []string{"FlowSchema", "PriorityLevelConfiguration"}, Deprecated: "1.23", Removed: "1.26", Replacement: "flowcontrol.apiserver.k8s.io/v1"},
	{GroupVersion: "autoscaling/v2beta2", Kinds: []string{"HorizontalPodAutoscaler"}, Deprecated: "1.23", Removed: "1.26", Replacement: "autoscaling/v2"},

	// v1.27
	{GroupVersion: "storage.k8s.io/v1beta1", Kinds: []string{"CSIStorageCapacity"}, Deprecated: "1.24", Removed: "1.27", Replacement: "storage.k8s.io/v1"},

	// v1.29
	{GroupVersion: "flowcontrol.apiserver.k8s.io/v1beta2", Kinds: []string{"FlowSchema", "PriorityLevelConfiguration"}, Deprecated: "1.26", Removed: "1.29", Replacement: "flowcontrol.apiserver.k8s.io/v1"},

	// v1.32
	{GroupVersion: "flowcontrol.apiserver.k8s.io/v1beta3", Kinds: []string{"FlowSchema", "PriorityLevelConfiguration"}, Deprecated: "1.29", Removed: "1.32", Replacement: "flowcontrol.apiserver.k8s.io/v1",
		Note: "in v1, spec.limited.nominalConcurrencyShares defaults to 30 only when unset; an explicit 0 stays 0"},

	// Deprecated in v1.33, no removal planned.
	{GroupVersion: "v1", Kinds: []string{"Endpoints"}, Deprecated: "1.33", Replacement: "discovery.k8s.io/v1",
		Note: "write the endpoints of a Service without selector as EndpointSlices labelled kubernetes.io/service-name"},

	// Later removals, from the k8s.io/api lifecycle tags.
	{GroupVersion: "admissionregistration.k8s.io/v1beta1", Kinds: []string{"ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"}, Deprecated: "1.31", Removed: "1.34", Replacement: "admissionregistration.k8s.io/v1"},
	{GroupVersion: "networking.k8s.io/v1beta1", Kinds: []string{"IPAddress", "ServiceCIDR"}, Deprecated: "1.34", Removed: "1.37", Replacement: "networking.k8s.io/v1"},
	{GroupVersion: "storage.k8s.io/v1beta1", Kinds: []string{"VolumeAttributesClass"}, Deprecated: "1.34", Removed: "1.37", Replacement: "storage.k8s.io/v1"},
	{GroupVersion: "resource.k8s.io/v1beta1", Kinds: []string{"DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice"}, Deprecated: "1.35", Removed: "1.38", Replacement: "resource.k8s.io/v1"},
	{GroupVersion: "resource.k8s.io/v1beta2", Kinds: []string{"DeviceClass", "ResourceClaim", "ResourceClaimTemplate", "ResourceSlice"}, Deprecated: "1.36", Removed: "1.39", Replacement: "resource.k8s.io/v1"},
	{GroupVersion: "admissionregistration.k8s.io/v1beta1", Kinds: []string{"MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding"}, Deprecated: "1.37", Removed: "1.40", Replacement: "admissionregistration.k8s.io/v1"},
	{GroupVersion: "certificates.k8s.io/v1beta1", Kinds: []string{"ClusterTrustBundle", "PodCertificateRequest"}, Deprecated: "1.37", Removed: "1.40", Replacement: "certificates.k8s.io/v1"},
	{GroupVersion: "storagemigration.k8s.io/v1beta1", Kinds: []string{"StorageVersionMigration"}, Deprecated: "1.37", Removed: "1.40", Replacement: "storagemigration.k8s.io/v1"},
}
