package results

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// TestSeedNotes: a policy that ran seed 1 alone and recovered (1/1) ranks
// above one that recovered in 1 of seeds 1–5; the text and Markdown tables
// say under them that those policies ran different seeds, naming each one's
// seeds. A point whose policies ran the same seeds gets no note, and CSV
// has none (its rows are the data).
func TestSeedNotes(t *testing.T) {
	nan := math.NaN()
	ss := []Summary{run("lone", "", 1, 100)}
	for seed := uint64(1); seed <= 5; seed++ {
		r := nan
		if seed == 3 {
			r = 100
		}
		ss = append(ss, run("five", "", seed, r), run("same", "k=2", seed, 50), run("other", "k=2", seed, 60))
	}
	ss = append(ss, run("gaps", "", 1, 90), run("gaps", "", 3, 90), run("gaps", "", 4, 90))
	rk, err := Rank(ss, "")
	if err != nil {
		t.Fatal(err)
	}
	if !(rankOf(rk, "lone") < rankOf(rk, "five")) {
		t.Fatalf("the test wants 1/1 ranked above 1/5: %+v", rk.Rows)
	}
	for _, f := range []string{"text", "markdown"} {
		var b bytes.Buffer
		if err := WriteRanking(&b, rk, f); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		want := "note: at us-east-1, 1000 droplets the policies ran different seeds (gaps: 1, 3–4; lone: 1; five: 1–5): their ranks compare runs recovered over different seeds"
		if !strings.Contains(out, want) || strings.Count(out, "note:") != 1 {
			t.Errorf("%s: want one note, for the point without k=2:\n%s\nwant %q", f, out, want)
		}
	}
	var b bytes.Buffer
	if err := WriteRanking(&b, rk, "csv"); err != nil || strings.Contains(b.String(), "note:") {
		t.Errorf("csv: a note, or %v", err)
	}
}

func rankOf(rk Ranking, policy string) int {
	for _, r := range rk.Rows {
		if r.Policy == policy {
			return r.Rank
		}
	}
	return -1
}

// TestPowerNote: over 5 shared seeds a policy that always recovered and one
// that never did are a tie (the sign test's least p is 0.0625), and the
// table says why under it and how many seeds would do; over 6 seeds they
// are ranked apart and there is no note; nor over 5 seeds when no policy
// is all-or-nothing against another.
func TestPowerNote(t *testing.T) {
	nan := math.NaN()
	table := func(seeds uint64, collapsed bool) string {
		var ss []Summary
		for seed := uint64(1); seed <= seeds; seed++ {
			r := 70.0
			if collapsed {
				r = nan
			}
			ss = append(ss, run("good", "", seed, 50), run("bad", "", seed, r))
		}
		rk, err := Rank(ss, "")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteRanking(&b, rk, "text"); err != nil {
			t.Fatal(err)
		}
		if collapsed && seeds < 6 && rankOf(rk, "bad") != rankOf(rk, "good") && !strings.Contains(b.String(), "1=") {
			t.Errorf("%d seeds: 5/5 and 0/5 not a tie:\n%s", seeds, b.String())
		}
		return b.String()
	}
	want := "note: at us-east-1, 1000 droplets the policies share 5 seeds: a policy that recovered on all of them and one that recovered on none are a tie, because the exact sign test's least p over 5 seeds is 0.0625; 6 seeds or more can separate them"
	if out := table(5, true); !strings.Contains(out, want) {
		t.Errorf("5 seeds, 5/5 against 0/5:\n%s\nwant %q", out, want)
	}
	if out := table(6, true); strings.Contains(out, "note:") {
		t.Errorf("6 seeds: a note:\n%s", out)
	}
	if out := table(5, false); strings.Contains(out, "note:") {
		t.Errorf("5 seeds, both recovered: a note:\n%s", out)
	}
}
