package validation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/restmapper"

	"github.com/kubevet/kubevet/internal/catalog"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/workload"
	"github.com/kubevet/kubevet/internal/cluster/testserver"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
)

const corpus = "testdata/agreement"

// verdictChecks are the checks whose errors say the API server rejects
// the object: those of spec rule WL-13 (this domain's, api-removed), and
// the two of the workload domain that report problems the server rejects
// (this domain leaves them to them).
var verdictChecks = func() []*check.Check {
	out := []*check.Check{workload.RequestsExceedLimits, workload.InitContainerProbe}
	for _, c := range catalog.All() {
		if c.Run != nil && c.Severity == check.Error && slices.Contains(c.Refs, "WL-13") {
			out = append(out, c)
		}
	}
	return out
}()

// corpusFile is one manifest of the agreement corpus.
type corpusFile struct {
	path  string
	valid bool // the folder it is in
}

func corpusFiles(t *testing.T) []corpusFile {
	t.Helper()
	var out []corpusFile
	for _, dir := range []string{"valid", "invalid"} {
		files, err := filepath.Glob(filepath.Join(corpus, dir, "*.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			out = append(out, corpusFile{path: f, valid: dir == "valid"})
		}
	}
	return out
}

// verdict says whether kubevet finds an error that the API server would
// reject: a decoding diagnostic or an error of the validation checks, at
// the target version 1.37 (the test server's).
func verdict(t *testing.T, file string, crds []*manifest.Object) (bool, []string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	objs, diags, err := manifest.ReadAll(file, bytes.NewReader(data), manifest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var why []string
	for _, d := range diags {
		why = append(why, fmt.Sprintf("%s:%d: %s: %s", filepath.Base(file), d.Pos.Line, d.Kind, d.Message))
	}
	settings := &check.Settings{KubernetesVersion: "1.37"}
	all := append(append([]*manifest.Object(nil), crds...), objs...)
	g := graph.New(all)
	for _, o := range objs {
		for _, c := range verdictChecks {
			for _, f := range check.RunGraph(c, o, settings, nil, g) {
				if f.Severity == check.Error {
					why = append(why, fmt.Sprintf("%s:%d: %s: %s", filepath.Base(file), f.Line, f.Check, f.Message))
				}
			}
		}
	}
	return len(why) > 0, why
}

// TestAgreement submits every manifest of the corpus to a real
// kube-apiserver (dryRun=All, fieldValidation=Strict, as kubectl apply
// --dry-run=server does) and asserts that kubevet's verdict is the
// server's, and that the corpus folder (valid, invalid) says the same.
func TestAgreement(t *testing.T) {
	files := corpusFiles(t)
	var nValid, nInvalid int
	for _, f := range files {
		if f.valid {
			nValid++
		} else {
			nInvalid++
		}
	}
	if nValid < 60 || nInvalid < 60 {
		t.Errorf("corpus has %d valid and %d invalid manifests, want at least 60 of each", nValid, nInvalid)
	}
	srv, err := testserver.Start(t.TempDir())
	if errors.Is(err, testserver.ErrMissing) && !testserver.OnCI() {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg := srv.Config(testserver.AdminToken)
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	crdFile := filepath.Join(corpus, "crds.yaml")
	crdData, err := os.ReadFile(crdFile)
	if err != nil {
		t.Fatal(err)
	}
	crdObjs, diags, err := manifest.ReadAll(crdFile, bytes.NewReader(crdData), manifest.Options{})
	if err != nil || len(diags) > 0 {
		t.Fatalf("crds.yaml: %v %v", err, diags)
	}
	mapper := func() *restmapper.DeferredDiscoveryRESTMapper {
		dc := discovery.NewDiscoveryClientForConfigOrDie(cfg)
		return restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	}
	// The CRDs are created for real, and established before the custom
	// resources are sent.
	for _, doc := range splitDocs(t, crdData) {
		if _, err := create(ctx, dyn, mapper(), doc, false); err != nil {
			t.Fatalf("creating CRD: %v", err)
		}
	}
	crdGVR := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	for _, o := range crdObjs {
		waitEstablished(ctx, t, dyn.Resource(crdGVR), o.Name)
	}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1Namespace, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	m := mapper()
	agree, agreeReal, ruleFindings := 0, 0, 0
	var disagreements, gaps []string
	for _, f := range files {
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		var serverErrs []string
		for _, doc := range splitDocs(t, data) {
			if _, err := create(ctx, dyn, m, doc, true); err != nil {
				serverErrs = append(serverErrs, err.Error())
			}
		}
		serverRejects := len(serverErrs) > 0
		kubevetRejects, why := verdict(t, f.path, crdObjs)
		ruleFindings += checkRuleMessages(t, f.path, why, serverErrs)
		if serverRejects == f.valid && dryRunGaps[filepath.Base(f.path)] == "" {
			t.Errorf("%s: in the %s folder, but the API server says %v", f.path, map[bool]string{true: "valid", false: "invalid"}[f.valid], serverErrs)
		}
		if reason, ok := dryRunGaps[filepath.Base(f.path)]; ok {
			// Checks the server makes only when it really creates the
			// object: create it, then count the disagreement.
			real := 0
			for _, doc := range splitDocs(t, data) {
				u, err := create(ctx, dyn, m, doc, false)
				if err != nil {
					real++
				} else {
					_ = deleteObject(ctx, dyn, m, u)
				}
			}
			if serverRejects || real == 0 {
				t.Errorf("%s: listed as a dry-run gap (%s), but dry-run rejects=%v and the real create rejects=%v", f.path, reason, serverRejects, real > 0)
			}
			gaps = append(gaps, fmt.Sprintf("%s: %s (kubevet rejects=%v)", f.path, reason, kubevetRejects))
			if kubevetRejects {
				agreeReal++
			}
			continue
		}
		if kubevetRejects == serverRejects {
			agreeReal++
		}
		if reason, ok := unsupported[filepath.Base(f.path)]; ok {
			if kubevetRejects == serverRejects {
				t.Errorf("%s: listed as unsupported (%s), but kubevet agrees: remove it from the list", f.path, reason)
			} else {
				gaps = append(gaps, fmt.Sprintf("%s: unsupported: %s", f.path, reason))
			}
			continue
		}
		if kubevetRejects == serverRejects {
			agree++
			continue
		}
		disagreements = append(disagreements, fmt.Sprintf("%s: server rejects=%v %v; kubevet rejects=%v %v", f.path, serverRejects, serverErrs, kubevetRejects, why))
	}
	if ruleFindings < 10 {
		t.Errorf("%d findings of CEL rules compared with the server's errors, want at least 10", ruleFindings)
	}
	sort.Strings(disagreements)
	for _, d := range disagreements {
		t.Error("disagreement: " + d)
	}
	for _, g := range gaps {
		t.Log("known gap: " + g)
	}
	t.Logf("agreement: %d/%d (server verdict with dryRun=All; %d/%d with the verdict of a real creation for the dry-run gaps)", agree, len(files), agreeReal, len(files))
}

// ruleSuffix ends the message of a finding of a CRD's CEL rule.
const ruleSuffix = " (x-kubernetes-validations rule of "

// checkRuleMessages asserts that each finding of a CEL rule says what the
// server says: its message, less kubevet's suffix, is in the server's
// error. It returns the number of findings it compared.
func checkRuleMessages(t *testing.T, file string, why, serverErrs []string) int {
	t.Helper()
	n := 0
	server := strings.Join(serverErrs, "\n")
	for _, w := range why {
		_, msg, ok := strings.Cut(w, ": custom-resource-invalid: ")
		if !ok || !strings.Contains(msg, ruleSuffix) {
			continue
		}
		msg = msg[:strings.Index(msg, ruleSuffix)]
		n++
		if !strings.Contains(server, msg) {
			t.Errorf("%s: kubevet says %q, the server %q", file, msg, server)
		}
	}
	return n
}

// unsupported are the manifests on which kubevet knowingly disagrees with
// the server: they are counted as disagreements in the figure, and listed,
// but do not fail the test.
var unsupported = map[string]string{}

// dryRunGaps are the manifests a dry run accepts and a real creation
// rejects: kubevet follows the real creation and disagrees with the dry
// run. The test checks both verdicts of the server.
var dryRunGaps = map[string]string{
	"service-nodeport-range.yaml": "node ports are allocated, and their range checked, only on a real creation",
}

func deleteObject(ctx context.Context, dyn dynamic.Interface, m *restmapper.DeferredDiscoveryRESTMapper, u *unstructured.Unstructured) error {
	gvk := u.GroupVersionKind()
	mapping, err := m.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return err
	}
	if mapping.Scope.Name() == "namespace" {
		return dyn.Resource(mapping.Resource).Namespace(u.GetNamespace()).Delete(ctx, u.GetName(), metav1.DeleteOptions{})
	}
	return dyn.Resource(mapping.Resource).Delete(ctx, u.GetName(), metav1.DeleteOptions{})
}

var corev1Namespace = corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}}

func splitDocs(t *testing.T, data []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for _, d := range bytes.Split(append([]byte("\n"), data...), []byte("\n---")) {
		if strings.TrimSpace(stripComments(string(d))) != "" {
			out = append(out, d)
		}
	}
	return out
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}

// create sends one YAML document as kubectl does: converted to JSON with
// YAML 1.1 rules, then created with strict field validation.
func create(ctx context.Context, dyn dynamic.Interface, m *restmapper.DeferredDiscoveryRESTMapper, doc []byte, dryRun bool) (*unstructured.Unstructured, error) {
	js, err := utilyaml.ToJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("kubectl cannot read the document: %w", err)
	}
	var u unstructured.Unstructured
	if err := u.UnmarshalJSON(js); err != nil {
		return nil, fmt.Errorf("kubectl cannot read the object: %w", err)
	}
	gvk := u.GroupVersionKind()
	mapping, err := m.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		m.Reset()
		if mapping, err = m.RESTMapping(gvk.GroupKind(), gvk.Version); err != nil {
			return nil, fmt.Errorf("no resource for %s: %w", gvk, err)
		}
	}
	opts := metav1.CreateOptions{FieldValidation: "Strict"}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	var ri dynamic.ResourceInterface = dyn.Resource(mapping.Resource)
	if mapping.Scope.Name() == "namespace" {
		ns := u.GetNamespace()
		if ns == "" {
			ns = "default"
		}
		ri = dyn.Resource(mapping.Resource).Namespace(ns)
	}
	return ri.Create(ctx, &u, opts)
}

func waitEstablished(ctx context.Context, t *testing.T, ri dynamic.ResourceInterface, name string) {
	t.Helper()
	for {
		u, err := ri.Get(ctx, name, metav1.GetOptions{})
		if err == nil {
			var c apiextv1.CustomResourceDefinition
			if js, err := u.MarshalJSON(); err == nil && json.Unmarshal(js, &c) == nil {
				for _, cond := range c.Status.Conditions {
					if cond.Type == apiextv1.Established && cond.Status == apiextv1.ConditionTrue {
						return
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("CRD %s not established", name)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
