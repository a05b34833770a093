package schema

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"regexp"
	"time"

	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

// FromCRD converts the openAPIV3Schema of a CustomResourceDefinition
// version into a Node for Validate with Structural.
func FromCRD(p *apiextv1.JSONSchemaProps) *Node {
	if p == nil {
		return nil
	}
	n := &Node{
		Type:             p.Type,
		Format:           p.Format,
		Required:         p.Required,
		Default:          p.Default != nil,
		IntOrString:      p.XIntOrString,
		Nullable:         p.Nullable,
		Pattern:          p.Pattern,
		Minimum:          p.Minimum,
		Maximum:          p.Maximum,
		ExclusiveMinimum: p.ExclusiveMinimum,
		ExclusiveMaximum: p.ExclusiveMaximum,
		MinLength:        p.MinLength,
		MaxLength:        p.MaxLength,
		MinItems:         p.MinItems,
		MaxItems:         p.MaxItems,
		MinProperties:    p.MinProperties,
		MaxProperties:    p.MaxProperties,
		UniqueItems:      p.UniqueItems,
		Embedded:         p.XEmbeddedResource,
		ListMapKeys:      p.XListMapKeys,
	}
	if p.XListType != nil {
		n.ListType = *p.XListType
	}
	if p.XPreserveUnknownFields != nil && *p.XPreserveUnknownFields || p.XEmbeddedResource && len(p.Properties) == 0 {
		n.Preserve = true
	}
	for _, e := range p.Enum {
		var v any
		if json.Unmarshal(e.Raw, &v) == nil {
			n.Enum = append(n.Enum, v)
		}
	}
	if len(p.Properties) > 0 {
		n.Props = make(map[string]*Node, len(p.Properties))
		for k, v := range p.Properties {
			n.Props[k] = FromCRD(&v)
		}
	}
	if p.Items != nil {
		n.Items = FromCRD(p.Items.Schema)
	}
	if p.AdditionalProperties != nil {
		if p.AdditionalProperties.Schema != nil {
			n.Additional = FromCRD(p.AdditionalProperties.Schema)
		} else if p.AdditionalProperties.Allows {
			n.Additional = &Node{}
		}
	}
	for i := range p.AllOf {
		n.AllOf = append(n.AllOf, FromCRD(&p.AllOf[i]))
	}
	for i := range p.AnyOf {
		n.AnyOf = append(n.AnyOf, FromCRD(&p.AnyOf[i]))
	}
	for i := range p.OneOf {
		n.OneOf = append(n.OneOf, FromCRD(&p.OneOf[i]))
	}
	n.Not = FromCRD(p.Not)
	return n
}

var uuidRe = regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)

// checkFormat checks the string formats the API server's CRD validation
// enforces (k8s.io/kube-openapi/pkg/validation/strfmt), for the common
// ones. It returns what is wrong, or "".
func checkFormat(format, v string) string {
	switch format {
	case "date-time":
		if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
			return "is not an RFC 3339 date-time"
		}
	case "date":
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return "is not a date like 2006-01-02"
		}
	case "byte":
		if _, err := base64.StdEncoding.DecodeString(v); err != nil {
			return "is not base64"
		}
	case "ipv4":
		if ip := net.ParseIP(v); ip == nil || ip.To4() == nil {
			return "is not an IPv4 address"
		}
	case "ipv6":
		if ip := net.ParseIP(v); ip == nil || ip.To4() != nil {
			return "is not an IPv6 address"
		}
	case "cidr":
		if _, _, err := net.ParseCIDR(v); err != nil {
			return "is not a CIDR"
		}
	case "uuid":
		if !uuidRe.MatchString(v) {
			return "is not a UUID"
		}
	}
	return ""
}
