// Package corpus generates realistic manifest corpora of any size for
// benchmarks and load tests: applications made of a Deployment or
// StatefulSet, a Service, a ConfigMap, an Ingress, a PDB, an HPA, a CronJob,
// half well configured and half with the usual mistakes. Every object is
// distinct (names, namespaces, images and values vary with its index).
package corpus

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// kinds is how many objects one application has; Write emits applications
// until it has written n objects.
const appSize = 8

// Write writes n distinct objects to w as one multi-document YAML stream.
func Write(w io.Writer, n int) error {
	for i := 0; i < n; i++ {
		if _, err := io.WriteString(w, Object(i)); err != nil {
			return err
		}
	}
	return nil
}

// WriteFiles writes n distinct objects into dir, one application (up to
// eight objects) per file, in folders of 100 files.
func WriteFiles(dir string, n int) error {
	for app := 0; app*appSize < n; app++ {
		sub := filepath.Join(dir, fmt.Sprintf("team-%03d", app/100))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(sub, fmt.Sprintf("app-%05d.yaml", app)))
		if err != nil {
			return err
		}
		for i := app * appSize; i < min(n, (app+1)*appSize); i++ {
			if _, err := io.WriteString(f, Object(i)); err != nil {
				f.Close()
				return err
			}
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// Object returns the i-th object of the corpus as a YAML document.
func Object(i int) string {
	app := i / appSize
	ns := fmt.Sprintf("team-%03d", app%50)
	name := fmt.Sprintf("app-%05d", app)
	good := app%2 == 0
	switch i % appSize {
	case 0:
		if app%5 == 4 {
			return statefulSet(ns, name, app, good)
		}
		return deployment(ns, name, app, good)
	case 1:
		return service(ns, name, app, good)
	case 2:
		return configMap(ns, name, app)
	case 3:
		return ingress(ns, name, good)
	case 4:
		return pdb(ns, name)
	case 5:
		return hpa(ns, name, app)
	case 6:
		return cronJob(ns, name, app, good)
	default:
		return serviceAccount(ns, name)
	}
}

func labels(name string, indent string) string {
	return fmt.Sprintf("%sapp.kubernetes.io/name: %s\n%sapp.kubernetes.io/part-of: shop\n%sapp.kubernetes.io/version: \"1.%d\"\n", indent, name, indent, indent, len(name))
}

func container(name string, app int, good bool, indent string) string {
	var t string
	if !good {
		t = fmt.Sprintf(`- name: %s
  image: nginx:latest
  ports:
  - containerPort: %d
  env:
  - name: DB_PASSWORD
    value: hunter%d
  securityContext:
    privileged: %v
`, name, 8000+app%1000, app, app%3 == 0)
	} else {
		t = fmt.Sprintf(`- name: %s
  image: myregistry.azurecr.io/shop/%s:1.%d.%d
  imagePullPolicy: IfNotPresent
  ports:
  - name: http
    containerPort: 8080
  resources:
    requests: {cpu: %dm, memory: %dMi}
    limits: {cpu: "1", memory: %dMi}
  livenessProbe:
    httpGet: {path: /healthz, port: http}
  readinessProbe:
    httpGet: {path: /ready, port: http}
  lifecycle:
    preStop:
      sleep: {seconds: 5}
  securityContext:
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    capabilities: {drop: [ALL]}
  env:
  - name: LOG_LEVEL
    value: info
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef: {name: %s-db, key: password}
`, name, name, app%10, app%100, 100+app%400, 128+app%256, 128+app%256, name)
	}
	return indentLines(t, indent)
}

func indentLines(s, indent string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" {
			b.WriteString(indent + l)
		}
	}
	return b.String()
}

func podSpec(name string, app int, good bool) string {
	s := ""
	if good {
		s += `      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {type: RuntimeDefault}
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels: {app.kubernetes.io/name: ` + name + `}
`
	}
	s += fmt.Sprintf("      serviceAccountName: %s\n      containers:\n", name)
	s += container(name, app, good, "      ")
	return s
}

func deployment(ns, name string, app int, good bool) string {
	replicas := 1
	if good {
		replicas = 3
	}
	return fmt.Sprintf(`---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s
  namespace: %s
  labels:
%sspec:
  replicas: %d
  selector:
    matchLabels:
      app.kubernetes.io/name: %s
  template:
    metadata:
      labels:
%s    spec:
%s`, name, ns, labels(name, "    "), replicas, name, labels(name, "        "), podSpec(name, app, good))
}

func statefulSet(ns, name string, app int, good bool) string {
	return fmt.Sprintf(`---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: %s
  namespace: %s
  labels:
%sspec:
  serviceName: %s
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: %s
  template:
    metadata:
      labels:
%s    spec:
%s  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: managed-csi-premium
      resources:
        requests:
          storage: %dGi
`, name, ns, labels(name, "    "), name, name, labels(name, "        "), podSpec(name, app, good), 10+app%90)
}

func service(ns, name string, app int, good bool) string {
	typ := "ClusterIP"
	ann := ""
	if !good && app%4 == 1 {
		typ = "LoadBalancer"
	} else if app%4 == 2 {
		typ = "LoadBalancer"
		ann = "  annotations:\n    service.beta.kubernetes.io/azure-load-balancer-internal: \"true\"\n"
	}
	return fmt.Sprintf(`---
apiVersion: v1
kind: Service
metadata:
  name: %s
  namespace: %s
%s  labels:
%sspec:
  type: %s
  selector:
    app.kubernetes.io/name: %s
  ports:
  - name: http
    port: 80
    targetPort: http
`, name, ns, ann, labels(name, "    "), typ, name)
}

func configMap(ns, name string, app int) string {
	return fmt.Sprintf(`---
apiVersion: v1
kind: ConfigMap
metadata:
  name: %s-config
  namespace: %s
  labels:
%sdata:
  LOG_FORMAT: json
  FEATURE_FLAGS: "search,checkout,v%d"
  settings.yaml: |
    server:
      port: 8080
      workers: %d
`, name, ns, labels(name, "    "), app%7, 2+app%6)
}

func ingress(ns, name string, good bool) string {
	tls := ""
	if good {
		tls = fmt.Sprintf("  tls:\n  - hosts: [%s.shop.example.com]\n    secretName: %s-tls\n", name, name)
	}
	return fmt.Sprintf(`---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: %s
  namespace: %s
  labels:
%sspec:
  ingressClassName: nginx
%s  rules:
  - host: %s.shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: %s
            port:
              name: http
`, name, ns, labels(name, "    "), tls, name, name)
}

func pdb(ns, name string) string {
	return fmt.Sprintf(`---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: %s
  namespace: %s
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: %s
`, name, ns, name)
}

func hpa(ns, name string, app int) string {
	return fmt.Sprintf(`---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: %s
  namespace: %s
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: %s
  minReplicas: 3
  maxReplicas: %d
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 70
`, name, ns, name, 6+app%10)
}

func cronJob(ns, name string, app int, good bool) string {
	return fmt.Sprintf(`---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: %s-report
  namespace: %s
  labels:
%sspec:
  schedule: "%d 3 * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          labels:
%s        spec:
          restartPolicy: OnFailure
          containers:
%s`, name, ns, labels(name, "    "), app%60, labels(name, "            "), container(name+"-report", app, good, "          "))
}

func serviceAccount(ns, name string) string {
	return fmt.Sprintf(`---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: %s
  namespace: %s
automountServiceAccountToken: false
`, name, ns)
}
