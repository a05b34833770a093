package validation

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metavalidation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"gopkg.in/yaml.v3"

	"github.com/kubevet/kubevet/internal/manifest"
)

// The rules below reimplement, with the helpers of k8s.io/apimachinery,
// the checks the API server makes beyond the OpenAPI schema when it
// creates an object: k8s.io/kubernetes pkg/apis/core/validation
// (ValidatePodSpec, ValidateService, ValidateConfigMap...),
// pkg/apis/apps/validation and pkg/apis/batch/validation at v1.37.2. They
// cover the common fields of the common kinds, not all of them: a value
// they do not check passes.

// semantic returns the problems the API server's validation finds in a
// built-in object (nil for kinds it does not cover).
func semantic(o *manifest.Object, minor int) field.ErrorList {
	typed := o.Typed()
	if typed == nil {
		return nil
	}
	var errs field.ErrorList
	if m, ok := typed.(metav1.Object); ok {
		errs = append(errs, validateMeta(o, m, minor)...)
	}
	switch t := typed.(type) {
	case *corev1.Pod:
		errs = append(errs, validatePodSpec(&t.Spec, func() *field.Path { return field.NewPath("spec") }, podOpts{})...)
	case *corev1.PodTemplate:
		errs = append(errs, validateTemplate(&t.Template, func() *field.Path { return field.NewPath("template") }, podOpts{})...)
	case *appsv1.Deployment:
		errs = append(errs, validateSelected(t.Spec.Selector, &t.Spec.Template, func() *field.Path { return field.NewPath("spec") })...)
		errs = append(errs, nonNegative(t.Spec.Replicas, func() *field.Path { return field.NewPath("spec", "replicas") })...)
		errs = append(errs, validateDeploymentStrategy(&t.Spec.Strategy, func() *field.Path { return field.NewPath("spec", "strategy") })...)
		errs = append(errs, nonNegative(t.Spec.RevisionHistoryLimit, func() *field.Path { return field.NewPath("spec", "revisionHistoryLimit") })...)
		if t.Spec.MinReadySeconds < 0 {
			errs = append(errs, field.Invalid(field.NewPath("spec", "minReadySeconds"), t.Spec.MinReadySeconds, "must be greater than or equal to 0"))
		}
		if pds := t.Spec.ProgressDeadlineSeconds; pds != nil && *pds <= t.Spec.MinReadySeconds {
			errs = append(errs, field.Invalid(field.NewPath("spec", "progressDeadlineSeconds"), *pds, "must be greater than minReadySeconds"))
		}
	case *appsv1.ReplicaSet:
		errs = append(errs, validateSelected(t.Spec.Selector, &t.Spec.Template, func() *field.Path { return field.NewPath("spec") })...)
		errs = append(errs, nonNegative(t.Spec.Replicas, func() *field.Path { return field.NewPath("spec", "replicas") })...)
	case *appsv1.StatefulSet:
		// Containers may mount the volumes of the claim templates.
		claims := map[string]bool{}
		for _, c := range t.Spec.VolumeClaimTemplates {
			claims[c.Name] = true
		}
		errs = append(errs, validateSelectedWith(t.Spec.Selector, &t.Spec.Template, func() *field.Path { return field.NewPath("spec") }, podOpts{volumes: claims})...)
		errs = append(errs, nonNegative(t.Spec.Replicas, func() *field.Path { return field.NewPath("spec", "replicas") })...)
		if t.Spec.ServiceName != "" {
			errs = append(errs, dns1123Label(t.Spec.ServiceName, func() *field.Path { return field.NewPath("spec", "serviceName") })...)
		}
		switch t.Spec.UpdateStrategy.Type {
		case "", appsv1.RollingUpdateStatefulSetStrategyType, appsv1.OnDeleteStatefulSetStrategyType:
		default:
			errs = append(errs, field.NotSupported(field.NewPath("spec", "updateStrategy", "type"), t.Spec.UpdateStrategy.Type, []string{"RollingUpdate", "OnDelete"}))
		}
		switch t.Spec.PodManagementPolicy {
		case "", appsv1.OrderedReadyPodManagement, appsv1.ParallelPodManagement:
		default:
			errs = append(errs, field.NotSupported(field.NewPath("spec", "podManagementPolicy"), t.Spec.PodManagementPolicy, []string{"OrderedReady", "Parallel"}))
		}
	case *appsv1.DaemonSet:
		errs = append(errs, validateSelected(t.Spec.Selector, &t.Spec.Template, func() *field.Path { return field.NewPath("spec") })...)
		switch t.Spec.UpdateStrategy.Type {
		case "", appsv1.RollingUpdateDaemonSetStrategyType, appsv1.OnDeleteDaemonSetStrategyType:
		default:
			errs = append(errs, field.NotSupported(field.NewPath("spec", "updateStrategy", "type"), t.Spec.UpdateStrategy.Type, []string{"RollingUpdate", "OnDelete"}))
		}
	case *batchv1.Job:
		errs = append(errs, validateJobSpec(&t.Spec, field.NewPath("spec"))...)
	case *batchv1.CronJob:
		errs = append(errs, validateCronJob(t)...)
	case *corev1.Service:
		errs = append(errs, validateService(t)...)
	case *corev1.ConfigMap:
		errs = append(errs, validateKeys(t.Data, t.BinaryData, field.NewPath("data"), field.NewPath("binaryData"))...)
	case *corev1.Secret:
		errs = append(errs, validateKeys(t.StringData, t.Data, field.NewPath("stringData"), field.NewPath("data"))...)
		errs = append(errs, validateSecretType(t)...)
	case *corev1.PersistentVolumeClaim:
		errs = append(errs, validatePVCSpec(&t.Spec, field.NewPath("spec"))...)
	case *autoscalingv2.HorizontalPodAutoscaler:
		errs = append(errs, validateHPA(t.Spec.MinReplicas, t.Spec.MaxReplicas, scaleToZeroMetrics(t.Spec.Metrics))...)
	case *autoscalingv1.HorizontalPodAutoscaler:
		errs = append(errs, validateHPA(t.Spec.MinReplicas, t.Spec.MaxReplicas, false)...)
	case *networkingv1.NetworkPolicy:
		errs = append(errs, validateNetworkPolicy(t)...)
	case *networkingv1.Ingress:
		errs = append(errs, validateIngress(t, minor)...)
	case *policyv1.PodDisruptionBudget:
		errs = append(errs, validatePDB(t)...)
	}
	return errs
}

// nameFormat is how the API server validates metadata.name per kind
// (the ValidateXName functions of each API group).
func nameFormat(o *manifest.Object, minor int) apimachineryvalidation.ValidateNameFunc {
	switch o.Group() {
	case "":
		switch o.Kind {
		case "Service":
			// RelaxedServiceNameValidation, on by default since 1.36:
			// a DNS-1123 label (may start with a digit) instead of DNS-1035.
			if minor >= 36 {
				return apimachineryvalidation.NameIsDNSLabel
			}
			return apimachineryvalidation.NameIsDNS1035Label
		case "Namespace":
			return apimachineryvalidation.ValidateNamespaceName
		}
		return apimachineryvalidation.NameIsDNSSubdomain
	case "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "storage.k8s.io", "scheduling.k8s.io", "discovery.k8s.io", "node.k8s.io":
		return apimachineryvalidation.NameIsDNSSubdomain
	case "rbac.authorization.k8s.io":
		// ValidateRBACName: a path segment.
		return func(name string, prefix bool) []string {
			var msgs []string
			if name == "." || name == ".." {
				msgs = append(msgs, fmt.Sprintf("may not be '%s'", name))
			}
			if strings.ContainsAny(name, "/%") {
				msgs = append(msgs, "may not contain '/' or '%'")
			}
			return msgs
		}
	}
	return nil // other groups: names are not checked
}

// validateMeta applies ValidateObjectMetaAccessor (name, namespace,
// labels, annotation keys and size, finalizers, owner references).
func validateMeta(o *manifest.Object, m metav1.Object, minor int) field.ErrorList {
	nameFn := nameFormat(o, minor)
	if nameFn == nil {
		nameFn = func(string, bool) []string { return nil }
	}
	errs := validateObjectMeta(m, manifest.IsClusterScoped(o.GVK()), nameFn)
	if o.Kind == "CronJob" && len(m.GetName()) > 52 {
		// batch/validation ValidateCronJobCreate: the Jobs it creates add 11
		// characters to the name.
		errs = append(errs, field.Invalid(field.NewPath("metadata", "name"), m.GetName(), "must be no more than 52 characters"))
	}
	if o.Kind == "Job" && len(m.GetName()) > 63 {
		// The Job's name is the value of the batch.kubernetes.io/job-name
		// label of its pods.
		errs = append(errs, field.Invalid(field.NewPath("metadata", "name"), m.GetName(), "must be no more than 63 characters"))
	}
	return errs
}

// namespaceOf overrides the namespace of an object's metadata.
type namespaceOf struct {
	metav1.Object
	ns string
}

func (n namespaceOf) GetNamespace() string { return n.ns }

// validateObjectMeta is ValidateObjectMetaAccessor on the metadata as
// written: the namespace of a namespaced object may be left out (kubectl
// fills it in), and kubectl drops the namespace of a cluster-scoped one.
func validateObjectMeta(m metav1.Object, clusterScoped bool, nameFn apimachineryvalidation.ValidateNameFunc) field.ErrorList {
	ns := m.GetNamespace()
	if clusterScoped {
		ns = ""
	}
	if metaValid(m, ns) {
		return nil
	}
	return apimachineryvalidation.ValidateObjectMetaAccessor(namespaceOf{m, ns}, ns != "", nameFn, field.NewPath("metadata"))
}

func dns1123Label(v string, p lazyPath) field.ErrorList {
	if isDNSLabel(v) {
		return nil
	}
	var errs field.ErrorList
	for _, msg := range validation.IsDNS1123Label(v) {
		errs = append(errs, field.Invalid(p(), v, msg))
	}
	return errs
}

func nonNegative(v *int32, p lazyPath) field.ErrorList {
	if v != nil && *v < 0 {
		return field.ErrorList{field.Invalid(p(), *v, "must be greater than or equal to 0")}
	}
	return nil
}

// validateSelected checks the selector of a controller and its template
// (apps/validation ValidateDeploymentSpec, ValidateReplicaSetSpec,
// ValidateStatefulSetSpec, ValidateDaemonSetSpec).
func validateSelected(sel *metav1.LabelSelector, tmpl *corev1.PodTemplateSpec, spec lazyPath) field.ErrorList {
	return validateSelectedWith(sel, tmpl, spec, podOpts{})
}

func validateSelectedWith(sel *metav1.LabelSelector, tmpl *corev1.PodTemplateSpec, spec lazyPath, opts podOpts) field.ErrorList {
	var errs field.ErrorList
	if sel == nil {
		errs = append(errs, field.Required(spec().Child("selector"), ""))
	} else {
		matches, simple := selectorMatches(sel, tmpl.Labels)
		if !simple {
			errs = append(errs, labelSelector(sel, func() *field.Path { return spec().Child("selector") })...)
		}
		if len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
			errs = append(errs, field.Invalid(spec().Child("selector"), sel, "empty selector is invalid for deployment"))
		}
		if !simple {
			s, err := metav1.LabelSelectorAsSelector(sel)
			matches = err != nil || s.Empty() || s.Matches(labels.Set(tmpl.Labels))
		}
		if !matches {
			errs = append(errs, field.Invalid(spec().Child("template", "metadata", "labels"), tmpl.Labels, "`selector` does not match template `labels`"))
		}
	}
	errs = append(errs, validateTemplate(tmpl, func() *field.Path { return spec().Child("template") }, opts)...)
	if p := tmpl.Spec.RestartPolicy; p != "" && p != corev1.RestartPolicyAlways {
		errs = append(errs, field.NotSupported(spec().Child("template", "spec", "restartPolicy"), p, []string{"Always"}))
	}
	return errs
}

func validateDeploymentStrategy(s *appsv1.DeploymentStrategy, p lazyPath) field.ErrorList {
	var errs field.ErrorList
	switch s.Type {
	case "", appsv1.RollingUpdateDeploymentStrategyType:
		if ru := s.RollingUpdate; ru != nil {
			errs = append(errs, intOrPercent(ru.MaxUnavailable, func() *field.Path { return p().Child("rollingUpdate", "maxUnavailable") })...)
			errs = append(errs, intOrPercent(ru.MaxSurge, func() *field.Path { return p().Child("rollingUpdate", "maxSurge") })...)
			if isZero(ru.MaxUnavailable) && isZero(ru.MaxSurge) {
				errs = append(errs, field.Invalid(p().Child("rollingUpdate", "maxUnavailable"), ru.MaxUnavailable.String(), "may not be 0 when `maxSurge` is 0"))
			}
		}
	case appsv1.RecreateDeploymentStrategyType:
		if s.RollingUpdate != nil {
			errs = append(errs, field.Forbidden(p().Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"))
		}
	default:
		errs = append(errs, field.NotSupported(p().Child("type"), s.Type, []string{"Recreate", "RollingUpdate"}))
	}
	return errs
}

func isZero(v *intstr.IntOrString) bool {
	if v == nil {
		return false
	}
	if v.Type == intstr.Int {
		return v.IntVal == 0
	}
	s := strings.TrimSuffix(v.StrVal, "%")
	n, err := strconv.Atoi(s)
	return err == nil && n == 0
}

// intOrPercent is ValidatePositiveIntOrPercent.
func intOrPercent(v *intstr.IntOrString, p lazyPath) field.ErrorList {
	if v == nil {
		return nil
	}
	if v.Type == intstr.String {
		if msgs := percent(v.StrVal); len(msgs) > 0 {
			return field.ErrorList{field.Invalid(p(), v.StrVal, strings.Join(msgs, ", "))}
		}
		return nil
	}
	if v.IntVal < 0 {
		return field.ErrorList{field.Invalid(p(), v.IntVal, "must be greater than or equal to 0")}
	}
	return nil
}

type podOpts struct {
	// restart lists the allowed restart policies; empty means any of
	// Always, OnFailure, Never.
	restart []string
	// volumes are names containers may mount besides the pod's volumes
	// (a StatefulSet's volume claim templates).
	volumes map[string]bool
}

func validateTemplate(t *corev1.PodTemplateSpec, p lazyPath, opts podOpts) field.ErrorList {
	var errs field.ErrorList
	if !labelsValid(t.Labels) {
		errs = metavalidation.ValidateLabels(t.Labels, p().Child("metadata", "labels"))
	}
	if !annotationsValid(t.Annotations) {
		errs = append(errs, apimachineryvalidation.ValidateAnnotations(t.Annotations, p().Child("metadata", "annotations"))...)
	}
	return append(errs, validatePodSpec(&t.Spec, func() *field.Path { return p().Child("spec") }, opts)...)
}

var (
	restartPolicies = []string{"Always", "OnFailure", "Never"}
	pullPolicies    = sets.New("Always", "IfNotPresent", "Never")
	protocols       = sets.New("TCP", "UDP", "SCTP")
	dnsPolicies     = sets.New("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
)

// validatePodSpec is the common part of ValidatePodSpec.
func validatePodSpec(s *corev1.PodSpec, p lazyPath, opts podOpts) field.ErrorList {
	var errs field.ErrorList
	volumes := map[string]bool{}
	for name := range opts.volumes {
		volumes[name] = true
	}
	for i, v := range s.Volumes {
		vp := func() *field.Path { return p().Child("volumes").Index(i) }
		if v.Name == "" {
			errs = append(errs, field.Required(vp().Child("name"), ""))
			continue
		}
		errs = append(errs, dns1123Label(v.Name, func() *field.Path { return vp().Child("name") })...)
		if volumes[v.Name] {
			errs = append(errs, field.Duplicate(vp().Child("name"), v.Name))
		}
		volumes[v.Name] = true
		errs = append(errs, validateVolumeSource(&v.VolumeSource, vp)...)
	}
	if len(s.Containers) == 0 {
		errs = append(errs, field.Required(p().Child("containers"), ""))
	}
	names := map[string]bool{}
	// terminationGracePeriodSeconds defaults to 30 before validation.
	grace := int64(30)
	if s.TerminationGracePeriodSeconds != nil {
		grace = *s.TerminationGracePeriodSeconds
	}
	for i := range s.InitContainers {
		errs = append(errs, validateContainer(&s.InitContainers[i], func() *field.Path { return p().Child("initContainers").Index(i) }, volumes, names, true, grace)...)
	}
	for i := range s.Containers {
		errs = append(errs, validateContainer(&s.Containers[i], func() *field.Path { return p().Child("containers").Index(i) }, volumes, names, false, grace)...)
	}
	allowed := opts.restart
	if allowed == nil {
		allowed = restartPolicies
	}
	rp := string(s.RestartPolicy)
	if rp == "" {
		rp = "Always" // the default
	}
	ok := false
	for _, a := range allowed {
		ok = ok || a == rp
	}
	if !ok {
		if s.RestartPolicy == "" && opts.restart != nil {
			errs = append(errs, field.Required(p().Child("restartPolicy"), "the default Always is not allowed here: set one of "+strings.Join(allowed, ", ")))
		} else {
			errs = append(errs, field.NotSupported(p().Child("restartPolicy"), s.RestartPolicy, allowed))
		}
	}
	if s.DNSPolicy != "" && !dnsPolicies.Has(string(s.DNSPolicy)) {
		errs = append(errs, field.NotSupported(p().Child("dnsPolicy"), s.DNSPolicy, sets.List(dnsPolicies)))
	}
	if !labelsValid(s.NodeSelector) {
		errs = append(errs, metavalidation.ValidateLabels(s.NodeSelector, p().Child("nodeSelector"))...)
	}
	if s.ServiceAccountName != "" {
		for _, msg := range subdomainName(s.ServiceAccountName) {
			errs = append(errs, field.Invalid(p().Child("serviceAccountName"), s.ServiceAccountName, msg))
		}
	}
	if s.Hostname != "" {
		errs = append(errs, dns1123Label(s.Hostname, func() *field.Path { return p().Child("hostname") })...)
	}
	if s.Subdomain != "" {
		errs = append(errs, dns1123Label(s.Subdomain, func() *field.Path { return p().Child("subdomain") })...)
	}
	// A negative terminationGracePeriodSeconds is set to 1 by the server,
	// with a warning: not an error.
	if s.ActiveDeadlineSeconds != nil && *s.ActiveDeadlineSeconds <= 0 {
		errs = append(errs, field.Invalid(p().Child("activeDeadlineSeconds"), *s.ActiveDeadlineSeconds, "must be between 1 and 2147483647, inclusive"))
	}
	for i, t := range s.Tolerations {
		errs = append(errs, validateToleration(&t, p().Child("tolerations").Index(i))...)
	}
	if sc := s.SecurityContext; sc != nil {
		sp := func() *field.Path { return p().Child("securityContext") }
		errs = append(errs, userID(sc.RunAsUser, func() *field.Path { return sp().Child("runAsUser") })...)
		errs = append(errs, groupID(sc.RunAsGroup, func() *field.Path { return sp().Child("runAsGroup") })...)
		errs = append(errs, groupID(sc.FSGroup, func() *field.Path { return sp().Child("fsGroup") })...)
		for i, g := range sc.SupplementalGroups {
			errs = append(errs, groupID(&g, func() *field.Path { return sp().Child("supplementalGroups").Index(i) })...)
		}
	}
	if a := s.Affinity; a != nil {
		errs = append(errs, validateAffinity(a, p().Child("affinity"))...)
	}
	for i, c := range s.TopologySpreadConstraints {
		cp := func() *field.Path { return p().Child("topologySpreadConstraints").Index(i) }
		if c.MaxSkew <= 0 {
			errs = append(errs, field.Invalid(cp().Child("maxSkew"), c.MaxSkew, "must be greater than zero"))
		}
		switch c.WhenUnsatisfiable {
		case corev1.DoNotSchedule, corev1.ScheduleAnyway:
		case "":
			errs = append(errs, field.Required(cp().Child("whenUnsatisfiable"), ""))
		default:
			errs = append(errs, field.NotSupported(cp().Child("whenUnsatisfiable"), c.WhenUnsatisfiable, []string{"DoNotSchedule", "ScheduleAnyway"}))
		}
		if c.TopologyKey == "" {
			errs = append(errs, field.Required(cp().Child("topologyKey"), "can not be empty"))
		} else {
			errs = append(errs, labelName(c.TopologyKey, func() *field.Path { return cp().Child("topologyKey") })...)
		}
		if c.LabelSelector != nil {
			errs = append(errs, labelSelector(c.LabelSelector, func() *field.Path { return cp().Child("labelSelector") })...)
		}
	}
	return errs
}

// userID and groupID are IsValidUserID and IsValidGroupID on an optional
// ID.
func userID(id *int64, p lazyPath) field.ErrorList  { return validID(id, p, validation.IsValidUserID) }
func groupID(id *int64, p lazyPath) field.ErrorList { return validID(id, p, validation.IsValidGroupID) }

func validID(id *int64, p lazyPath, valid func(int64) []string) field.ErrorList {
	if id == nil {
		return nil
	}
	var errs field.ErrorList
	for _, msg := range valid(*id) {
		errs = append(errs, field.Invalid(p(), *id, msg))
	}
	return errs
}

var nodeSelectorOps = sets.New("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")

// validateAffinity is the common part of validateAffinity: node selector
// operators and their values, weights of preferred terms, topology keys.
func validateAffinity(a *corev1.Affinity, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	term := func(t *corev1.NodeSelectorTerm, tp *field.Path) {
		for i, r := range t.MatchExpressions {
			rp := tp.Child("matchExpressions").Index(i)
			errs = append(errs, labelName(r.Key, func() *field.Path { return rp.Child("key") })...)
			switch {
			case !nodeSelectorOps.Has(string(r.Operator)):
				errs = append(errs, field.Invalid(rp.Child("operator"), r.Operator, "not a valid selector operator"))
			case (r.Operator == corev1.NodeSelectorOpIn || r.Operator == corev1.NodeSelectorOpNotIn) && len(r.Values) == 0:
				errs = append(errs, field.Required(rp.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
			case (r.Operator == corev1.NodeSelectorOpExists || r.Operator == corev1.NodeSelectorOpDoesNotExist) && len(r.Values) > 0:
				errs = append(errs, field.Forbidden(rp.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
			case (r.Operator == corev1.NodeSelectorOpGt || r.Operator == corev1.NodeSelectorOpLt) && len(r.Values) != 1:
				errs = append(errs, field.Required(rp.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"))
			}
		}
	}
	weight := func(w int32, wp *field.Path) {
		if w < 1 || w > 100 {
			errs = append(errs, field.Invalid(wp, w, "must be in the range 1-100"))
		}
	}
	if na := a.NodeAffinity; na != nil {
		np := p.Child("nodeAffinity")
		if r := na.RequiredDuringSchedulingIgnoredDuringExecution; r != nil {
			rp := np.Child("requiredDuringSchedulingIgnoredDuringExecution")
			if len(r.NodeSelectorTerms) == 0 {
				errs = append(errs, field.Required(rp.Child("nodeSelectorTerms"), "must have at least one node selector term"))
			}
			for i := range r.NodeSelectorTerms {
				term(&r.NodeSelectorTerms[i], rp.Child("nodeSelectorTerms").Index(i))
			}
		}
		for i := range na.PreferredDuringSchedulingIgnoredDuringExecution {
			t := &na.PreferredDuringSchedulingIgnoredDuringExecution[i]
			tp := np.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i)
			weight(t.Weight, tp.Child("weight"))
			term(&t.Preference, tp.Child("preference"))
		}
	}
	podTerm := func(t *corev1.PodAffinityTerm, tp *field.Path) {
		if t.TopologyKey == "" {
			errs = append(errs, field.Required(tp.Child("topologyKey"), "can not be empty"))
		} else {
			errs = append(errs, labelName(t.TopologyKey, func() *field.Path { return tp.Child("topologyKey") })...)
		}
		if t.LabelSelector != nil {
			errs = append(errs, labelSelector(t.LabelSelector, func() *field.Path { return tp.Child("labelSelector") })...)
		}
	}
	// PodAffinity and PodAntiAffinity have the same fields.
	podTerms := func(required []corev1.PodAffinityTerm, preferred []corev1.WeightedPodAffinityTerm, pp *field.Path) {
		for i := range required {
			podTerm(&required[i], pp.Child("requiredDuringSchedulingIgnoredDuringExecution").Index(i))
		}
		for i := range preferred {
			t := &preferred[i]
			tp := pp.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i)
			weight(t.Weight, tp.Child("weight"))
			podTerm(&t.PodAffinityTerm, tp.Child("podAffinityTerm"))
		}
	}
	if pa := a.PodAffinity; pa != nil {
		podTerms(pa.RequiredDuringSchedulingIgnoredDuringExecution, pa.PreferredDuringSchedulingIgnoredDuringExecution, p.Child("podAffinity"))
	}
	if pa := a.PodAntiAffinity; pa != nil {
		podTerms(pa.RequiredDuringSchedulingIgnoredDuringExecution, pa.PreferredDuringSchedulingIgnoredDuringExecution, p.Child("podAntiAffinity"))
	}
	return errs
}

func validateToleration(t *corev1.Toleration, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if t.Key != "" {
		errs = append(errs, labelName(t.Key, func() *field.Path { return p.Child("key") })...)
	}
	switch t.Operator {
	case "", corev1.TolerationOpEqual:
		if t.Key == "" && t.Operator == corev1.TolerationOpEqual {
			errs = append(errs, field.Invalid(p.Child("operator"), t.Operator, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
		}
		for _, msg := range validation.IsValidLabelValue(t.Value) {
			errs = append(errs, field.Invalid(p.Child("value"), t.Value, msg))
		}
	case corev1.TolerationOpExists:
		if t.Value != "" {
			errs = append(errs, field.Invalid(p.Child("operator"), t, "value must be empty when `operator` is 'Exists'"))
		}
	default:
		errs = append(errs, field.NotSupported(p.Child("operator"), t.Operator, []string{"Equal", "Exists"}))
	}
	switch t.Effect {
	case "", corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute:
	default:
		errs = append(errs, field.NotSupported(p.Child("effect"), t.Effect, []string{"NoExecute", "NoSchedule", "PreferNoSchedule"}))
	}
	return errs
}

// validateVolumeSource checks that a volume has at most one source and
// the references of the common sources (an empty one defaults to
// emptyDir).
func validateVolumeSource(v *corev1.VolumeSource, p lazyPath) field.ErrorList {
	var errs field.ErrorList
	n := 0
	for _, set := range []bool{v.HostPath != nil, v.EmptyDir != nil, v.GCEPersistentDisk != nil, v.AWSElasticBlockStore != nil, v.GitRepo != nil, v.Secret != nil, v.NFS != nil, v.ISCSI != nil, v.Glusterfs != nil, v.PersistentVolumeClaim != nil, v.RBD != nil, v.FlexVolume != nil, v.Cinder != nil, v.CephFS != nil, v.Flocker != nil, v.DownwardAPI != nil, v.FC != nil, v.AzureFile != nil, v.ConfigMap != nil, v.VsphereVolume != nil, v.Quobyte != nil, v.AzureDisk != nil, v.PhotonPersistentDisk != nil, v.Projected != nil, v.PortworxVolume != nil, v.ScaleIO != nil, v.StorageOS != nil, v.CSI != nil, v.Ephemeral != nil, v.Image != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		errs = append(errs, field.Forbidden(p(), "may not specify more than 1 volume type"))
	}
	if v.ConfigMap != nil && v.ConfigMap.Name == "" {
		errs = append(errs, field.Required(p().Child("configMap", "name"), ""))
	}
	if v.Secret != nil && v.Secret.SecretName == "" {
		errs = append(errs, field.Required(p().Child("secret", "secretName"), ""))
	}
	if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == "" {
		errs = append(errs, field.Required(p().Child("persistentVolumeClaim", "claimName"), ""))
	}
	if v.HostPath != nil && v.HostPath.Path == "" {
		errs = append(errs, field.Required(p().Child("hostPath", "path"), ""))
	}
	if v.EmptyDir != nil && v.EmptyDir.SizeLimit != nil && v.EmptyDir.SizeLimit.Sign() < 0 {
		errs = append(errs, field.Invalid(p().Child("emptyDir", "sizeLimit"), v.EmptyDir.SizeLimit.String(), "must be greater than or equal to 0"))
	}
	return errs
}

func validateContainer(c *corev1.Container, p lazyPath, volumes, names map[string]bool, init bool, grace int64) field.ErrorList {
	var errs field.ErrorList
	if c.Name == "" {
		errs = append(errs, field.Required(p().Child("name"), ""))
	} else {
		errs = append(errs, dns1123Label(c.Name, func() *field.Path { return p().Child("name") })...)
		if names[c.Name] {
			errs = append(errs, field.Duplicate(p().Child("name"), c.Name))
		}
		names[c.Name] = true
	}
	if c.Image == "" {
		errs = append(errs, field.Required(p().Child("image"), ""))
	}
	if c.ImagePullPolicy != "" && !pullPolicies.Has(string(c.ImagePullPolicy)) {
		errs = append(errs, field.NotSupported(p().Child("imagePullPolicy"), c.ImagePullPolicy, sets.List(pullPolicies)))
	}
	switch c.TerminationMessagePolicy {
	case "", corev1.TerminationMessageReadFile, corev1.TerminationMessageFallbackToLogsOnError:
	default:
		errs = append(errs, field.NotSupported(p().Child("terminationMessagePolicy"), c.TerminationMessagePolicy, []string{"FallbackToLogsOnError", "File"}))
	}
	// validateContainerPorts
	portNames := map[string]bool{}
	for i, port := range c.Ports {
		pp := func() *field.Path { return p().Child("ports").Index(i) }
		if port.Name != "" {
			if msgs := portName(port.Name); len(msgs) > 0 {
				for _, msg := range msgs {
					errs = append(errs, field.Invalid(pp().Child("name"), port.Name, msg))
				}
			} else if portNames[port.Name] {
				errs = append(errs, field.Duplicate(pp().Child("name"), port.Name))
			}
			portNames[port.Name] = true
		}
		if port.ContainerPort == 0 {
			errs = append(errs, field.Required(pp().Child("containerPort"), ""))
		} else {
			for _, msg := range validation.IsValidPortNum(int(port.ContainerPort)) {
				errs = append(errs, field.Invalid(pp().Child("containerPort"), port.ContainerPort, msg))
			}
		}
		if port.HostPort != 0 {
			for _, msg := range validation.IsValidPortNum(int(port.HostPort)) {
				errs = append(errs, field.Invalid(pp().Child("hostPort"), port.HostPort, msg))
			}
		}
		if port.Protocol != "" && !protocols.Has(string(port.Protocol)) {
			errs = append(errs, field.NotSupported(pp().Child("protocol"), port.Protocol, sets.List(protocols)))
		}
	}
	// ValidateEnv, with the relaxed names of 1.34 and later
	// (RelaxedEnvironmentVariableValidation is on by default).
	for i, e := range c.Env {
		ep := func() *field.Path { return p().Child("env").Index(i) }
		if e.Name == "" {
			errs = append(errs, field.Required(ep().Child("name"), ""))
		} else {
			for _, msg := range validation.IsRelaxedEnvVarName(e.Name) {
				errs = append(errs, field.Invalid(ep().Child("name"), e.Name, msg))
			}
		}
		if vf := e.ValueFrom; vf != nil {
			n := 0
			for _, set := range []bool{vf.FieldRef != nil, vf.ResourceFieldRef != nil, vf.ConfigMapKeyRef != nil, vf.SecretKeyRef != nil, vf.FileKeyRef != nil} {
				if set {
					n++
				}
			}
			switch {
			case n == 0:
				errs = append(errs, field.Invalid(ep().Child("valueFrom"), "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
			case n > 1:
				errs = append(errs, field.Invalid(ep(), "", "may not have more than one field specified at a time"))
			}
			if e.Value != "" && n > 0 {
				errs = append(errs, field.Invalid(ep().Child("valueFrom"), "", "may not be specified when `value` is not empty"))
			}
			if r := vf.FieldRef; r != nil {
				errs = append(errs, validateFieldRef(r, ep().Child("valueFrom", "fieldRef"))...)
			}
			if r := vf.SecretKeyRef; r != nil {
				if r.Key == "" {
					errs = append(errs, field.Required(ep().Child("valueFrom", "secretKeyRef", "key"), ""))
				}
				if r.Name == "" {
					errs = append(errs, field.Required(ep().Child("valueFrom", "secretKeyRef", "name"), ""))
				}
			}
			if r := vf.ConfigMapKeyRef; r != nil {
				if r.Key == "" {
					errs = append(errs, field.Required(ep().Child("valueFrom", "configMapKeyRef", "key"), ""))
				}
				if r.Name == "" {
					errs = append(errs, field.Required(ep().Child("valueFrom", "configMapKeyRef", "name"), ""))
				}
			}
		}
	}
	// ValidateVolumeMounts
	mountPaths := map[string]bool{}
	for i, m := range c.VolumeMounts {
		mp := func() *field.Path { return p().Child("volumeMounts").Index(i) }
		if m.Name == "" {
			errs = append(errs, field.Required(mp().Child("name"), ""))
		} else if !volumes[m.Name] {
			errs = append(errs, field.NotFound(mp().Child("name"), m.Name))
		}
		if m.MountPath == "" {
			errs = append(errs, field.Required(mp().Child("mountPath"), ""))
		} else if mountPaths[m.MountPath] {
			errs = append(errs, field.Invalid(mp().Child("mountPath"), m.MountPath, "must be unique"))
		}
		mountPaths[m.MountPath] = true
	}
	errs = append(errs, validateResources(&c.Resources, func() *field.Path { return p().Child("resources") })...)
	if lc := c.Lifecycle; lc != nil {
		if lc.PostStart != nil {
			errs = append(errs, validateLifecycleHandler(lc.PostStart, grace, func() *field.Path { return p().Child("lifecycle", "postStart") })...)
		}
		if lc.PreStop != nil {
			errs = append(errs, validateLifecycleHandler(lc.PreStop, grace, func() *field.Path { return p().Child("lifecycle", "preStop") })...)
		}
	}
	if sc := c.SecurityContext; sc != nil {
		errs = append(errs, userID(sc.RunAsUser, func() *field.Path { return p().Child("securityContext", "runAsUser") })...)
		errs = append(errs, groupID(sc.RunAsGroup, func() *field.Path { return p().Child("securityContext", "runAsGroup") })...)
	}
	for _, pr := range []struct {
		probe *corev1.Probe
		name  string
	}{{c.LivenessProbe, "livenessProbe"}, {c.ReadinessProbe, "readinessProbe"}, {c.StartupProbe, "startupProbe"}} {
		if pr.probe == nil {
			continue
		}
		if init && c.RestartPolicy == nil {
			continue // init-container-probe's (workload)
		}
		errs = append(errs, validateProbe(pr.probe, pr.name != "readinessProbe", func() *field.Path { return p().Child(pr.name) })...)
	}
	return errs
}

// validateProbe is validateProbe and validateHandler: exactly one handler,
// valid ports, and successThreshold 1 for liveness and startup probes.
func validateProbe(pr *corev1.Probe, mustSucceedOnce bool, p lazyPath) field.ErrorList {
	var errs field.ErrorList
	h := &pr.ProbeHandler
	n := 0
	if h.Exec != nil {
		n++
		if len(h.Exec.Command) == 0 {
			errs = append(errs, field.Required(p().Child("exec", "command"), ""))
		}
	}
	if h.HTTPGet != nil {
		n++
		errs = append(errs, portNumOrName(h.HTTPGet.Port, func() *field.Path { return p().Child("httpGet", "port") })...)
		switch h.HTTPGet.Scheme {
		case "", corev1.URISchemeHTTP, corev1.URISchemeHTTPS:
		default:
			errs = append(errs, field.NotSupported(p().Child("httpGet", "scheme"), h.HTTPGet.Scheme, []string{"HTTP", "HTTPS"}))
		}
	}
	if h.TCPSocket != nil {
		n++
		errs = append(errs, portNumOrName(h.TCPSocket.Port, func() *field.Path { return p().Child("tcpSocket", "port") })...)
	}
	if h.GRPC != nil {
		n++
		for _, msg := range validation.IsValidPortNum(int(h.GRPC.Port)) {
			errs = append(errs, field.Invalid(p().Child("grpc", "port"), h.GRPC.Port, msg))
		}
	}
	switch {
	case n == 0:
		errs = append(errs, field.Required(p(), "must specify a handler type"))
	case n > 1:
		errs = append(errs, field.Forbidden(p(), "may not specify more than 1 handler type"))
	}
	for _, f := range []struct {
		v    int32
		name string
	}{{pr.InitialDelaySeconds, "initialDelaySeconds"}, {pr.TimeoutSeconds, "timeoutSeconds"}, {pr.PeriodSeconds, "periodSeconds"}, {pr.SuccessThreshold, "successThreshold"}, {pr.FailureThreshold, "failureThreshold"}} {
		if f.v < 0 {
			errs = append(errs, field.Invalid(p().Child(f.name), f.v, "must be greater than or equal to 0"))
		}
	}
	if mustSucceedOnce && pr.SuccessThreshold > 1 {
		errs = append(errs, field.Invalid(p().Child("successThreshold"), pr.SuccessThreshold, "must be 1"))
	}
	return errs
}

// validateLifecycleHandler is validateHandler for postStart and preStop:
// exactly one handler, and a sleep within the grace period.
func validateLifecycleHandler(h *corev1.LifecycleHandler, grace int64, p lazyPath) field.ErrorList {
	var errs field.ErrorList
	n := 0
	if h.Exec != nil {
		n++
		if len(h.Exec.Command) == 0 {
			errs = append(errs, field.Required(p().Child("exec", "command"), ""))
		}
	}
	if h.HTTPGet != nil {
		n++
		errs = append(errs, portNumOrName(h.HTTPGet.Port, func() *field.Path { return p().Child("httpGet", "port") })...)
	}
	if h.TCPSocket != nil {
		n++
		errs = append(errs, portNumOrName(h.TCPSocket.Port, func() *field.Path { return p().Child("tcpSocket", "port") })...)
	}
	if h.Sleep != nil {
		n++
		if h.Sleep.Seconds < 0 || h.Sleep.Seconds > grace {
			errs = append(errs, field.Invalid(p().Child("sleep"), h.Sleep.Seconds, fmt.Sprintf("must be non-negative and less than terminationGracePeriodSeconds (%d)", grace)))
		}
	}
	switch {
	case n == 0:
		errs = append(errs, field.Required(p(), "must specify a handler type"))
	case n > 1:
		errs = append(errs, field.Forbidden(p(), "may not specify more than 1 handler type"))
	}
	return errs
}

var envFieldPaths = sets.New("metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs")

// validateFieldRef is validateObjectFieldSelector for env vars: the
// fields the downward API gives, or a label or annotation by key.
func validateFieldRef(r *corev1.ObjectFieldSelector, p *field.Path) field.ErrorList {
	if r.FieldPath == "" {
		return field.ErrorList{field.Required(p.Child("fieldPath"), "")}
	}
	if r.APIVersion != "" && r.APIVersion != "v1" {
		return field.ErrorList{field.Invalid(p.Child("fieldPath"), r.FieldPath, fmt.Sprintf("error converting fieldPath: unsupported pod version: %s", r.APIVersion))}
	}
	path, subscript, ok := strings.Cut(r.FieldPath, "[")
	if ok {
		key := strings.TrimSuffix(subscript, "]")
		if len(key) < 2 || key[0] != '\'' || key[len(key)-1] != '\'' || !strings.HasSuffix(subscript, "]") {
			return field.ErrorList{field.Invalid(p.Child("fieldPath"), r.FieldPath, "error converting fieldPath: field label not supported: "+r.FieldPath)}
		}
		key = key[1 : len(key)-1]
		var errs field.ErrorList
		switch path {
		case "metadata.annotations":
			key = strings.ToLower(key)
		case "metadata.labels":
		default:
			return field.ErrorList{field.Invalid(p.Child("fieldPath"), r.FieldPath, "error converting fieldPath: field label not supported: "+r.FieldPath)}
		}
		for _, msg := range validation.IsQualifiedName(key) {
			errs = append(errs, field.Invalid(p, key, msg))
		}
		return errs
	}
	if !envFieldPaths.Has(path) {
		return field.ErrorList{field.NotSupported(p.Child("fieldPath"), path, sets.List(envFieldPaths))}
	}
	return nil
}

func portNumOrName(v intstr.IntOrString, p lazyPath) field.ErrorList {
	var msgs []string
	if v.Type == intstr.Int {
		msgs = validation.IsValidPortNum(int(v.IntVal))
	} else {
		msgs = portName(v.StrVal)
	}
	var errs field.ErrorList
	for _, m := range msgs {
		errs = append(errs, field.Invalid(p(), v.String(), m))
	}
	return errs
}

// validateResources is ValidateContainerResourceRequirements: standard or
// qualified resource names, non-negative quantities, whole numbers for
// resources other than CPU and memory, limits for extended resources.
func validateResources(r *corev1.ResourceRequirements, p lazyPath) field.ErrorList {
	var errs field.ErrorList
	check := func(list corev1.ResourceList, kind string) {
		for name, q := range list {
			np := func() *field.Path { return p().Child(kind).Key(string(name)) }
			errs = append(errs, validateResourceName(string(name), np)...)
			if q.Sign() < 0 {
				errs = append(errs, field.Invalid(np(), q.String(), "must be greater than or equal to 0"))
			}
			if name == corev1.ResourceMemory || name == corev1.ResourceEphemeralStorage || strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix) {
				continue
			}
			if name != corev1.ResourceCPU && !isInteger(q) {
				errs = append(errs, field.Invalid(np(), q.String(), "must be an integer"))
			}
		}
	}
	check(r.Limits, "limits")
	check(r.Requests, "requests")
	// Requests above their limits are requests-exceed-limits' (workload).
	for name := range r.Requests {
		if _, ok := r.Limits[name]; ok {
			continue
		}
		if name != corev1.ResourceCPU && name != corev1.ResourceMemory && name != corev1.ResourceEphemeralStorage && !strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix) && strings.Contains(string(name), "/") && !strings.HasPrefix(string(name), "kubernetes.io/") {
			// Extended resources cannot be overcommitted.
			errs = append(errs, field.Required(p().Child("limits").Key(string(name)), "Limit must be set for non overcommitable resources"))
		}
	}
	return errs
}

func isInteger(q resource.Quantity) bool { return q.MilliValue()%1000 == 0 }

var standardResources = sets.New("cpu", "memory", "ephemeral-storage", "storage", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory")

// validateResourceName is validateContainerResourceName: a standard name,
// hugepages-<size>, or a name qualified with a domain.
func validateResourceName(name string, lp lazyPath) field.ErrorList {
	if standardResources.Has(name) || strings.HasPrefix(name, corev1.ResourceHugePagesPrefix) {
		return nil
	}
	p := lp()
	var errs field.ErrorList
	for _, msg := range validation.IsQualifiedName(name) {
		errs = append(errs, field.Invalid(p, name, msg))
	}
	if len(errs) == 0 && !strings.Contains(name, "/") {
		errs = append(errs, field.Invalid(p, name, "must be a standard resource for containers"))
	}
	return errs
}

func validateJobSpec(s *batchv1.JobSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, nonNegative(s.Parallelism, func() *field.Path { return p.Child("parallelism") })...)
	errs = append(errs, nonNegative(s.Completions, func() *field.Path { return p.Child("completions") })...)
	errs = append(errs, nonNegative(s.BackoffLimit, func() *field.Path { return p.Child("backoffLimit") })...)
	if s.ActiveDeadlineSeconds != nil && *s.ActiveDeadlineSeconds < 0 {
		errs = append(errs, field.Invalid(p.Child("activeDeadlineSeconds"), *s.ActiveDeadlineSeconds, "must be greater than or equal to 0"))
	}
	if s.ManualSelector != nil && *s.ManualSelector && s.Selector == nil {
		errs = append(errs, field.Required(p.Child("selector"), ""))
	}
	if s.Selector != nil && (s.ManualSelector == nil || !*s.ManualSelector) {
		// The server generates the selector: one written without
		// manualSelector is rejected (batch/validation validateJobSpec
		// through the generated selector's mismatch).
		errs = append(errs, field.Invalid(p.Child("selector"), s.Selector, "`selector` not auto-generated: set manualSelector: true or remove the selector"))
	}
	switch s.CompletionMode {
	case nil:
	default:
		if m := *s.CompletionMode; m != batchv1.NonIndexedCompletion && m != batchv1.IndexedCompletion {
			errs = append(errs, field.NotSupported(p.Child("completionMode"), m, []string{"Indexed", "NonIndexed"}))
		}
	}
	errs = append(errs, validateTemplate(&s.Template, func() *field.Path { return p.Child("template") }, podOpts{restart: []string{"OnFailure", "Never"}})...)
	return errs
}

func validateCronJob(c *batchv1.CronJob) field.ErrorList {
	var errs field.ErrorList
	p := field.NewPath("spec")
	if c.Spec.Schedule == "" {
		errs = append(errs, field.Required(p.Child("schedule"), ""))
	} else if err := parseSchedule(c.Spec.Schedule); err != nil {
		// batch/validation validateScheduleFormat uses robfig/cron's
		// ParseStandard.
		errs = append(errs, field.Invalid(p.Child("schedule"), c.Spec.Schedule, err.Error()))
	} else if strings.Contains(c.Spec.Schedule, "TZ") {
		errs = append(errs, field.Invalid(p.Child("schedule"), c.Spec.Schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
	}
	switch c.Spec.ConcurrencyPolicy {
	case "", batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent:
	default:
		errs = append(errs, field.NotSupported(p.Child("concurrencyPolicy"), c.Spec.ConcurrencyPolicy, []string{"Allow", "Forbid", "Replace"}))
	}
	if c.Spec.StartingDeadlineSeconds != nil && *c.Spec.StartingDeadlineSeconds < 0 {
		errs = append(errs, field.Invalid(p.Child("startingDeadlineSeconds"), *c.Spec.StartingDeadlineSeconds, "must be greater than or equal to 0"))
	}
	errs = append(errs, nonNegative(c.Spec.SuccessfulJobsHistoryLimit, func() *field.Path { return p.Child("successfulJobsHistoryLimit") })...)
	errs = append(errs, nonNegative(c.Spec.FailedJobsHistoryLimit, func() *field.Path { return p.Child("failedJobsHistoryLimit") })...)
	errs = append(errs, validateJobSpec(&c.Spec.JobTemplate.Spec, p.Child("jobTemplate", "spec"))...)
	return errs
}

var serviceTypes = []string{"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}

// validateService is the common part of ValidateService.
func validateService(s *corev1.Service) field.ErrorList {
	var errs field.ErrorList
	p := func() *field.Path { return field.NewPath("spec") }
	typ := s.Spec.Type
	switch typ {
	case "", corev1.ServiceTypeClusterIP, corev1.ServiceTypeNodePort, corev1.ServiceTypeLoadBalancer, corev1.ServiceTypeExternalName:
	default:
		errs = append(errs, field.NotSupported(p().Child("type"), typ, serviceTypes))
	}
	headless := s.Spec.ClusterIP == corev1.ClusterIPNone
	if typ == corev1.ServiceTypeExternalName {
		if s.Spec.ExternalName == "" {
			errs = append(errs, field.Required(p().Child("externalName"), ""))
		} else {
			name := strings.TrimSuffix(s.Spec.ExternalName, ".")
			for _, msg := range subdomain(name) {
				errs = append(errs, field.Invalid(p().Child("externalName"), s.Spec.ExternalName, msg))
			}
		}
	} else if len(s.Spec.Ports) == 0 && !headless {
		errs = append(errs, field.Required(p().Child("ports"), ""))
	}
	if (typ == corev1.ServiceTypeNodePort || typ == corev1.ServiceTypeLoadBalancer) && headless {
		errs = append(errs, field.Invalid(p().Child("clusterIPs").Index(0), "None", "may not be set to 'None' for LoadBalancer or NodePort services"))
	}
	names := map[string]bool{}
	for i, port := range s.Spec.Ports {
		pp := func() *field.Path { return p().Child("ports").Index(i) }
		if len(s.Spec.Ports) > 1 && port.Name == "" {
			errs = append(errs, field.Required(pp().Child("name"), ""))
		} else if port.Name != "" {
			errs = append(errs, dns1123Label(port.Name, func() *field.Path { return pp().Child("name") })...)
			if names[port.Name] {
				errs = append(errs, field.Duplicate(pp().Child("name"), port.Name))
			}
			names[port.Name] = true
		}
		for _, msg := range validation.IsValidPortNum(int(port.Port)) {
			errs = append(errs, field.Invalid(pp().Child("port"), port.Port, msg))
		}
		if port.Protocol != "" && !protocols.Has(string(port.Protocol)) {
			errs = append(errs, field.NotSupported(pp().Child("protocol"), port.Protocol, sets.List(protocols)))
		}
		if port.TargetPort.Type == intstr.Int && port.TargetPort.IntVal != 0 || port.TargetPort.Type == intstr.String && port.TargetPort.StrVal != "" {
			errs = append(errs, portNumOrName(port.TargetPort, func() *field.Path { return pp().Child("targetPort") })...)
		}
		if port.NodePort != 0 {
			if typ != corev1.ServiceTypeNodePort && typ != corev1.ServiceTypeLoadBalancer {
				errs = append(errs, field.Forbidden(pp().Child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
			} else if port.NodePort < 30000 || port.NodePort > 32767 {
				// The default --service-node-port-range; a cluster may set
				// another.
				errs = append(errs, field.Invalid(pp().Child("nodePort"), port.NodePort, "provided port is not in the valid range. The range of valid ports is 30000-32767"))
			}
		}
	}
	if !labelsValid(s.Spec.Selector) {
		errs = append(errs, metavalidation.ValidateLabels(s.Spec.Selector, p().Child("selector"))...)
	}
	switch s.Spec.SessionAffinity {
	case "", corev1.ServiceAffinityNone, corev1.ServiceAffinityClientIP:
	default:
		errs = append(errs, field.NotSupported(p().Child("sessionAffinity"), s.Spec.SessionAffinity, []string{"ClientIP", "None"}))
	}
	if tp := s.Spec.ExternalTrafficPolicy; tp != "" {
		if tp != corev1.ServiceExternalTrafficPolicyCluster && tp != corev1.ServiceExternalTrafficPolicyLocal {
			errs = append(errs, field.NotSupported(p().Child("externalTrafficPolicy"), tp, []string{"Cluster", "Local"}))
		} else if typ != corev1.ServiceTypeNodePort && typ != corev1.ServiceTypeLoadBalancer {
			errs = append(errs, field.Invalid(p().Child("externalTrafficPolicy"), tp, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"))
		}
	}
	return errs
}

// validateKeys checks the keys of a ConfigMap or Secret (IsConfigMapKey,
// no key in both maps).
func validateKeys(str map[string]string, bin map[string][]byte, sp, bp *field.Path) field.ErrorList {
	var errs field.ErrorList
	for k := range str {
		for _, msg := range configMapKey(k) {
			errs = append(errs, field.Invalid(sp.Key(k), k, msg))
		}
	}
	for k := range bin {
		for _, msg := range configMapKey(k) {
			errs = append(errs, field.Invalid(bp.Key(k), k, msg))
		}
	}
	return errs
}

var pathTypes = sets.New("Exact", "Prefix", "ImplementationSpecific")

func validateIngress(in *networkingv1.Ingress, minor int) field.ErrorList {
	// A backend names a Service: a DNS-1123 label since 1.36
	// (RelaxedServiceNameValidation), a DNS-1035 label before.
	serviceName := validation.IsDNS1035Label
	if minor >= 36 {
		serviceName = validation.IsDNS1123Label
	}
	var errs field.ErrorList
	p := field.NewPath("spec")
	backend := func(b *networkingv1.IngressBackend, bp *field.Path) {
		if b.Service != nil && b.Resource != nil {
			errs = append(errs, field.Invalid(bp, "", "cannot set both resource and service backends"))
		}
		if b.Service == nil && b.Resource == nil {
			errs = append(errs, field.Invalid(bp, "", "resource or service backend is required"))
			return
		}
		if s := b.Service; s != nil {
			if s.Name == "" {
				errs = append(errs, field.Required(bp.Child("service", "name"), ""))
			} else {
				for _, msg := range serviceName(s.Name) {
					errs = append(errs, field.Invalid(bp.Child("service", "name"), s.Name, msg))
				}
			}
			switch {
			case s.Port.Name != "" && s.Port.Number != 0:
				errs = append(errs, field.Invalid(bp.Child("service", "port"), s.Port, "cannot specify both port name and port number"))
			case s.Port.Name != "":
				for _, msg := range portName(s.Port.Name) {
					errs = append(errs, field.Invalid(bp.Child("service", "port", "name"), s.Port.Name, msg))
				}
			case s.Port.Number != 0:
				for _, msg := range validation.IsValidPortNum(int(s.Port.Number)) {
					errs = append(errs, field.Invalid(bp.Child("service", "port", "number"), s.Port.Number, msg))
				}
			default:
				errs = append(errs, field.Required(bp.Child("service", "port"), "port name or number is required"))
			}
		}
	}
	if in.Spec.DefaultBackend != nil {
		backend(in.Spec.DefaultBackend, p.Child("defaultBackend"))
	}
	if len(in.Spec.Rules) == 0 && in.Spec.DefaultBackend == nil {
		errs = append(errs, field.Invalid(p.Child("rules"), in.Spec.Rules, "either `defaultBackend` or `rules` must be specified"))
	}
	for i, r := range in.Spec.Rules {
		rp := p.Child("rules").Index(i)
		if r.Host != "" {
			var msgs []string
			if strings.HasPrefix(r.Host, "*.") {
				msgs = validation.IsWildcardDNS1123Subdomain(r.Host)
			} else {
				msgs = subdomain(r.Host)
			}
			for _, msg := range msgs {
				errs = append(errs, field.Invalid(rp.Child("host"), r.Host, msg))
			}
		}
		if r.HTTP == nil {
			continue
		}
		if len(r.HTTP.Paths) == 0 {
			errs = append(errs, field.Required(rp.Child("http", "paths"), ""))
		}
		for j, hp := range r.HTTP.Paths {
			pp := rp.Child("http", "paths").Index(j)
			if hp.PathType == nil {
				errs = append(errs, field.Required(pp.Child("pathType"), "pathType must be specified"))
			} else if !pathTypes.Has(string(*hp.PathType)) {
				errs = append(errs, field.NotSupported(pp.Child("pathType"), *hp.PathType, sets.List(pathTypes)))
			} else if *hp.PathType != networkingv1.PathTypeImplementationSpecific && !strings.HasPrefix(hp.Path, "/") {
				errs = append(errs, field.Invalid(pp.Child("path"), hp.Path, "must be an absolute path"))
			}
			if hp.Path != "" && !strings.HasPrefix(hp.Path, "/") && (hp.PathType == nil || *hp.PathType == networkingv1.PathTypeImplementationSpecific) {
				errs = append(errs, field.Invalid(pp.Child("path"), hp.Path, "must be an absolute path"))
			}
			backend(&hp.Backend, pp.Child("backend"))
		}
	}
	return errs
}

func validatePDB(pdb *policyv1.PodDisruptionBudget) field.ErrorList {
	var errs field.ErrorList
	p := field.NewPath("spec")
	if pdb.Spec.MinAvailable != nil && pdb.Spec.MaxUnavailable != nil {
		errs = append(errs, field.Invalid(p, pdb.Spec, "minAvailable and maxUnavailable cannot be both set"))
	}
	errs = append(errs, intOrPercent(pdb.Spec.MinAvailable, func() *field.Path { return p.Child("minAvailable") })...)
	errs = append(errs, intOrPercent(pdb.Spec.MaxUnavailable, func() *field.Path { return p.Child("maxUnavailable") })...)
	if pdb.Spec.Selector != nil {
		errs = append(errs, labelSelector(pdb.Spec.Selector, func() *field.Path { return p.Child("selector") })...)
	}
	return errs
}

// secretKeys are the keys each type of Secret requires
// (core/validation ValidateSecret); "|" separates alternatives.
var secretKeys = map[corev1.SecretType][]string{
	corev1.SecretTypeTLS:              {corev1.TLSCertKey, corev1.TLSPrivateKeyKey},
	corev1.SecretTypeDockerConfigJson: {corev1.DockerConfigJsonKey},
	corev1.SecretTypeDockercfg:        {corev1.DockerConfigKey},
	corev1.SecretTypeSSHAuth:          {corev1.SSHAuthPrivateKey},
	corev1.SecretTypeBasicAuth:        {corev1.BasicAuthUsernameKey + "|" + corev1.BasicAuthPasswordKey},
}

func validateSecretType(s *corev1.Secret) field.ErrorList {
	var errs field.ErrorList
	has := func(k string) bool {
		_, inData := s.Data[k]
		_, inString := s.StringData[k]
		return inData || inString
	}
	for _, want := range secretKeys[s.Type] {
		found := false
		for _, k := range strings.Split(want, "|") {
			found = found || has(k)
		}
		if !found {
			k, _, _ := strings.Cut(want, "|")
			errs = append(errs, field.Required(field.NewPath("data").Key(k), fmt.Sprintf("a Secret of type %s needs it (in data or stringData)", s.Type)))
		}
	}
	if s.Type == corev1.SecretTypeServiceAccountToken && s.Annotations[corev1.ServiceAccountNameKey] == "" {
		errs = append(errs, field.Required(field.NewPath("metadata", "annotations").Key(corev1.ServiceAccountNameKey), ""))
	}
	return errs
}

var accessModes = sets.New("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")

// validatePVCSpec is the common part of ValidatePersistentVolumeClaimSpec.
func validatePVCSpec(s *corev1.PersistentVolumeClaimSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(s.AccessModes) == 0 {
		errs = append(errs, field.Required(p.Child("accessModes"), "at least 1 access mode is required"))
	}
	for _, m := range s.AccessModes {
		if !accessModes.Has(string(m)) {
			errs = append(errs, field.NotSupported(p.Child("accessModes"), m, sets.List(accessModes)))
		}
	}
	if s.Selector != nil {
		errs = append(errs, labelSelector(s.Selector, func() *field.Path { return p.Child("selector") })...)
	}
	storage, ok := s.Resources.Requests[corev1.ResourceStorage]
	if !ok {
		errs = append(errs, field.Required(p.Child("resources").Key(string(corev1.ResourceStorage)), ""))
	} else if storage.Sign() <= 0 {
		errs = append(errs, field.Invalid(p.Child("resources").Key(string(corev1.ResourceStorage)), storage.String(), "must be greater than zero"))
	}
	if m := s.VolumeMode; m != nil && *m != corev1.PersistentVolumeBlock && *m != corev1.PersistentVolumeFilesystem {
		errs = append(errs, field.NotSupported(p.Child("volumeMode"), *m, []string{"Block", "Filesystem"}))
	}
	return errs
}

// scaleToZeroMetrics reports whether an HPA has an Object or External
// metric, without which minReplicas 0 is rejected.
func scaleToZeroMetrics(ms []autoscalingv2.MetricSpec) bool {
	for _, m := range ms {
		if m.Type == autoscalingv2.ObjectMetricSourceType || m.Type == autoscalingv2.ExternalMetricSourceType {
			return true
		}
	}
	return false
}

// validateHPA is the replica part of ValidateHorizontalPodAutoscalerSpec.
func validateHPA(min *int32, max int32, zeroOK bool) field.ErrorList {
	var errs field.ErrorList
	p := field.NewPath("spec")
	if min != nil && *min < 0 || min != nil && *min == 0 && !zeroOK {
		if *min == 0 {
			errs = append(errs, field.Forbidden(p.Child("metrics"), "must specify at least one Object or External metric to support scaling to zero replicas"))
		} else {
			errs = append(errs, field.Invalid(p.Child("minReplicas"), *min, "must be greater than or equal to 1"))
		}
	}
	lower := int32(1)
	if min != nil && *min > lower {
		lower = *min
	}
	if max < lower {
		errs = append(errs, field.Invalid(p.Child("maxReplicas"), max, "must be greater than or equal to `minReplicas`"))
	}
	return errs
}

var policyTypes = sets.New("Ingress", "Egress")

func validateNetworkPolicy(np *networkingv1.NetworkPolicy) field.ErrorList {
	var errs field.ErrorList
	p := field.NewPath("spec")
	errs = append(errs, labelSelector(&np.Spec.PodSelector, func() *field.Path { return p.Child("podSelector") })...)
	for i, t := range np.Spec.PolicyTypes {
		if !policyTypes.Has(string(t)) {
			errs = append(errs, field.NotSupported(p.Child("policyTypes").Index(i), t, []string{"Ingress", "Egress"}))
		}
	}
	ports := func(ps []networkingv1.NetworkPolicyPort, pp *field.Path) {
		for i, port := range ps {
			ip := pp.Index(i)
			if port.Protocol != nil && !protocols.Has(string(*port.Protocol)) {
				errs = append(errs, field.NotSupported(ip.Child("protocol"), *port.Protocol, sets.List(protocols)))
			}
			if port.Port != nil {
				errs = append(errs, portNumOrName(*port.Port, func() *field.Path { return ip.Child("port") })...)
			}
		}
	}
	for i, r := range np.Spec.Ingress {
		ports(r.Ports, p.Child("ingress").Index(i).Child("ports"))
	}
	for i, r := range np.Spec.Egress {
		ports(r.Ports, p.Child("egress").Index(i).Child("ports"))
	}
	return errs
}

// toPath turns a field path ("spec.containers[0].resources.limits[cpu]")
// into a manifest path.
func toPath(s string) manifest.Path {
	var p manifest.Path
	for _, seg := range segments(s) {
		if seg.index >= 0 {
			p = p.Index(seg.index)
		} else {
			p = p.Child(seg.key)
		}
	}
	return p
}

// refine places an error the API server reports on a whole map (label
// and annotation keys and values, selectors) on the entry at fault: the
// key that is badValue or whose value is.
func refine(root *yaml.Node, e *field.Error) string {
	bad, ok := e.BadValue.(string)
	if !ok || root == nil {
		return e.Field
	}
	n := root
	for _, seg := range segments(e.Field) {
		if n == nil {
			return e.Field
		}
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if seg.index >= 0 {
			if n.Kind != yaml.SequenceNode || seg.index >= len(n.Content) {
				return e.Field
			}
			n = n.Content[seg.index]
			continue
		}
		var next *yaml.Node
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg.key {
					next = n.Content[i+1]
				}
			}
		}
		n = next
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return e.Field
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == bad || v.Kind == yaml.ScalarNode && v.Value == bad {
			return e.Field + "[" + k.Value + "]"
		}
	}
	return e.Field
}

type segment struct {
	key   string
	index int
}

// segments splits a field path ("spec.containers[0].resources.limits[cpu]").
func segments(s string) []segment {
	var out []segment
	for s != "" {
		switch s[0] {
		case '.':
			s = s[1:]
		case '[':
			j := strings.IndexByte(s, ']')
			if j < 0 {
				return append(out, segment{key: s, index: -1})
			}
			inner := s[1:j]
			if n, err := strconv.Atoi(inner); err == nil {
				out = append(out, segment{index: n})
			} else {
				out = append(out, segment{key: inner, index: -1})
			}
			s = s[j+1:]
		default:
			j := strings.IndexAny(s, ".[")
			if j < 0 {
				j = len(s)
			}
			out = append(out, segment{key: s[:j], index: -1})
			s = s[j:]
		}
	}
	return out
}
