package manifest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// maxExpandedNodes bounds how many nodes one document may expand to once
// aliases are followed. It stops "billion laughs" alias bombs: real manifests
// are far below it.
const maxExpandedNodes = 1 << 20

// maxJSONBytes bounds the JSON one document may expand to.
const maxJSONBytes = 64 << 20

// ErrAliasBomb is returned when a document expands past maxExpandedNodes.
var ErrAliasBomb = errors.New("document expands to too many nodes through aliases (alias bomb?)")

// KeyError is an error about one mapping key, with the key's position.
type KeyError struct {
	Pos Position
	Msg string
	// Prev is the position of the first definition, for duplicate keys.
	Prev Position
}

func (e *KeyError) Error() string { return e.Msg }

// jsonWriter converts a yaml.v3 node tree to JSON, the way kubectl's YAML
// decoder turns YAML into JSON before decoding API objects.
type jsonWriter struct {
	b     []byte
	nodes int
	// dups collects duplicate keys; the last value wins, as in kubectl.
	dups []KeyError
	// path is the current key path, used to describe duplicates.
}

// ToJSON returns the JSON form of n. Duplicate mapping keys are returned as
// KeyErrors (the document is still converted, last value winning).
func ToJSON(n *yaml.Node) ([]byte, []KeyError, error) {
	b, _, dups, err := toJSON(n, 0)
	return b, dups, err
}

// toJSON is ToJSON for a subtree of a document of which used nodes were
// already expanded; it returns the new count, so that the bound holds for
// the whole document.
func toJSON(n *yaml.Node, used int) ([]byte, int, []KeyError, error) {
	w := jsonWriter{b: make([]byte, 0, 1024), nodes: used}
	if err := w.node(n, 0); err != nil {
		return nil, w.nodes, w.dups, err
	}
	return w.b, w.nodes, w.dups, nil
}

func (w *jsonWriter) node(n *yaml.Node, depth int) error {
	w.nodes++
	if w.nodes > maxExpandedNodes || len(w.b) > maxJSONBytes {
		return ErrAliasBomb
	}
	if depth > 10000 {
		return errors.New("document nested too deeply")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			w.b = append(w.b, "null"...)
			return nil
		}
		return w.node(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return errors.New("unknown alias")
		}
		return w.node(n.Alias, depth+1)
	case yaml.SequenceNode:
		w.b = append(w.b, '[')
		for i, c := range n.Content {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			if err := w.node(c, depth+1); err != nil {
				return err
			}
		}
		w.b = append(w.b, ']')
		return nil
	case yaml.MappingNode:
		return w.mapping(n, depth)
	case yaml.ScalarNode:
		w.scalar(n)
		return nil
	}
	return fmt.Errorf("unexpected YAML node kind %d", n.Kind)
}

type entry struct {
	key string
	kn  *yaml.Node
	val *yaml.Node
}

// entries flattens a mapping with its merge keys into key order. Explicit
// keys override merged ones; of duplicate explicit keys the last one wins.
func (w *jsonWriter) entries(n *yaml.Node, depth int) ([]entry, error) {
	out := make([]entry, 0, len(n.Content)/2)
	seen := make(map[string]int, len(n.Content)/2)
	var merged []entry
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		w.nodes++
		if w.nodes > maxExpandedNodes {
			return nil, ErrAliasBomb
		}
		if isMerge(kn) {
			for _, src := range mergeSources(vn) {
				if src == nil || src.Kind != yaml.MappingNode {
					return nil, &KeyError{Pos: Position{kn.Line, kn.Column}, Msg: "merge key \"<<\" needs a mapping or a list of mappings"}
				}
				if depth > 200 {
					return nil, errors.New("merge keys nested too deeply")
				}
				es, err := w.entries(src, depth+1)
				if err != nil {
					return nil, err
				}
				merged = append(merged, es...)
			}
			continue
		}
		k, err := keyString(deref(kn))
		if err != nil {
			return nil, &KeyError{Pos: Position{kn.Line, kn.Column}, Msg: err.Error()}
		}
		if j, dup := seen[k]; dup {
			prev := out[j].kn
			w.dups = append(w.dups, KeyError{
				Pos:  Position{kn.Line, kn.Column},
				Prev: Position{prev.Line, prev.Column},
				Msg:  k,
			})
			out[j] = entry{k, kn, vn}
			continue
		}
		seen[k] = len(out)
		out = append(out, entry{k, kn, vn})
	}
	for _, e := range merged {
		if _, ok := seen[e.key]; ok {
			continue
		}
		seen[e.key] = len(out)
		out = append(out, e)
	}
	return out, nil
}

func (w *jsonWriter) mapping(n *yaml.Node, depth int) error {
	es, err := w.entries(n, depth)
	if err != nil {
		return err
	}
	w.b = append(w.b, '{')
	for i, e := range es {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendString(w.b, e.key)
		w.b = append(w.b, ':')
		if err := w.node(e.val, depth+1); err != nil {
			return err
		}
	}
	w.b = append(w.b, '}')
	return nil
}

// keyString renders a mapping key as JSON object keys must be: a string.
func keyString(k *yaml.Node) (string, error) {
	if k == nil {
		return "", errors.New("empty mapping key")
	}
	if k.Kind != yaml.ScalarNode {
		return "", errors.New("mapping key must be a scalar, not a list or mapping")
	}
	if k.Tag == "!!null" && k.Value == "" || k.Value == "~" && k.Tag == "!!null" {
		return "null", nil
	}
	return k.Value, nil
}

func (w *jsonWriter) scalar(n *yaml.Node) {
	if b, ok := yaml11Bool(n); ok {
		// The JSON kubectl would send (see yaml11Bool).
		w.b = strconv.AppendBool(w.b, b)
		return
	}
	switch n.Tag {
	case "!!null":
		w.b = append(w.b, "null"...)
		return
	case "!!bool":
		switch strings.ToLower(n.Value) {
		case "true":
			w.b = append(w.b, "true"...)
			return
		case "false":
			w.b = append(w.b, "false"...)
			return
		}
	case "!!int":
		v := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(v, 0, 64); err == nil {
			w.b = strconv.AppendInt(w.b, i, 10)
			return
		}
		if strings.HasPrefix(v, "0o") || strings.HasPrefix(v, "0O") {
			if i, err := strconv.ParseInt(v[2:], 8, 64); err == nil {
				w.b = strconv.AppendInt(w.b, i, 10)
				return
			}
		}
		if u, err := strconv.ParseUint(v, 0, 64); err == nil {
			w.b = strconv.AppendUint(w.b, u, 10)
			return
		}
	case "!!float":
		if f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			if f == math.Trunc(f) && math.Abs(f) < 1e15 && !strings.ContainsAny(n.Value, "eE") {
				w.b = strconv.AppendFloat(w.b, f, 'f', -1, 64)
			} else {
				w.b = strconv.AppendFloat(w.b, f, 'g', -1, 64)
			}
			return
		}
	}
	w.b = appendString(w.b, n.Value)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
