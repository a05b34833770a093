package schema

import (
	"encoding/json"

	"gopkg.in/yaml.v3"
)

// yamlToProps decodes a YAML schema through JSON, as the API server
// reads a CRD.
func yamlToProps(src string, v any) error {
	var m any
	if err := yaml.Unmarshal([]byte(src), &m); err != nil {
		return err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
