package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// FromTyped makes an Object of a typed API object read from somewhere other
// than a file (a live cluster): it has no source position, and findings on
// it carry a field path only. gvk is needed because lists from the API
// server leave the items' TypeMeta empty.
func FromTyped(gvk schema.GroupVersionKind, obj runtime.Object) *Object {
	apiVersion, kind := gvk.ToAPIVersionAndKind()
	o := &Object{APIVersion: apiVersion, Kind: kind, src: source{item: -1}}
	if m, ok := obj.(metav1.Object); ok {
		o.Name, o.Namespace = m.GetName(), m.GetNamespace()
		o.Labels, o.Annotations = m.GetLabels(), m.GetAnnotations()
	}
	o.setTyped(obj, podTemplateOf(obj))
	return o
}

// FromUnstructured makes an Object of a custom resource read from a live
// cluster, given as its JSON-compatible map. Custom kinds with
// spec.template.spec.containers get their pod template decoded.
func FromUnstructured(content map[string]any) (*Object, error) {
	data, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("encoding object: %w", err)
	}
	objs, diags, err := ReadAll("", bytes.NewReader(data), Options{})
	if err != nil {
		return nil, err
	}
	if len(objs) != 1 {
		msg := "not an object"
		if len(diags) > 0 {
			msg = diags[0].Message
		}
		return nil, fmt.Errorf("decoding %s/%s: %s", content["apiVersion"], content["kind"], msg)
	}
	o := objs[0]
	o.JSON() // keep the JSON form; the node tree goes
	o.Node = nil
	o.File = ""
	return o, nil
}
