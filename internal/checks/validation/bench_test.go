package validation_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/checks/validation"
	"github.com/kubevet/kubevet/internal/checktest"
	"github.com/kubevet/kubevet/internal/graph"
	"github.com/kubevet/kubevet/internal/manifest"
	"github.com/kubevet/kubevet/internal/schema"
)

// workloads generates n Deployments and Services like those of an
// application repository.
func workloads(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-%[1]d
  namespace: shop
  labels: {app.kubernetes.io/name: web-%[1]d, app.kubernetes.io/part-of: shop}
  annotations: {example.com/owner: team-a}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web-%[1]d}
  strategy:
    rollingUpdate: {maxSurge: 25%%, maxUnavailable: 0}
  template:
    metadata:
      labels: {app: web-%[1]d}
    spec:
      serviceAccountName: web
      securityContext: {runAsNonRoot: true, runAsUser: 1000}
      containers:
      - name: web
        image: myreg.azurecr.io/web:1.%[1]d
        ports:
        - {name: http, containerPort: 8080}
        env:
        - {name: MODE, value: production}
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db, key: password}}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {cpu: "1", memory: 256Mi}
        readinessProbe:
          httpGet: {path: /healthz, port: http}
        volumeMounts:
        - {name: config, mountPath: /etc/web}
      volumes:
      - name: config
        configMap: {name: web-%[1]d}
---
apiVersion: v1
kind: Service
metadata:
  name: web-%[1]d
  namespace: shop
spec:
  selector: {app: web-%[1]d}
  ports:
  - {name: http, port: 80, targetPort: http}
`, i)
	}
	return b.String()
}

// BenchmarkValidate runs the checks on built-in objects of every target
// version; the schemas are decoded once, outside the loop.
func BenchmarkValidate(b *testing.B) {
	objs := checktest.Objects(b, workloads(100))
	for _, v := range []string{"1.34", "1.37"} {
		if _, err := schema.Load(v); err != nil {
			b.Fatal(err)
		}
		settings := &check.Settings{KubernetesVersion: v}
		checks := []*check.Check{validation.RequiredFieldMissing, validation.InvalidFieldValue, validation.FieldNotInVersion}
		b.Run(v, func(b *testing.B) {
			b.ReportAllocs()
			var r check.Runner
			for b.Loop() {
				for _, o := range objs {
					for _, c := range checks {
						if fs := r.Run(c, o, settings, nil, nil, nil); len(fs) > 0 {
							b.Fatal(fs[0].Message)
						}
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(objs)), "ns/object")
		})
	}
}

// BenchmarkLoad decodes one version's schemas, what the first object of a
// run pays.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := schema.Decode("1.37"); err != nil {
			b.Fatal(err)
		}
	}
}

// limiters generates n custom resources of the corpus's Limiter CRD, which
// has CEL rules on the object, a list, strings and a nested object.
func limiters(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `---
apiVersion: example.com/v1
kind: Limiter
metadata:
  name: l-%[1]d
  namespace: shop
spec:
  minReplicas: 1
  maxReplicas: %[2]d
  endpoint: https://api-%[1]d.example.com/v1
  memory: 512Mi
  tls: {secretName: api-tls}
  backends:
  - {name: a, weight: 10}
  - {name: b, weight: 90}
  upstream:
    timeouts: {connect: 2, request: 10}
`, i, 2+i%50)
	}
	return b.String()
}

// BenchmarkCustomResourceRules validates custom resources whose CRD has
// CEL rules: "cached" reuses the run's graph, so the rules are compiled
// once; "run" makes a new graph (a new run) each time, compilation
// included.
func BenchmarkCustomResourceRules(b *testing.B) {
	crds := checktest.File(b, corpus+"/crds.yaml")
	crs := checktest.Objects(b, limiters(100))
	bad := checktest.Objects(b, strings.Replace(limiters(1), "maxReplicas: 2", "maxReplicas: 500", 1))
	all := append(append(append([]*manifest.Object(nil), crds...), crs...), bad...)
	settings := &check.Settings{}
	if fs := check.RunGraph(validation.CustomResourceInvalid, bad[0], settings, nil, graph.New(all)); len(fs) != 1 {
		b.Fatalf("the rules did not run: %v", fs)
	}
	run := func(b *testing.B, g *graph.Graph) {
		var r check.Runner
		for _, o := range crs {
			if fs := r.Run(validation.CustomResourceInvalid, o, settings, nil, g, nil); len(fs) > 0 {
				b.Fatal(fs[0].Message)
			}
		}
	}
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		g := graph.New(all)
		for b.Loop() {
			run(b, g)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(crs)), "ns/object")
	})
	b.Run("run", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			run(b, graph.New(all))
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(crs)), "ns/object")
	})
}
