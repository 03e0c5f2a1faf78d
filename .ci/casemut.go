//go:build ignore

// casemut runs by hand the mutants gremlins reports NOT COVERED, one at a
// time, against a package's own tests, and prints gremlins' verdict for
// each: KILLED (a test failed), LIVED (every test passed), NOT VIABLE (the
// mutant does not build).
//
// Why: gremlins takes a mutant as covered when a block of the coverage
// profile holds its position, and Go's cover tool starts a case clause's
// block after its colon, so every operator in a case expression
// (`case a < b:`) is NOT COVERED however many tests run it. This runs them
// anyway. The mutant is given to go test as an -overlay, so the tree is
// never touched.
//
//	go run .ci/casemut.go PKG < gremlins.log
//
// reads gremlins' report lines (" NOT COVERED CONDITIONALS_BOUNDARY at
// file.go:12:7"; every other line is skipped) and mutates as gremlins v0.6.0
// does (internal/engine/mappings.go).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
)

var mutations = map[string]map[token.Token]token.Token{
	"ARITHMETIC_BASE":       {token.ADD: token.SUB, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL, token.SUB: token.ADD},
	"CONDITIONALS_BOUNDARY": {token.GEQ: token.GTR, token.GTR: token.GEQ, token.LEQ: token.LSS, token.LSS: token.LEQ},
	"CONDITIONALS_NEGATION": {token.EQL: token.NEQ, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR, token.LSS: token.GEQ, token.NEQ: token.EQL},
	"INCREMENT_DECREMENT":   {token.DEC: token.INC, token.INC: token.DEC},
	"INVERT_NEGATIVES":      {token.SUB: token.ADD},
}

var line = regexp.MustCompile(`NOT COVERED\s+(\w+) at (\S+\.go):(\d+):(\d+)`)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run .ci/casemut.go PKG < gremlins.log")
		os.Exit(2)
	}
	pkg := os.Args[1]
	tmp, err := os.MkdirTemp("", "casemut")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		m := line.FindStringSubmatch(in.Text())
		if m == nil {
			continue
		}
		l, _ := strconv.Atoi(m[3])
		c, _ := strconv.Atoi(m[4])
		status, what := run(tmp, pkg, m[1], m[2], l, c)
		fmt.Printf("%12s %s at %s:%d:%d (by hand: %s)\n", status, m[1], m[2], l, c, what)
	}
	if err := in.Err(); err != nil {
		fail(err)
	}
}

// run applies mutator at file:l:c of pkg and runs pkg's tests with it.
func run(tmp, pkg, mutator, file string, l, c int) (status, what string) {
	path, err := filepath.Abs(filepath.Join(pkg, file))
	if err != nil {
		fail(err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	fset := token.NewFileSet()
	f := fset.AddFile(path, -1, len(src))
	var s scanner.Scanner
	s.Init(f, src, nil, 0)
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			return "UNKNOWN", "no token there"
		}
		p := fset.Position(pos)
		if p.Line != l || p.Column != c {
			continue
		}
		to, ok := mutations[mutator][tok]
		if !ok {
			return "UNKNOWN", fmt.Sprintf("%s does not mutate %s", mutator, tok)
		}
		off := f.Offset(pos)
		mutant := append(append(append([]byte{}, src[:off]...), to.String()...), src[off+len(tok.String()):]...)
		mp, ov := filepath.Join(tmp, "mutant.go"), filepath.Join(tmp, "overlay.json")
		js, _ := json.Marshal(map[string]map[string]string{"Replace": {path: mp}})
		if err := os.WriteFile(mp, mutant, 0o644); err != nil {
			fail(err)
		}
		if err := os.WriteFile(ov, js, 0o644); err != nil {
			fail(err)
		}
		what = fmt.Sprintf("%s -> %s", tok, to)
		out, err := exec.Command("go", "test", "-count=1", "-failfast", "-overlay", ov, "./"+pkg).CombinedOutput()
		switch {
		case err == nil:
			return "LIVED", what
		case bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")):
			return "NOT VIABLE", what
		}
		return "KILLED", what
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "casemut:", err)
	os.Exit(1)
}
