package bench

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/aftershock/aftershock/results"
)

var update = flag.Bool("update", false, "rewrite testdata/golden files from the current model")

// TestGoldenSummaries pins the outcome of the us-east-1 scenario at 5,000
// droplets under the three reference policies, byte for byte (wall_s aside).
// A change that moves them fails here; if the move is intended, rerun with
// -update and say in the commit which validated number moved and why
// (DESIGN.md, "Validation ladder"). The bytes are those of amd64 at the
// default GOAMD64=v1; where the compiler fuses multiply-adds (arm64,
// GOAMD64=v3) last digits may differ.
//
//	go test ./bench -run Golden -update
func TestGoldenSummaries(t *testing.T) {
	var runs []Run
	for _, p := range []string{"none", "operator", "queue-size"} {
		runs = append(runs, Run{Scenario: usEast1(t), Policy: p, Seed: 1, Droplets: 5_000})
	}
	outs, err := Sweep(runs, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	var sums []results.Summary
	for _, o := range outs {
		o.Summary.WallS = 0
		sums = append(sums, o.Summary)
	}
	var got bytes.Buffer
	if err := results.WriteSummaries(&got, sums...); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden", "us-east-1-5000.csv")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("us-east-1 outcomes moved; if intended, run go test ./bench -run Golden -update and say why in the commit\ngot:\n%s\nwant:\n%s", got.Bytes(), want)
	}
}
