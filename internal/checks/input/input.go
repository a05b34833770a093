// Package input lists the problems kubevet finds in its input itself
// (broken YAML, undecodable objects, bad exemptions). The engine reports
// them; they are checks so that they can be configured, exempted and
// documented like any other.
package input

import (
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/manifest"
)

// Checks is the input domain's list.
var Checks = []*check.Check{
	Syntax, DuplicateKey, UnknownField, FieldType, InvalidObject,
	ExemptionInvalid, ExemptionExpired, ExemptionUnused, RenderError,
}

var reported = check.Target{Desc: "the input itself (reported while reading)", Match: func(*manifest.Object) bool { return false }}

// Syntax is a document that is not valid YAML or JSON.
var Syntax = &check.Check{
	ID: manifest.DiagSyntax, Title: "Document is not valid YAML", Severity: check.Error, Refs: []string{"WL-13"},
	Why:    "kubectl cannot apply a document it cannot parse, and kubevet cannot check it. The other documents of the file are still checked.",
	Fix:    "Fix the syntax at the line shown: indentation, a missing colon or quote, tabs used for indentation.",
	Target: reported,
}

// DuplicateKey is a mapping that defines a key twice.
var DuplicateKey = &check.Check{
	ID: manifest.DiagDuplicateKey, Title: "Mapping key defined twice", Severity: check.Error, Refs: []string{"WL-13"},
	Why:    "kubectl refuses a document with a duplicate key; other tools silently keep one of the two values, so what is reviewed is not what runs.",
	Fix:    "Remove one of the two keys, keeping the value you mean.",
	Target: reported,
}

// UnknownField is a field the object's kind does not have.
var UnknownField = &check.Check{
	ID: manifest.DiagUnknownField, Title: "Field unknown to the object's kind", Severity: check.Error, Refs: []string{"WL-13"},
	Why:    "The API server rejects unknown fields under kubectl's default strict validation, or drops them silently under looser settings: a misspelt field (imagePullPolcy) is a setting that never applies.",
	Fix:    "Correct the field's spelling or indentation; kubectl explain <kind>.<path> lists the valid fields.",
	Target: reported,
}

// FieldType is a field whose value has the wrong type.
var FieldType = &check.Check{
	ID: manifest.DiagFieldType, Title: "Field value has the wrong type", Severity: check.Error, Refs: []string{"WL-13"},
	Why: "The API server rejects an object whose field has the wrong type (a quoted number, a list where a mapping is expected, a malformed quantity). Checks on that field cannot see its value. " +
		"Values are read as kubectl reads YAML (version 1.1): unquoted y, yes, on, n, no and off are booleans, so they are accepted in boolean fields and rejected in string fields such as annotations and env values.",
	Fix:    "Give the field a value of the expected type: numbers unquoted, strings quoted where YAML would read them as numbers or booleans, quantities like 500m or 256Mi.",
	Target: reported,
}

// InvalidObject is a document that is not a Kubernetes object.
var InvalidObject = &check.Check{
	ID: manifest.DiagInvalidObject, Title: "Document is not a complete Kubernetes object", Severity: check.Error, Refs: []string{"WL-13"},
	Why:    "An object needs both apiVersion and kind; without one of them kubectl cannot apply it.",
	Fix:    "Add the missing apiVersion or kind.",
	Target: reported,
}

// ExemptionInvalid is an exemption annotation kubevet cannot honour.
var ExemptionInvalid = &check.Check{
	ID: "exemption-invalid", Title: "Exemption annotation is malformed", Severity: check.Error,
	Why: "An exemption must say which check it silences and why. One without a reason, with an unknown check ID or a bad expiry date is not honoured, so the finding it meant to silence is reported too.",
	Fix: `Write the annotation as exempt.kubevet.io/<check-id>: "<reason>; expires=YYYY-MM-DD" (the expiry is optional).`,
	Example: `metadata:
  annotations:
    exempt.kubevet.io/run-as-non-root: "vendor image needs root; ticket OPS-123; expires=2027-03-31"`,
	Target: reported,
}

// ExemptionExpired is an exemption past its expiry date.
var ExemptionExpired = &check.Check{
	ID: "exemption-expired", Title: "Exemption has expired", Severity: check.Warning,
	Why:    "An exemption with an expiry date is a promise to fix the problem by then. Once it has passed, the exemption no longer applies and the findings it covered are reported again.",
	Fix:    "Fix the problem and remove the annotation, or renew the exemption with a new date and reason.",
	Target: reported,
}

// ExemptionUnused is an exemption that silences nothing.
var ExemptionUnused = &check.Check{
	ID: "exemption-unused", Title: "Exemption matches no finding", Severity: check.Warning,
	Why:    "An exemption that silences nothing is stale: the problem was fixed or the check no longer applies. Left in place, it would hide the problem if it came back.",
	Fix:    "Remove the annotation.",
	Target: reported,
}

// RenderError is a Helm chart or Kustomize overlay that does not render.
var RenderError = &check.Check{
	ID: "render-error", Title: "Chart or kustomization does not render", Severity: check.Error, Refs: []string{"WL-13"},
	Why: "What does not render cannot be deployed: helm install or kubectl apply -k fails on the same error (a required value left empty, a template that fails, a values file that is not YAML, a missing base or patch target). " +
		"Nothing of that rendering is checked until it renders.",
	Fix:    "Fix the error at the location shown: give the required value (in values.yaml, a values profile or --set), correct the template or the kustomization.",
	Target: reported,
}
