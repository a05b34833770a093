package aks

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Parse reads a JSON input: a ManagedCluster (REST body or az aks show
// output), a list of them (az aks list, Resource Graph rows, a REST list
// response), an ARM template or a terraform show -json plan. It returns the
// clusters found; an input with none gives an error.
func Parse(file string, data []byte) ([]*Cluster, error) {
	var y yaml.Node
	if err := yaml.Unmarshal(data, &y); err != nil {
		// ARM templates may hold // and /* */ comments (Azure CLI,
		// PowerShell and the portal accept them).
		stripped, had := stripComments(data)
		if !had || yaml.Unmarshal(stripped, &y) != nil {
			return nil, fmt.Errorf("not valid JSON: %w", err)
		}
	}
	root := FromYAML(&y, file, "")
	if root == nil {
		return nil, fmt.Errorf("empty input")
	}
	if body := restExample(root); body != nil {
		root = body
	}
	var out []*Cluster
	switch {
	case root.Kind == Map && root.Get("planned_values") != nil:
		out = ClustersFromTerraform(planResources(root))
	case root.Kind == Map && isTemplate(root):
		out = templateClusters(root)
	case root.Kind == List:
		out = resourceList(root.Items)
	case root.Kind == Map && root.Get("data") != nil && root.Get("data").Kind == List:
		out = resourceList(root.Get("data").Items) // az graph query
	case root.Kind == Map && root.Get("value") != nil && root.Get("value").Kind == List:
		out = resourceList(root.Get("value").Items) // REST list
	case looksLikeCluster(root):
		out = []*Cluster{fromResource(root, REST)}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no AKS cluster (%s) found", ManagedClusterType)
	}
	return out, nil
}

// restExample returns the ManagedCluster of a REST API example
// (azure-rest-api-specs examples/ManagedClusters*.json), which wraps it in
// {"parameters": {..., "parameters": request}, "responses": {"200":
// {"body": ...}}}: the body of the first successful response that is a
// cluster, else the request body. Nil for any other input.
func restExample(root *Node) *Node {
	if root.Kind != Map || root.Get("responses") == nil || root.Get("responses").Kind != Map {
		return nil
	}
	var cands []*Node
	for _, code := range []string{"200", "201", "202"} {
		cands = append(cands, root.Get("responses").Get(code).Get("body"))
	}
	cands = append(cands, root.Get("parameters").Get("parameters"))
	for _, c := range cands {
		if looksLikeCluster(c) {
			reroot(c, "")
			return c
		}
	}
	return nil
}

// stripComments blanks the // and /* */ comments outside strings of a
// JSON text, keeping every other byte, and line breaks, in place so that
// lines and columns stay right. It reports whether there was any.
func stripComments(data []byte) ([]byte, bool) {
	out := bytes.Clone(data)
	inStr, had := false, false
	for i := 0; i < len(out); i++ {
		c := out[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			had = true
			for ; i < len(out) && out[i] != '\n'; i++ {
				out[i] = ' '
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			had = true
			for ; i < len(out) && !(out[i] == '*' && i+1 < len(out) && out[i+1] == '/'); i++ {
				if out[i] != '\n' {
					out[i] = ' '
				}
			}
			if i < len(out) {
				out[i], out[i+1] = ' ', ' '
				i++
			}
		}
	}
	return out, had
}

func resourceList(items []*Node) []*Cluster {
	var out []*Cluster
	for _, it := range items {
		if looksLikeCluster(it) {
			reroot(it, "")
			out = append(out, fromResource(it, REST))
		}
	}
	return out
}

func isTemplate(n *Node) bool {
	return strings.Contains(strings.ToLower(n.Get("$schema").Str()), "deploymenttemplate") ||
		(n.Get("resources") != nil && n.Get("resources").Kind == List && n.Get("type") == nil) ||
		(n.Get("languageVersion") != nil && n.Get("resources") != nil && n.Get("resources").Kind == Map)
}

// templateClusters reads the ManagedCluster resources of an ARM template,
// with their agentPools children (nested or top level), resolving simple
// parameter and variable references.
func templateClusters(t *Node) []*Cluster {
	var clusters []*Cluster
	type child struct {
		parent string // the cluster name part of a top-level child's name, if known
		n      *Node
		r      *armResolver
	}
	var pools []child
	var walk func(t *Node, r *armResolver, depth int)
	walk = func(t *Node, r *armResolver, depth int) {
		res := t.Get("resources")
		if res == nil || depth > 8 {
			return
		}
		items := res.Items
		if res.Kind == Map {
			// languageVersion 2.0 (symbolic names, as Bicep writes it):
			// resources is an object keyed by symbolic name.
			items = res.Vals
		}
		for _, rn := range items {
			typ := rn.Get("type").Str()
			switch {
			case rn.Get("existing").True():
				// A symbolic-name reference to a resource deployed elsewhere.
			case isClusterType(typ):
				r.expandCopy(rn.Get("properties"))
				r.resolve(rn)
				reroot(rn, "")
				c := fromResource(rn, Template)
				c.Source = Template
				if sub := rn.Get("resources"); sub != nil {
					for _, cn := range sub.Items {
						if isPoolType(cn.Get("type").Str()) {
							pools = append(pools, child{parent: c.Name, n: cn, r: r})
						}
					}
				}
				clusters = append(clusters, c)
			case isPoolType(typ):
				r.resolve(rn)
				parent, _, _ := strings.Cut(rn.Get("name").Str(), "/")
				pools = append(pools, child{parent: parent, n: rn, r: r})
			case strings.EqualFold(typ, "Microsoft.Resources/deployments"):
				// A nested deployment with an inline template.
				if nt := rn.Lookup("properties.template"); nt != nil && nt.Kind == Map {
					walk(nt, r.nested(rn, nt), depth+1)
				}
			}
		}
	}
	walk(t, &armResolver{params: t.Get("parameters"), vars: t.Get("variables")}, 0)
	if len(clusters) == 0 {
		return nil
	}
	for _, p := range pools {
		p.r.resolve(p.n)
		name := p.n.Get("name").Str()
		if i := strings.LastIndex(name, "/"); i >= 0 {
			name = name[i+1:]
		}
		if name == "" {
			// [concat(parameters('cluster'), '/pool')] or, as Bicep
			// writes it, [format('{0}/{1}', parameters('cluster'),
			// 'pool')]: the literal tail.
			name = p.n.Get("name").Unknown
			if m := armPoolTail.FindStringSubmatch(name); m != nil {
				name = m[1] + m[2]
			}
		}
		owner := clusters[0]
		for _, c := range clusters {
			if c.Name != "" && strings.EqualFold(c.Name, p.parent) {
				owner = c
			}
		}
		reroot(p.n, "agentPools/"+name)
		props := p.n.Get("properties")
		if props == nil {
			continue
		}
		owner.Pools = append(owner.Pools, &Pool{Name: name, Node: props})
	}
	return clusters
}

// armResolver resolves ARM template expressions that are a plain reference
// to a parameter's default value or to a variable, or to a property of one
// ([parameters('x')], [variables('y')], [variables('y').z]). Any other
// expression is left unknown.
type armResolver struct {
	params, vars *Node
	depth        int
}

var (
	armRef = regexp.MustCompile(`^(parameters|variables)\(\s*'([^']*)'\s*\)((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\s*'[^']*'\s*\]|\[\s*\d+\s*\])*)$`)
	// armProp is one property or element access: .name, ['name'] or [2].
	armProp = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*'([^']*)'\s*\]|\[\s*(\d+)\s*\]`)
	// armLength is the length of a parameter default or a variable.
	armLength = regexp.MustCompile(`^length\(\s*((?:parameters|variables)\(\s*'[^']*'\s*\))\s*\)$`)
)

// resolve replaces the expressions in n's subtree in place.
func (r *armResolver) resolve(n *Node) {
	if n == nil {
		return
	}
	switch n.Kind {
	case Map:
		for _, v := range n.Vals {
			r.resolve(v)
		}
	case List:
		for _, v := range n.Items {
			r.resolve(v)
		}
	case Scalar:
		expr, ok := armExpression(n)
		if !ok {
			return
		}
		v := r.eval(expr)
		if v == nil {
			n.Unknown = "[" + expr + "]"
			return
		}
		v = clone(v)
		reroot(v, n.Path)
		v.File, v.Line, v.Column = n.File, n.Line, n.Column
		*n = *v
	}
}

// expandCopy replaces the property copy loops of props ("copy": [{"name":
// "agentPoolProfiles", "count": ..., "input": {...}}]) by the arrays they
// produce, when the count resolves: a number, a parameter default or
// variable, or the length of one. copyIndex('name') in the input becomes
// the element's index.
func (r *armResolver) expandCopy(props *Node) {
	loops := props.Get("copy")
	if loops == nil || loops.Kind != List {
		return
	}
	for _, loop := range loops.Items {
		name, input := loop.Get("name").Str(), loop.Get("input")
		n, ok := r.count(loop.Get("count"))
		if name == "" || input == nil || !ok || n > 1000 {
			continue
		}
		out := &Node{Kind: List, File: loop.File, Line: loop.Line, Column: loop.Column}
		idx := regexp.MustCompile(`copyIndex\(\s*'` + regexp.QuoteMeta(name) + `'\s*(?:,\s*(\d+)\s*)?\)`)
		for i := range n {
			it := clone(input)
			substCopyIndex(it, idx, i)
			out.Items = append(out.Items, it)
		}
		props.Set(name, out)
	}
}

// count resolves a copy loop's count.
func (r *armResolver) count(c *Node) (int, bool) {
	if c == nil {
		return 0, false
	}
	if expr, ok := armExpression(c); ok {
		if m := armLength.FindStringSubmatch(expr); m != nil {
			v := r.eval(m[1])
			if v == nil || v.Kind != List {
				return 0, false
			}
			return len(v.Items), true
		}
		c = r.eval(expr)
	}
	n, ok := c.Int()
	return n, ok && n >= 0
}

// substCopyIndex writes the index i (plus the offset, when given) for
// copyIndex('name') in the expressions of n's subtree.
func substCopyIndex(n *Node, idx *regexp.Regexp, i int) {
	for _, v := range n.Vals {
		substCopyIndex(v, idx, i)
	}
	for _, v := range n.Items {
		substCopyIndex(v, idx, i)
	}
	if _, ok := armExpression(n); ok {
		n.Value = idx.ReplaceAllStringFunc(n.Value, func(m string) string {
			off := 0
			if sm := idx.FindStringSubmatch(m); sm[1] != "" {
				off, _ = strconv.Atoi(sm[1])
			}
			return strconv.Itoa(i + off)
		})
	}
}

// nested returns the resolver of a nested deployment's inline template:
// the parent's in the default outer scope; in the inner scope the nested
// template's own parameters, with the literal values the deployment passes
// (properties.parameters.x.value) as their defaults.
func (r *armResolver) nested(dep, t *Node) *armResolver {
	if !strings.EqualFold(dep.Lookup("properties.expressionEvaluationOptions.scope").Str(), "inner") {
		return r
	}
	params := clone(t.Get("parameters"))
	if passed := dep.Lookup("properties.parameters"); passed != nil && params != nil {
		for i, k := range params.Keys {
			v := passed.Get(k).Get("value")
			if v == nil || params.Vals[i].Kind != Map {
				continue
			}
			v = clone(v)
			r.resolve(v) // the passed value is in the parent's scope
			params.Vals[i].Set("defaultValue", v)
		}
	}
	return &armResolver{params: params, vars: t.Get("variables")}
}

// logic evaluates the conditional and logical functions templates use to
// switch settings on parameters: if(c, a, b), equals(a, b), not(a),
// and(a, b, ...), or(a, b, ...), bool(a). Arguments are references,
// nested calls, 'strings', numbers, true() and false(). Nil when the
// expression is none of these or an argument is unknown.
func (r *armResolver) logic(expr string) *Node {
	open := strings.IndexByte(expr, '(')
	if open < 0 || !strings.HasSuffix(expr, ")") || r.depth > 16 {
		return nil
	}
	fn := strings.ToLower(strings.TrimSpace(expr[:open]))
	switch fn {
	case "if", "equals", "not", "and", "or", "bool":
	default:
		return nil
	}
	args, ok := splitArgs(expr[open+1 : len(expr)-1])
	if !ok {
		return nil
	}
	r.depth++
	defer func() { r.depth-- }()
	vals := make([]*Node, len(args))
	arg := func(i int) *Node {
		if vals[i] == nil {
			vals[i] = r.arg(args[i])
		}
		return vals[i]
	}
	boolean := func(b bool) *Node { return &Node{Kind: Scalar, Tag: "bool", Value: strconv.FormatBool(b)} }
	switch {
	case fn == "if" && len(args) == 3:
		c, ok := arg(0).Bool()
		if !ok {
			return nil
		}
		if c {
			return arg(1)
		}
		return arg(2)
	case fn == "equals" && len(args) == 2:
		a, b := arg(0), arg(1)
		if a == nil || b == nil || a.Kind != Scalar || b.Kind != Scalar {
			return nil
		}
		return boolean(a.Value == b.Value)
	case fn == "not" && len(args) == 1:
		if b, ok := arg(0).Bool(); ok {
			return boolean(!b)
		}
	case fn == "bool" && len(args) == 1:
		if b, ok := arg(0).Bool(); ok {
			return boolean(b)
		}
		if v := arg(0); v != nil && v.Kind == Scalar {
			if b, err := strconv.ParseBool(v.Value); err == nil {
				return boolean(b)
			}
		}
	case (fn == "and" || fn == "or") && len(args) >= 2:
		res := fn == "and"
		for i := range args {
			b, ok := arg(i).Bool()
			if !ok {
				return nil
			}
			if fn == "and" {
				res = res && b
			} else {
				res = res || b
			}
		}
		return boolean(res)
	}
	return nil
}

// arg evaluates one argument of a template function.
func (r *armResolver) arg(a string) *Node {
	a = strings.TrimSpace(a)
	switch {
	case len(a) >= 2 && a[0] == '\'' && a[len(a)-1] == '\'':
		return &Node{Kind: Scalar, Tag: "str", Value: strings.ReplaceAll(a[1:len(a)-1], "''", "'")}
	case a != "" && (a[0] >= '0' && a[0] <= '9' || a[0] == '-'):
		if _, err := strconv.Atoi(a); err == nil {
			return &Node{Kind: Scalar, Tag: "int", Value: a}
		}
		return nil
	}
	v := r.eval(a)
	if v == nil || v.unknownWithin() != nil {
		return nil
	}
	return v
}

// splitArgs splits function arguments at the top-level commas.
func splitArgs(s string) ([]string, bool) {
	var out []string
	depth, start, quoted := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted // '' inside a string toggles twice
		case quoted:
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
			if depth < 0 {
				return nil, false
			}
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if quoted || depth != 0 {
		return nil, false
	}
	return append(out, s[start:]), true
}

// armExpression returns the expression of a string "[...]"; "[[" escapes a
// literal bracket.
func armExpression(n *Node) (string, bool) {
	if n.Tag != "str" || n.Unknown != "" {
		return "", false
	}
	s := strings.TrimSpace(n.Value)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || strings.HasPrefix(s, "[[") {
		return "", false
	}
	return strings.TrimSpace(s[1 : len(s)-1]), true
}

func (r *armResolver) eval(expr string) *Node {
	switch expr {
	case "true()":
		return &Node{Kind: Scalar, Tag: "bool", Value: "true"}
	case "false()":
		return &Node{Kind: Scalar, Tag: "bool", Value: "false"}
	}
	if v := r.logic(expr); v != nil {
		return v
	}
	m := armRef.FindStringSubmatch(expr)
	if m == nil || r.depth > 16 {
		return nil
	}
	var v *Node
	if m[1] == "parameters" {
		v = r.params.Get(m[2]).Get("defaultValue")
	} else {
		v = r.vars.Get(m[2])
	}
	if v == nil {
		return nil
	}
	if m[3] != "" {
		// [parameters('cluster').network.plugin]: resolve the object,
		// then follow its properties.
		v = clone(v)
		r.depth++
		r.resolve(v)
		r.depth--
		for _, pm := range armProp.FindAllStringSubmatch(m[3], -1) {
			if v == nil || v.Unknown != "" {
				return nil
			}
			if pm[3] != "" {
				i, _ := strconv.Atoi(pm[3])
				if v.Kind != List || i >= len(v.Items) {
					return nil
				}
				v = v.Items[i]
				continue
			}
			v = v.Get(pm[1] + pm[2])
		}
		if v == nil || v.unknownWithin() == v {
			return nil
		}
		return clone(v)
	}
	v = clone(v)
	r.depth++
	r.resolve(v)
	r.depth--
	if u := v.unknownWithin(); u != nil && u == v {
		return nil
	}
	return v
}

// LooksLikeJSONInput reports whether the start of a file is AKS
// configuration in JSON: a ManagedCluster (REST, Resource Graph or az aks
// show), an ARM template with one, or a terraform plan with an
// azurerm_kubernetes_cluster. Kubernetes manifests never match (their
// apiVersion starts with a letter, ARM's with a date).
func LooksLikeJSONInput(head []byte) bool {
	t := bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return false
	}
	low := bytes.ToLower(t)
	hasType := bytes.Contains(low, []byte(`"microsoft.containerservice/managedclusters`))
	switch {
	case bytes.Contains(low, []byte(`deploymenttemplate.json`)):
		return hasType
	case bytes.Contains(low, []byte(`"planned_values"`)):
		return bytes.Contains(low, []byte(`"azurerm_kubernetes_cluster"`))
	case k8sAPIVersion.Match(t):
		return false
	}
	return hasType || (bytes.Contains(low, []byte(`"agentpoolprofiles"`)) && bytes.Contains(low, []byte(`"kubernetesversion"`)))
}

var armPoolTail = regexp.MustCompile(`(?:'/([A-Za-z0-9]+)'|^\[\s*format\(\s*'\{0\}/\{1\}'\s*,.*,\s*'([A-Za-z0-9]+)')\s*\)\s*\]$`)

var k8sAPIVersion = regexp.MustCompile(`"apiVersion"\s*:\s*"[A-Za-z]`)
