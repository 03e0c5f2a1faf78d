package results

import (
	"bytes"
	"io"
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

// TestSweepTableCarriesTheNotes: sweep's table (WriteText, WriteMarkdown)
// ranks as compare does, so it says the same notes under it: 5/5 against
// 0/5 over 5 seeds is a tie there too, and the note says why (the table
// used to print "2 (1=)" with nothing under it); over 6 seeds, no note.
func TestSweepTableCarriesTheNotes(t *testing.T) {
	runs := func(seeds uint64) []Summary {
		var ss []Summary
		for seed := uint64(1); seed <= seeds; seed++ {
			ss = append(ss, run("good", "", seed, 50), run("bad", "", seed, math.NaN()))
		}
		return ss
	}
	for _, w := range []struct {
		name  string
		write func(io.Writer, []Summary) error
	}{{"text", WriteText}, {"markdown", WriteMarkdown}} {
		var five, six bytes.Buffer
		if err := w.write(&five, runs(5)); err != nil {
			t.Fatal(err)
		}
		if err := w.write(&six, runs(6)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(five.String(), "share 5 seeds") {
			t.Errorf("%s, 5 seeds, 5/5 against 0/5: no power note:\n%s", w.name, five.String())
		}
		if strings.Contains(six.String(), "note:") {
			t.Errorf("%s, 6 seeds: a note:\n%s", w.name, six.String())
		}
	}
}

// TestPowerNoteOneSeed: over one shared seed Versus makes no test and the
// ranking marks no tie (1/1 ranks 1, 0/1 ranks 2), so the note must not call
// them a tie (it said "are a tie, because the exact sign test's least p over
// 1 seeds is 1"): it says no test was made.
func TestPowerNoteOneSeed(t *testing.T) {
	rk, err := Rank([]Summary{run("good", "", 1, 50), run("bad", "", 1, math.NaN())}, "")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteRanking(&b, rk, "text"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "1=") {
		t.Fatalf("one seed: a tie marked, the note's premise changed:\n%s", out)
	}
	if strings.Contains(out, "are a tie") || !strings.Contains(out, "share 1 seed: no test") {
		t.Errorf("one seed, 1/1 against 0/1 ranked apart with no test: the note says otherwise:\n%s", out)
	}
}

// TestPowerNoteOverSharedSeeds: rows that ran different seeds are paired on
// those they share, so 5/5 on seeds 1–5 against 0/6 on 1–6 is a sign test
// over 5 seeds, a tie, and the power note says so beside the
// different-seeds note (it was left out whenever the seed sets differed);
// 6/6 against 0/7 is ranked apart, no power note; rows of two runs sharing
// one seed are compared unpaired, by Fisher's test, whose least p over 2 and
// 2 runs is 0.33: a tie, and a note says why; over 4 and 4 (0.029) none.
func TestPowerNoteOverSharedSeeds(t *testing.T) {
	nan := math.NaN()
	text := func(good, bad []uint64) (string, Ranking) {
		var ss []Summary
		for _, s := range good {
			ss = append(ss, run("good", "", s, 50))
		}
		for _, s := range bad {
			ss = append(ss, run("bad", "", s, nan))
		}
		rk, err := Rank(ss, "")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteRanking(&b, rk, "text"); err != nil {
			t.Fatal(err)
		}
		return b.String(), rk
	}
	out, rk := text([]uint64{1, 2, 3, 4, 5}, []uint64{1, 2, 3, 4, 5, 6})
	if !strings.Contains(out, "(1=)") || !strings.Contains(out, "share 5 seeds") || !strings.Contains(out, "ran different seeds") {
		t.Errorf("5/5 on 1-5 against 0/6 on 1-6 (ranks %d, %d): want the tie, the power note and the seeds note:\n%s", rankOf(rk, "good"), rankOf(rk, "bad"), out)
	}
	if out, _ := text([]uint64{1, 2, 3, 4, 5, 6}, []uint64{1, 2, 3, 4, 5, 6, 7}); strings.Contains(out, "(1=)") || strings.Contains(out, "share") {
		t.Errorf("6/6 against 0/7: want them apart, no power note:\n%s", out)
	}
	if out, _ := text([]uint64{1, 2}, []uint64{2, 3}); !strings.Contains(out, "(1=)") || strings.Contains(out, "policies share") ||
		!strings.Contains(out, "all its 2 runs and one that recovered on none of its 2 are a tie") {
		t.Errorf("two runs a side sharing one seed: compared unpaired, Fisher's p 0.33, a tie the note explains:\n%s", out)
	}
	if out, _ := text([]uint64{1, 2, 3, 4}, []uint64{5, 6, 7, 8}); strings.Contains(out, "(1=)") || strings.Contains(out, "are a tie") {
		t.Errorf("4/4 against 0/4 unpaired: Fisher's p 0.029 ranks them apart, no power note:\n%s", out)
	}
}
