// Package terraform reads Terraform configuration (.tf files, parsed with
// HCL) into the AKS model of internal/aks: azurerm_kubernetes_cluster,
// azurerm_kubernetes_cluster_node_pool and azurerm_subnet resources, with
// variables (from terraform.tfvars, *.auto.tfvars or their defaults) and
// locals resolved where they are literal. It is a leaf
// package: it brings the HCL dependency, and nothing in the core imports it.
package terraform

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/kubevet/kubevet/internal/aks"
	"github.com/kubevet/kubevet/internal/check"
	"github.com/kubevet/kubevet/internal/engine"
)

// Handler reads .tf files. A Terraform module is a folder, so checking one
// file reads its sibling .tf files too (node pools and subnets are often
// declared apart from the cluster); each cluster is reported by the file
// that declares it.
type Handler struct{}

var _ engine.Handler = Handler{}

// Name implements engine.Handler.
func (Handler) Name() string { return "AKS Terraform configuration" }

// Extensions implements engine.Handler.
func (Handler) Extensions() []string { return []string{".tf"} }

// Match implements engine.Handler: every .tf file, so that none is read as
// a Kubernetes manifest; those without AKS resources give no finding.
func (Handler) Match(name string, head []byte) bool {
	return strings.EqualFold(filepath.Ext(name), ".tf")
}

var clusterDecl = regexp.MustCompile(`resource\s+"azurerm_kubernetes_cluster"`)

// Check implements engine.Handler.
func (Handler) Check(ctx context.Context, name string, r io.Reader, env engine.HandlerEnv) ([]check.Finding, []engine.Note) {
	src, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, []engine.Note{{File: name, Level: engine.NoteError, Message: fmt.Sprintf("read error: %v", err)}}
	}
	if !clusterDecl.Match(src) {
		return nil, nil
	}
	files := map[string][]byte{name: src}
	dir := filepath.Dir(name)
	for _, pattern := range []string{"*.tf", "terraform.tfvars", "*.auto.tfvars"} {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range matches {
			if filepath.Clean(m) == filepath.Clean(name) {
				continue
			}
			if b, err := os.ReadFile(m); err == nil {
				files[m] = b
			}
		}
	}
	res, notes := Parse(files)
	var mine []*aks.Cluster
	for _, c := range aks.ClustersFromTerraform(res) {
		if filepath.Clean(c.Props.File) == filepath.Clean(name) {
			mine = append(mine, c)
		}
	}
	fs, more := aks.Evaluate(mine, env)
	return fs, append(notes, more...)
}

// Parse reads .tf sources (file name → content) and returns their
// resources. Syntax errors are notes; the rest is still read.
func Parse(files map[string][]byte) ([]aks.TFResource, []engine.Note) {
	var notes []engine.Note
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	// Variable values files, which Terraform loads by itself:
	// terraform.tfvars, then *.auto.tfvars in name order.
	sort.SliceStable(names, func(i, j int) bool {
		return filepath.Base(names[i]) == "terraform.tfvars" && filepath.Base(names[j]) != "terraform.tfvars"
	})
	var bodies, varFiles []*hclsyntax.Body
	for _, n := range names {
		f, diags := hclsyntax.ParseConfig(files[n], n, hcl.InitialPos)
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				line := 0
				if d.Subject != nil {
					line = d.Subject.Start.Line
				}
				notes = append(notes, engine.Note{File: n, Line: line, Level: engine.NoteWarning, Message: "Terraform: " + d.Summary + ": " + d.Detail})
			}
		}
		if f == nil {
			continue
		}
		if b, ok := f.Body.(*hclsyntax.Body); ok {
			if strings.HasSuffix(n, ".tfvars") {
				varFiles = append(varFiles, b)
			} else {
				bodies = append(bodies, b)
			}
		}
	}
	ctx := evalContext(bodies, varFiles)
	var out []aks.TFResource
	for _, b := range bodies {
		for _, blk := range b.Blocks {
			if blk.Type != "resource" || len(blk.Labels) != 2 {
				continue
			}
			switch blk.Labels[0] {
			case aks.TFCluster, aks.TFNodePool, aks.TFSubnet, aks.TFDiag:
			default:
				continue
			}
			addr := blk.Labels[0] + "." + blk.Labels[1]
			for _, in := range instances(blk, ctx) {
				body := convertBody(blk.Body, in.ctx, addr, files)
				body.Line, body.Column = blk.DefRange().Start.Line, blk.DefRange().Start.Column
				out = append(out, aks.TFResource{Type: blk.Labels[0], Name: blk.Labels[1], Address: addr + in.key, Body: body})
			}
		}
	}
	return out, notes
}

// instance is one instance of a resource block: its address suffix
// ([0], ["key"]) and the context its attributes are read in.
type instance struct {
	key string
	ctx *hcl.EvalContext
}

// instances expands count and for_each when they evaluate offline (from
// literals and variable defaults): none for count = 0 or an empty
// for_each, one per element otherwise, with count.index or each.key and
// each.value bound. A count or for_each that cannot be evaluated gives one
// instance in which count.index, each.key and each.value are unknown.
func instances(blk *hclsyntax.Block, ctx *hcl.EvalContext) []instance {
	with := func(name string, vals map[string]cty.Value) *hcl.EvalContext {
		c := ctx.NewChild()
		c.Variables = map[string]cty.Value{name: cty.ObjectVal(vals)}
		return c
	}
	if a, ok := blk.Body.Attributes["count"]; ok {
		v, d := a.Expr.Value(ctx)
		n, ok := countOf(v, d.HasErrors())
		if !ok {
			return []instance{{ctx: with("count", map[string]cty.Value{"index": cty.UnknownVal(cty.Number)})}}
		}
		var out []instance
		for i := range n {
			out = append(out, instance{key: fmt.Sprintf("[%d]", i), ctx: with("count", map[string]cty.Value{"index": cty.NumberIntVal(int64(i))})})
		}
		return out
	}
	if a, ok := blk.Body.Attributes["for_each"]; ok {
		v, d := a.Expr.Value(ctx)
		if d.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || !v.CanIterateElements() {
			return []instance{{ctx: with("each", map[string]cty.Value{"key": cty.DynamicVal, "value": cty.DynamicVal})}}
		}
		var out []instance
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			if v.Type().IsSetType() || v.Type().IsListType() || v.Type().IsTupleType() {
				k = ev // a set's each.key is its value
			}
			key := "[" + k.GoString() + "]"
			if k.Type() == cty.String {
				key = fmt.Sprintf("[%q]", k.AsString())
			}
			out = append(out, instance{key: key, ctx: with("each", map[string]cty.Value{"key": k, "value": ev})})
		}
		return out
	}
	return []instance{{ctx: ctx}}
}

// countOf reads a known whole count.
func countOf(v cty.Value, bad bool) (int, bool) {
	if bad || !v.IsWhollyKnown() || v.IsNull() || v.Type() != cty.Number {
		return 0, false
	}
	bf := v.AsBigFloat()
	n, acc := bf.Int64()
	if !bf.IsInt() || acc != 0 || n < 0 || n > 1000 {
		return 0, false
	}
	return int(n), true
}

// evalContext gives var.* the variables' literal values from the values
// files (terraform.tfvars, *.auto.tfvars, later ones winning) or else their
// defaults, and local.* the locals that evaluate from them.
func evalContext(bodies, varFiles []*hclsyntax.Body) *hcl.EvalContext {
	vars := map[string]cty.Value{}
	declared := map[string]bool{}
	for _, b := range bodies {
		for _, blk := range b.Blocks {
			if blk.Type == "variable" && len(blk.Labels) == 1 {
				declared[blk.Labels[0]] = true
				if a, ok := blk.Body.Attributes["default"]; ok {
					if v, d := a.Expr.Value(nil); !d.HasErrors() {
						vars[blk.Labels[0]] = v
					}
				}
			}
		}
	}
	for _, b := range varFiles {
		for name, a := range b.Attributes {
			if !declared[name] {
				continue
			}
			if v, d := a.Expr.Value(nil); !d.HasErrors() {
				vars[name] = v
			}
		}
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)}, Functions: functions}
	locals := map[string]cty.Value{}
	for range 3 { // locals may refer to each other
		ctx.Variables["local"] = cty.ObjectVal(locals)
		for _, b := range bodies {
			for _, blk := range b.Blocks {
				if blk.Type != "locals" {
					continue
				}
				for name, a := range blk.Body.Attributes {
					if v, d := a.Expr.Value(ctx); !d.HasErrors() && v.IsWhollyKnown() {
						locals[name] = v
					}
				}
			}
		}
	}
	ctx.Variables["local"] = cty.ObjectVal(locals)
	return ctx
}

// functions are the pure functions of Terraform's language that modules
// use to compute settings (lookup, try, coalesce, merge, ...), under
// Terraform's names. Functions that read files or the clock are left out:
// calls to them stay unknown.
var functions = map[string]function.Function{
	"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc,
	"max": stdlib.MaxFunc, "min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc,
	"pow": stdlib.PowFunc, "signum": stdlib.SignumFunc,
	"chomp": stdlib.ChompFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
	"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc,
	"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "split": stdlib.SplitFunc,
	"strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc, "title": stdlib.TitleFunc,
	"trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc,
	"trimspace": stdlib.TrimSpaceFunc, "upper": stdlib.UpperFunc,
	"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
	"compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc,
	"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc,
	"keys": stdlib.KeysFunc, "length": stdlib.LengthFunc, "lookup": stdlib.LookupFunc,
	"merge": stdlib.MergeFunc, "range": stdlib.RangeFunc, "reverse": stdlib.ReverseListFunc,
	"setintersection": stdlib.SetIntersectionFunc, "setproduct": stdlib.SetProductFunc,
	"setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc, "slice": stdlib.SliceFunc,
	"sort": stdlib.SortFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
	"jsonencode": stdlib.JSONEncodeFunc, "jsondecode": stdlib.JSONDecodeFunc,
	"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
	"tobool": stdlib.MakeToFunc(cty.Bool), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
}

// convertBody turns a block body into a map node: attributes as values,
// nested blocks as lists of maps (the shape of plan JSON).
func convertBody(b *hclsyntax.Body, ctx *hcl.EvalContext, path string, files map[string][]byte) *aks.Node {
	r := b.SrcRange
	n := &aks.Node{Kind: aks.Map, File: r.Filename, Line: r.Start.Line, Column: r.Start.Column, Path: path}
	attrs := make([]*hclsyntax.Attribute, 0, len(b.Attributes))
	for _, a := range b.Attributes {
		attrs = append(attrs, a)
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].SrcRange.Start.Byte < attrs[j].SrcRange.Start.Byte })
	for _, a := range attrs {
		n.Keys = append(n.Keys, a.Name)
		n.Vals = append(n.Vals, convertAttr(a, ctx, path+"."+a.Name, files))
	}
	groups := map[string]*aks.Node{}
	for _, blk := range b.Blocks {
		typ := blk.Type
		if typ == "dynamic" {
			if len(blk.Labels) != 1 {
				continue
			}
			typ = blk.Labels[0]
		}
		g := groups[typ]
		if g == nil {
			dr := blk.DefRange()
			g = &aks.Node{Kind: aks.List, File: dr.Filename, Line: dr.Start.Line, Column: dr.Start.Column, Path: path + "." + typ}
			groups[typ] = g
			n.Keys = append(n.Keys, typ)
			n.Vals = append(n.Vals, g)
		}
		if blk.Type == "dynamic" {
			g.Items = append(g.Items, expandDynamic(blk, ctx, path+"."+typ, files)...)
			continue
		}
		c := convertBody(blk.Body, ctx, path+"."+typ, files)
		dr := blk.DefRange()
		c.Line, c.Column = dr.Start.Line, dr.Start.Column
		g.Items = append(g.Items, c)
	}
	return n
}

// expandDynamic turns a dynamic block into the blocks it generates: its
// content once per element of for_each, with the iterator (the block's
// label, or iterator = name) bound to the element's key and value. When
// for_each cannot be evaluated, the content is converted once with an
// unknown iterator and marked MaybeAbsent, as whether the block exists at
// all is not known.
func expandDynamic(blk *hclsyntax.Block, ctx *hcl.EvalContext, path string, files map[string][]byte) []*aks.Node {
	var content *hclsyntax.Block
	for _, c := range blk.Body.Blocks {
		if c.Type == "content" {
			content = c
		}
	}
	fe, ok := blk.Body.Attributes["for_each"]
	if content == nil || !ok {
		return nil
	}
	iter := blk.Labels[0]
	if it, ok := blk.Body.Attributes["iterator"]; ok {
		if tr, d := hcl.AbsTraversalForExpr(it.Expr); !d.HasErrors() && len(tr) == 1 {
			iter = tr.RootName()
		}
	}
	dr := blk.DefRange()
	convert := func(key, val cty.Value) *aks.Node {
		child := ctx.NewChild()
		child.Variables = map[string]cty.Value{iter: cty.ObjectVal(map[string]cty.Value{"key": key, "value": val})}
		c := convertBody(content.Body, child, path, files)
		c.Line, c.Column = dr.Start.Line, dr.Start.Column
		return c
	}
	v, diags := fe.Expr.Value(ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || !v.CanIterateElements() {
		c := convert(cty.DynamicVal, cty.DynamicVal)
		c.MaybeAbsent = exprText(fe.Expr, files)
		return []*aks.Node{c}
	}
	var out []*aks.Node
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		out = append(out, convert(k, ev))
	}
	return out
}

func convertAttr(a *hclsyntax.Attribute, ctx *hcl.EvalContext, path string, files map[string][]byte) *aks.Node {
	start := a.SrcRange.Start
	v, diags := a.Expr.Value(ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return &aks.Node{Kind: aks.Scalar, File: a.SrcRange.Filename, Line: start.Line, Column: start.Column, Path: path, Unknown: exprText(a.Expr, files)}
	}
	n := fromCty(v, a.SrcRange.Filename, start, path)
	// Place list elements on their own lines.
	if tup, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok && n.Kind == aks.List && len(tup.Exprs) == len(n.Items) {
		for i, e := range tup.Exprs {
			s := e.Range().Start
			n.Items[i].Line, n.Items[i].Column = s.Line, s.Column
		}
	}
	return n
}

// exprText is the source of an expression, for unknown values.
func exprText(e hclsyntax.Expression, files map[string][]byte) string {
	r := e.Range()
	if src, ok := files[r.Filename]; ok && r.End.Byte <= len(src) && r.Start.Byte < r.End.Byte {
		return strings.TrimSpace(string(src[r.Start.Byte:r.End.Byte]))
	}
	return "an expression"
}

func fromCty(v cty.Value, file string, at hcl.Pos, path string) *aks.Node {
	n := &aks.Node{File: file, Line: at.Line, Column: at.Column, Path: path}
	if v.IsNull() {
		n.Kind, n.Tag = aks.Null, "null"
		return n
	}
	t := v.Type()
	switch {
	case t == cty.Bool:
		n.Kind, n.Tag, n.Value = aks.Scalar, "bool", fmt.Sprint(v.True())
	case t == cty.Number:
		n.Kind, n.Tag, n.Value = aks.Scalar, "float", v.AsBigFloat().Text('f', -1)
		if bf := v.AsBigFloat(); bf.IsInt() {
			n.Tag = "int"
		}
	case t == cty.String:
		n.Kind, n.Tag, n.Value = aks.Scalar, "str", v.AsString()
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		n.Kind = aks.List
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, ev := it.Element()
			n.Items = append(n.Items, fromCty(ev, file, at, fmt.Sprintf("%s[%d]", path, i)))
		}
	case t.IsMapType() || t.IsObjectType():
		n.Kind = aks.Map
		keys := []string{}
		vals := map[string]cty.Value{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			keys = append(keys, k.AsString())
			vals[k.AsString()] = ev
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Keys = append(n.Keys, k)
			n.Vals = append(n.Vals, fromCty(vals[k], file, at, path+"."+k))
		}
	default:
		n.Kind, n.Unknown = aks.Scalar, "a value of type "+t.FriendlyName()
	}
	return n
}
