package validation

import (
	"strings"

	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metavalidation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The functions below accept, without a regular expression, the common
// values that the apimachinery validators accept: each returns true only
// for a value those validators find no problem in. Anything else goes to
// apimachinery, so messages stay the API server's.

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
}

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// isDNSLabel is IsDNS1123Label without problems.
func isDNSLabel(s string) bool {
	if len(s) == 0 || len(s) > 63 || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// isDNS1035Label is IsDNS1035Label without problems: a DNS-1123 label that
// starts with a letter. It is a valid name for every name function of
// nameFormat.
func isDNS1035Label(s string) bool {
	return isDNSLabel(s) && 'a' <= s[0] && s[0] <= 'z'
}

// isSubdomain is IsDNS1123Subdomain without problems.
func isSubdomain(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			if c := s[i]; !isLowerAlnum(c) && c != '-' {
				return false
			}
			continue
		}
		if i == start || !isLowerAlnum(s[start]) || !isLowerAlnum(s[i-1]) {
			return false
		}
		start = i + 1
	}
	return true
}

// isLabelValue is IsLabelValue without problems.
func isLabelValue(s string) bool {
	if len(s) == 0 {
		return true
	}
	if len(s) > 63 || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// isLabelKey is IsLabelKey (IsQualifiedName) without problems.
func isLabelKey(s string) bool {
	name := s
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			if !isSubdomain(s[:i]) {
				return false
			}
			name = s[i+1:]
			break
		}
	}
	return name != "" && isLabelValue(name)
}

// labelsValid reports whether ValidateLabels finds no problem in m.
func labelsValid(m map[string]string) bool {
	for k, v := range m {
		if !isLabelKey(k) || !isLabelValue(v) {
			return false
		}
	}
	return true
}

// annotationsValid reports whether ValidateAnnotations finds no problem in
// m: keys are qualified names once lower-cased (lower-case prefixes only
// here), and the total size is within the limit.
func annotationsValid(m map[string]string) bool {
	size := 0
	for k, v := range m {
		for i := 0; i < len(k); i++ {
			if 'A' <= k[i] && k[i] <= 'Z' {
				return false
			}
		}
		if !isLabelKey(k) {
			return false
		}
		size += len(k) + len(v)
	}
	return size <= apimachineryvalidation.TotalAnnotationSizeLimitB
}

// metaValid reports whether ValidateObjectMetaAccessor finds no problem in
// m with namespace ns, whatever name function of nameFormat it is given: a
// DNS-1035 name, no namespace or a valid one,
// valid labels and annotations, and none of the fields a manifest seldom
// sets.
func metaValid(m metav1.Object, ns string) bool {
	if ns != "" && !isDNSLabel(ns) {
		return false
	}
	return m.GetGenerateName() == "" && isDNS1035Label(m.GetName()) && m.GetGeneration() >= 0 &&
		len(m.GetOwnerReferences()) == 0 && len(m.GetFinalizers()) == 0 && len(m.GetManagedFields()) == 0 &&
		labelsValid(m.GetLabels()) && annotationsValid(m.GetAnnotations())
}

// selectorMatches reports, for a selector without expressions and with
// valid labels, whether LabelSelectorAsSelector(sel) is empty or matches
// set: ok is false when the selector needs apimachinery.
func selectorMatches(sel *metav1.LabelSelector, set map[string]string) (matches, ok bool) {
	if len(sel.MatchExpressions) > 0 || !labelsValid(sel.MatchLabels) {
		return false, false
	}
	for k, v := range sel.MatchLabels {
		if w, found := set[k]; !found || w != v {
			return false, true
		}
	}
	return true, true
}

// subdomainName is NameIsDNSSubdomain.
func subdomainName(s string) []string {
	if isSubdomain(s) {
		return nil
	}
	return apimachineryvalidation.NameIsDNSSubdomain(s, false)
}

// lazyPath builds a field path when an error needs it: the checks of a
// valid object build none.
type lazyPath = func() *field.Path

// portName is IsValidPortName: at most 15 of [-a-z0-9], a letter among
// them, no hyphen at either end or next to another.
func portName(s string) []string {
	ok, letter := len(s) > 0 && len(s) <= 15 && s[0] != '-' && s[len(s)-1] != '-', false
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		letter = letter || 'a' <= c && c <= 'z'
		ok = isLowerAlnum(c) || c == '-' && s[i-1] != '-'
	}
	if ok && letter {
		return nil
	}
	return validation.IsValidPortName(s)
}

// percent is IsValidPercent: digits and '%'.
func percent(s string) []string {
	ok := len(s) > 1 && s[len(s)-1] == '%'
	for i := 0; ok && i < len(s)-1; i++ {
		ok = '0' <= s[i] && s[i] <= '9'
	}
	if ok {
		return nil
	}
	return validation.IsValidPercent(s)
}

// labelSelector is ValidateLabelSelector.
func labelSelector(sel *metav1.LabelSelector, p lazyPath) field.ErrorList {
	if sel == nil || len(sel.MatchExpressions) == 0 && labelsValid(sel.MatchLabels) {
		return nil
	}
	return metavalidation.ValidateLabelSelector(sel, metavalidation.LabelSelectorValidationOptions{}, p())
}

// labelName is ValidateLabelName.
func labelName(k string, p lazyPath) field.ErrorList {
	if isLabelKey(k) {
		return nil
	}
	return metavalidation.ValidateLabelName(k, p())
}

// subdomain is IsDNS1123Subdomain.
func subdomain(s string) []string {
	if isSubdomain(s) {
		return nil
	}
	return validation.IsDNS1123Subdomain(s)
}

// configMapKey is IsConfigMapKey: at most 253 of [-._a-zA-Z0-9], and
// neither '.' nor starting with "..".
func configMapKey(s string) []string {
	ok := len(s) > 0 && len(s) <= 253 && s != "." && !strings.HasPrefix(s, "..")
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = isAlnum(c) || c == '-' || c == '.' || c == '_'
	}
	if ok {
		return nil
	}
	return validation.IsConfigMapKey(s)
}
