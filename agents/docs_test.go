package agents

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestModelDocLinks: every rule docs/model.md links, as [`pkg.Name`](../pkg/file.go)
// or [`pkg.Type.Method`](...), is declared in the file it links to, so a
// reader finds each rule in one hop and a renamed rule breaks this test,
// not the page.
func TestModelDocLinks(t *testing.T) {
	doc, err := os.ReadFile("../docs/model.md")
	require.NoError(t, err)
	link := regexp.MustCompile("\\[`(agents|scenarios)\\.([A-Za-z.]+)`\\]\\(\\.\\./([a-z]+/[a-z_]+\\.go)\\)")
	found := link.FindAllStringSubmatch(string(doc), -1)
	require.Greater(t, len(found), 30, "docs/model.md links its rules")
	decls := map[string]map[string]bool{} // file → declared names (Type.Method for methods)
	for _, m := range found {
		pkg, name, file := m[1], m[2], m[3]
		assert.True(t, strings.HasPrefix(file, pkg+"/"), "%s.%s links to %s, outside its package", pkg, name, file)
		if decls[file] == nil {
			decls[file] = declaredNames(t, filepath.Join("..", file))
		}
		assert.True(t, decls[file][name], "docs/model.md links %s.%s to %s, which does not declare it", pkg, name, file)
	}
}

// declaredNames lists the functions, methods (as Type.Method) and types a
// Go file declares.
func declaredNames(t *testing.T, path string) map[string]bool {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	require.NoError(t, err)
	names := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				typ := d.Recv.List[0].Type
				if star, ok := typ.(*ast.StarExpr); ok {
					typ = star.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					name = id.Name + "." + name
				}
			}
			names[name] = true
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok {
					names[ts.Name.Name] = true
				}
			}
		}
	}
	return names
}
