package apis

import (
	"strings"
	"testing"
	"time"

	admissionregistrationv1beta1 "k8s.io/api/admissionregistration/v1beta1"
	appsv1beta1 "k8s.io/api/apps/v1beta1"
	appsv1beta2 "k8s.io/api/apps/v1beta2"
	authenticationv1beta1 "k8s.io/api/authentication/v1beta1"
	authorizationv1beta1 "k8s.io/api/authorization/v1beta1"
	batchv1beta1 "k8s.io/api/batch/v1beta1"
	certificatesv1beta1 "k8s.io/api/certificates/v1beta1"
	coordinationv1beta1 "k8s.io/api/coordination/v1beta1"
	discoveryv1beta1 "k8s.io/api/discovery/v1beta1"
	eventsv1beta1 "k8s.io/api/events/v1beta1"
	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
	flowcontrolv1beta1 "k8s.io/api/flowcontrol/v1beta1"
	flowcontrolv1beta2 "k8s.io/api/flowcontrol/v1beta2"
	flowcontrolv1beta3 "k8s.io/api/flowcontrol/v1beta3"
	networkingv1beta1 "k8s.io/api/networking/v1beta1"
	nodev1beta1 "k8s.io/api/node/v1beta1"
	policyv1beta1 "k8s.io/api/policy/v1beta1"
	rbacv1beta1 "k8s.io/api/rbac/v1beta1"
	resourcev1beta1 "k8s.io/api/resource/v1beta1"
	resourcev1beta2 "k8s.io/api/resource/v1beta2"
	schedulingv1beta1 "k8s.io/api/scheduling/v1beta1"
	storagev1beta1 "k8s.io/api/storage/v1beta1"
	storagemigrationv1beta1 "k8s.io/api/storagemigration/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checktest"
)

func TestVersionOrder(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		less bool
	}{
		{"1.9", "1.10", true},
		{"1.10", "1.9", false},
		{"1.9", "1.9", false},
		{"1.8", "1.24", true},
		{"1.35", "2.0", true},
		{"v1.16", "1.22", true},
	} {
		a, err := parseVersion(tc.a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := parseVersion(tc.b)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.less(b); got != tc.less {
			t.Errorf("%s < %s = %v, want %v", tc.a, tc.b, got, tc.less)
		}
	}
	for _, bad := range []string{"", "1", "1.x", "one.two", "1.-1", "1.2.3"} {
		if _, err := parseVersion(bad); err == nil {
			t.Errorf("parseVersion(%q) succeeded", bad)
		}
	}
}

// TestTable checks that the table is consistent: versions parse, an API is
// deprecated before it is removed, each group version and kind has one row,
// and replacements are APIs still served.
func TestTable(t *testing.T) {
	if _, err := parseVersion(DefaultKubernetesVersion); err != nil {
		t.Errorf("DefaultKubernetesVersion: %v", err)
	}
	if _, err := time.Parse(time.DateOnly, TableAsOf); err != nil {
		t.Errorf("TableAsOf: %v", err)
	}
	seen := map[string]bool{}
	for _, a := range Table {
		name := a.GroupVersion + " " + strings.Join(a.Kinds, ",")
		if _, err := schema.ParseGroupVersion(a.GroupVersion); err != nil || a.GroupVersion == "" {
			t.Errorf("%s: bad group version: %v", name, err)
		}
		dep, err := parseVersion(a.Deprecated)
		if err != nil {
			t.Errorf("%s: deprecated: %v", name, err)
		}
		if a.Removed != "" {
			rem, err := parseVersion(a.Removed)
			if err != nil {
				t.Errorf("%s: removed: %v", name, err)
			}
			if !dep.less(rem) {
				t.Errorf("%s: deprecated in %s, not before its removal in %s", name, a.Deprecated, a.Removed)
			}
		}
		if a.Replacement == "" && a.Note == "" {
			t.Errorf("%s: neither a replacement nor a note", name)
		}
		if a.Replacement == a.GroupVersion {
			t.Errorf("%s: replaced by itself", name)
		}
		if strings.HasSuffix(a.Note, ".") {
			t.Errorf("%s: note ends with a period", name)
		}
		kinds := a.Kinds
		if len(kinds) == 0 {
			kinds = []string{"*"}
		}
		for _, k := range kinds {
			key := a.GroupVersion + "/" + k
			if k == "" || seen[key] {
				t.Errorf("%s: kind %q empty or listed twice", name, k)
			}
			seen[key] = true
			if a.Replacement == "" || k == "*" {
				continue
			}
			if e, ok := lookup(a.Replacement, k); ok && e.hasRemoved {
				t.Errorf("%s: replacement %s %s is itself removed in %s", name, a.Replacement, k, e.Removed)
			}
		}
	}
}

// lifecycle is implemented by the k8s.io/api types of prerelease versions.
type lifecycle interface {
	APILifecycleDeprecated() (major, minor int)
	APILifecycleRemoved() (major, minor int)
}

// lifecycleScheme knows every beta group version of k8s.io/api that has
// rows in the table or might need some.
func lifecycleScheme(t *testing.T) *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		admissionregistrationv1beta1.AddToScheme,
		appsv1beta1.AddToScheme,
		appsv1beta2.AddToScheme,
		authenticationv1beta1.AddToScheme,
		authorizationv1beta1.AddToScheme,
		batchv1beta1.AddToScheme,
		certificatesv1beta1.AddToScheme,
		coordinationv1beta1.AddToScheme,
		discoveryv1beta1.AddToScheme,
		eventsv1beta1.AddToScheme,
		extensionsv1beta1.AddToScheme,
		flowcontrolv1beta1.AddToScheme,
		flowcontrolv1beta2.AddToScheme,
		flowcontrolv1beta3.AddToScheme,
		networkingv1beta1.AddToScheme,
		nodev1beta1.AddToScheme,
		policyv1beta1.AddToScheme,
		rbacv1beta1.AddToScheme,
		resourcev1beta1.AddToScheme,
		resourcev1beta2.AddToScheme,
		schedulingv1beta1.AddToScheme,
		storagev1beta1.AddToScheme,
		storagemigrationv1beta1.AddToScheme,
	} {
		if err := add(s); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// notInTable are beta kinds of k8s.io/api with lifecycle tags and no row:
// subresources and reviews nobody writes in manifests, and betas without a
// GA version, whose tags are the generator's default (introduced + 3
// releases) and move when the API graduates.
var notInTable = map[string]string{
	"Scale":              "subresource",
	"DeploymentRollback": "subresource",
	"Eviction":           "subresource",
	"SelfSubjectReview":  "review, never stored",
	"LeaseCandidate":     "no GA version",
	"DeviceTaintRule":    "no GA version",
	"PodGroup":           "no GA version",
	"Workload":           "no GA version",
}

// TestTableMatchesAPILifecycle compares the table with the lifecycle tags
// of k8s.io/api, both ways: a row for a type k8s.io/api still has must give
// its versions, and every tagged beta type must have a row. It fails when a
// k8s.io/api upgrade moves a deprecation or a removal.
func TestTableMatchesAPILifecycle(t *testing.T) {
	s := lifecycleScheme(t)
	for gvk := range s.AllKnownTypes() {
		if strings.HasSuffix(gvk.Kind, "List") {
			continue
		}
		obj, err := s.New(gvk)
		if err != nil {
			t.Fatal(err)
		}
		lc, ok := obj.(lifecycle)
		if !ok {
			continue
		}
		dMaj, dMin := lc.APILifecycleDeprecated()
		rMaj, rMin := lc.APILifecycleRemoved()
		e, found := lookup(gvk.GroupVersion().String(), gvk.Kind)
		if !found {
			if _, skip := notInTable[gvk.Kind]; !skip {
				t.Errorf("%s %s: k8s.io/api says deprecated in %d.%d, removed in %d.%d; add a row", gvk.GroupVersion(), gvk.Kind, dMaj, dMin, rMaj, rMin)
			}
			continue
		}
		if got, want := e.deprecated, (version{dMaj, dMin}); got != want {
			t.Errorf("%s %s: table says deprecated in %s, k8s.io/api says %s", gvk.GroupVersion(), gvk.Kind, got, want)
		}
		if got, want := e.removed, (version{rMaj, rMin}); !e.hasRemoved || got != want {
			t.Errorf("%s %s: table says removed in %q, k8s.io/api says %s", gvk.GroupVersion(), gvk.Kind, e.Removed, want)
		}
	}
}

// TestTargetVersion checks the default target version and a configured one
// on the deprecated, never removed, core/v1 Endpoints.
func TestTargetVersion(t *testing.T) {
	objs := checktest.Objects(t, "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\n  namespace: shop\n")
	for _, tc := range []struct {
		version string
		want    int
	}{
		{"", 1}, // DefaultKubernetesVersion is past 1.33
		{"1.32", 0},
		{"1.33", 1},
		{"v1.40", 1},
	} {
		fs := check.Run(APIDeprecated, objs[0], &check.Settings{KubernetesVersion: tc.version}, nil)
		if len(fs) != tc.want {
			t.Errorf("target %q: %d findings, want %d: %v", tc.version, len(fs), tc.want, fs)
		}
		if fs := check.Run(APIRemoved, objs[0], &check.Settings{KubernetesVersion: tc.version}, nil); len(fs) != 0 {
			t.Errorf("target %q: api-removed reports Endpoints: %v", tc.version, fs)
		}
	}
}
