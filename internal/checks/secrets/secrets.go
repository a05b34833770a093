// Package secrets holds the checks of credentials written into manifests
// (spec rule IAM-09). Their messages name variables and keys, never values.
package secrets

import (
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the secrets domain's list, in catalog order.
var Checks = []*check.Check{
	InEnv,
	InManifest,
}

// secretWords are the upper-case fragments of environment variable names
// that hold credentials.
var secretWords = []string{"PASS", "SECRET", "TOKEN", "APIKEY", "API_KEY", "CONNSTRING", "CONNECTION_STRING", "PRIVATE_KEY"}

// InEnv reports credentials written as literal environment values.
var InEnv = &check.Check{
	ID:       "secret-in-env",
	Title:    "Credential written in an environment variable",
	Severity: check.Error,
	Refs:     []string{"IAM-09"},
	Why: "A password, token or key written in env[].value sits in plain text in your repository, in the object the API server stores, " +
		"and in the output of kubectl get and describe for anyone who can read the workload. " +
		"Variables whose value is a switch (true, false, yes, no, on, off, 0, 1), such as MYSQL_ALLOW_EMPTY_PASSWORD=1, hold no credential and are not reported.",
	Fix: "Keep the credential in Azure Key Vault and mount it with the Secrets Store CSI driver (optionally synced to a Secret), " +
		"then read it with env[].valueFrom.secretKeyRef or from the mounted file. Better still, use Microsoft Entra Workload ID and no credential at all.",
	Example: `env:
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: db-credentials
      key: password`,
	Target: check.PodSpecs,
	Options: []check.Option{{
		Name:    "ignoreSuffixes",
		Kind:    check.StringList,
		Default: []string{"_FILE", "_PATH", "_DIR"},
		Doc: "Name endings (case-insensitive) of variables that point to a credential rather than hold it, " +
			"such as POSTGRES_PASSWORD_FILE=/run/secrets/password.",
	}},
	Run: func(p *check.Pass) {
		ignore := p.Options.Strings("ignoreSuffixes")
		for _, c := range check.Containers(p.Object.PodTemplate()) {
			for i, e := range c.C.Env {
				if !isLiteral(e.Value) || isSwitch(e.Value) || !credentialName(e.Name, ignore) {
					continue
				}
				// Never print e.Value, nor anything derived from it.
				p.Report(c.Path.Child("env").Index(i).Child("value"), "%s sets %s to a literal value, which looks like a credential written in the manifest; "+
					"store it in Azure Key Vault (Secrets Store CSI driver) and read it with valueFrom.secretKeyRef or from a mounted file", c.Describe(), e.Name)
			}
		}
	},
}

// credentialName reports whether an environment variable name holds a
// credential: it contains one of secretWords and does not end with one of
// the ignored suffixes.
func credentialName(name string, ignoreSuffixes []string) bool {
	up := strings.ToUpper(name)
	found := false
	for _, w := range secretWords {
		if strings.Contains(up, w) {
			found = true
			break
		}
	}
	if !found {
		return false
	}
	for _, s := range ignoreSuffixes {
		if s != "" && strings.HasSuffix(up, strings.ToUpper(s)) {
			return false
		}
	}
	return true
}

// switches are values that turn a setting on or off: a variable such as
// MYSQL_ALLOW_EMPTY_PASSWORD=1 or ALLOW_EMPTY_PASSWORD=yes names a password
// but holds none.
var switches = setOf("true", "false", "yes", "no", "on", "off", "y", "n", "0", "1", "enabled", "disabled")

func setOf(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}

// isSwitch reports whether an env value is a switch, not a credential.
func isSwitch(v string) bool { return switches[strings.ToLower(strings.TrimSpace(v))] }

// isLiteral reports whether an env value is a literal: not empty and not
// only $(VAR) references, which the kubelet expands from other variables.
func isLiteral(v string) bool {
	s := strings.TrimSpace(v)
	if s == "" {
		return false
	}
	for s != "" {
		if !strings.HasPrefix(s, "$(") {
			return true
		}
		end := strings.IndexByte(s, ')')
		if end < 0 || !validVarName(s[2:end]) {
			return true
		}
		s = s[end+1:]
	}
	return false
}

// validVarName reports whether n is a name the kubelet expands in $(n): a
// C identifier or, as Kubernetes allows, any printable name without "=" or
// ")". An empty name is not expanded.
func validVarName(n string) bool {
	if n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		if c := n[i]; c < 0x21 || c > 0x7e || c == '=' || c == '$' || c == '(' {
			return false
		}
	}
	return true
}

// InManifest reports Secrets whose values are committed with the
// manifests.
var InManifest = &check.Check{
	ID:       "secret-in-manifest",
	Title:    "Secret values committed in a manifest",
	Severity: check.Warning,
	Refs:     []string{"IAM-09"},
	Why: "Secret data is only base64-encoded, not encrypted: committed with your manifests, it is readable by everyone with access " +
		"to the repository and its history, and rotating it means a commit.",
	Fix: "Keep the values in Azure Key Vault and mount them with the Secrets Store CSI driver (secretObjects syncs them to a Secret when you need one), " +
		"or commit only encrypted forms with Sealed Secrets, or generate the Secret with External Secrets Operator.",
	Example: `apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: db-credentials
spec:
  provider: azure
  parameters:
    keyvaultName: my-keyvault
    clientID: <workload identity client ID>
    tenantId: <tenant ID>
    objects: |
      array:
        - |
          objectName: db-password
          objectType: secret`,
	Target: check.Kinds("Secret"),
	Run: func(p *check.Pass) {
		s, ok := p.Object.Typed().(*corev1.Secret)
		// Objects read from a live cluster (no source node) are where
		// Secrets belong; the control plane fills service account tokens.
		if !ok || p.Object.Node == nil || s.Type == corev1.SecretTypeServiceAccountToken {
			return
		}
		if keys := keysWithValues(s.Data); len(keys) > 0 {
			p.Report(pathData, "Secret %q commits values for %s in data (base64 is not encryption); keep them in Azure Key Vault with the Secrets Store CSI driver, or use Sealed Secrets or External Secrets", s.Name, describeKeys(keys))
		}
		if keys := keysWithValues(s.StringData); len(keys) > 0 {
			p.Report(pathStringData, "Secret %q commits values for %s in plain text in stringData; keep them in Azure Key Vault with the Secrets Store CSI driver, or use Sealed Secrets or External Secrets", s.Name, describeKeys(keys))
		}
	},
}

// keysWithValues returns the sorted keys of m whose value is not empty.
func keysWithValues[V []byte | string](m map[string]V) []string {
	var keys []string
	for k, v := range m {
		if len(v) > 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// describeKeys names the keys of a Secret in a message, at most a few.
func describeKeys(keys []string) string {
	const most = 5
	q := make([]string, 0, min(len(keys), most))
	for _, k := range keys[:min(len(keys), most)] {
		q = append(q, strconv.Quote(k))
	}
	s := "key " + q[0]
	if len(keys) > 1 {
		s = "keys " + strings.Join(q, ", ")
	}
	if len(keys) > most {
		s += " and " + strconv.Itoa(len(keys)-most) + " more"
	}
	return s
}

var (
	pathData       = manifest.NewPath("data")
	pathStringData = manifest.NewPath("stringData")
)
