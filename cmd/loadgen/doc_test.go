package main

import (
	"os"
	"strings"
	"testing"
)

// TestDocListsCommands: the package doc's command list names every command
// dispatch runs, so the overview cannot go stale when one is added.
func TestDocListsCommands(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	_, list, ok := strings.Cut(string(b), "// # Commands\n")
	if !ok {
		t.Fatal("doc.go has no # Commands section")
	}
	list, _, _ = strings.Cut(list, "\n//\n// Run ")
	for _, c := range commands {
		if !strings.Contains(list, "//\tloadgen "+c+" ") && !strings.Contains(list, "//\tloadgen "+c+"\n") {
			t.Errorf("doc.go's command list does not name %q (commands: %v)", c, commands)
		}
	}
}
