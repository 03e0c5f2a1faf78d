package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 18's limits: no function of the module (tests aside) takes more
// than maxParams parameters, and none in cmd/ runs over maxCmdLines lines
// (from func to its closing brace).
const (
	maxParams   = 5
	maxCmdLines = 60
)

// TestStyleLimits parses every non-test Go file of the module and holds it
// to the limits, naming each function over one.
func TestStyleLimits(t *testing.T) {
	root := filepath.Join("..", "..")
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		files++
		checkStyle(t, path, filepath.ToSlash(rel))
		return nil
	})
	if err != nil || files < 100 {
		t.Fatalf("parsed %d files (%v), want the module's hundreds", files, err)
	}
}

// checkStyle reports the functions of one file over the limits.
func checkStyle(t *testing.T, path, rel string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		var typ *ast.FuncType
		name := "a func literal"
		switch x := n.(type) {
		case *ast.FuncDecl:
			typ, name = x.Type, x.Name.Name
			lines := fset.Position(x.End()).Line - fset.Position(x.Pos()).Line + 1
			if strings.HasPrefix(rel, "cmd/") && x.Body != nil && lines > maxCmdLines {
				t.Errorf("%s:%d: %s is %d lines, over %d", rel, fset.Position(x.Pos()).Line, name, lines, maxCmdLines)
			}
		case *ast.FuncLit:
			typ = x.Type
		default:
			return true
		}
		if n := typ.Params.NumFields(); n > maxParams {
			t.Errorf("%s:%d: %s takes %d parameters, over %d (an options struct)", rel, fset.Position(typ.Pos()).Line, name, n, maxParams)
		}
		return true
	})
}
