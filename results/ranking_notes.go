package results

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// seedNotes are the lines under a ranking's text or Markdown table: one for
// each point whose policies ran different seeds, and one for each point
// whose seeds are too few to separate recovered from collapsed (powerless). The rank compares shares
// of runs recovered and mean recoveries, which over different seeds are
// over different runs (a policy that ran seed 1 alone and recovered, 1/1,
// ranks above one that recovered in 1 of seeds 1–5); the note says so.
func seedNotes(rk Ranking) []string {
	var order []point
	rows := map[point][]RankedRow{}
	for _, r := range rk.Rows {
		p := point{r.Scenario, r.Vary, r.Droplets}
		if _, ok := rows[p]; !ok {
			order = append(order, p)
		}
		rows[p] = append(rows[p], r)
	}
	var notes []string
	for _, p := range order {
		rs := rows[p]
		switch g := powerless(rs); {
		case g.unpaired[0] > 0:
			notes = append(notes, fmt.Sprintf("note: at %s a policy that recovered on all its %d runs and one that recovered on none of its %d are a tie: they share too few seeds to be paired, and Fisher's exact test's least p over those runs is %.4g; %d seeds in common can separate them",
				p.where(), g.unpaired[0], g.unpaired[1], g.p, minSignSeeds))
		case g.shared == 1: // Versus makes no test, and the ranking marks no tie
			notes = append(notes, fmt.Sprintf("note: at %s the policies share 1 seed: no test compares single runs, so the ranks are their order and mark no tie; %d seeds or more can separate a policy that recovered on all of them from one that recovered on none",
				p.where(), minSignSeeds))
		case g.shared > 1:
			notes = append(notes, fmt.Sprintf("note: at %s the policies share %d seeds: a policy that recovered on all of them and one that recovered on none are a tie, because the exact sign test's least p over %d seeds is %.4g; %d seeds or more can separate them",
				p.where(), g.shared, g.shared, 2/math.Pow(2, float64(g.shared)), minSignSeeds))
		}
		differ := false
		for _, r := range rs[1:] {
			differ = differ || !slices.Equal(r.seeds(), rs[0].seeds())
		}
		if !differ {
			continue
		}
		var ran []string
		for _, r := range rs {
			ran = append(ran, r.Policy+": "+seedRanges(r.seeds()))
		}
		notes = append(notes, fmt.Sprintf("note: at %s the policies ran different seeds (%s): their ranks compare runs recovered over different seeds",
			p.where(), strings.Join(ran, "; ")))
	}
	return notes
}

// point is a ranking's point: its rows are ranked among themselves.
type point struct {
	scenario, vary string
	droplets       int
}

// where names p in a note.
func (p point) where() string {
	w := p.scenario
	if p.vary != "" {
		w += " " + p.vary
	}
	if p.droplets >= 0 {
		w += fmt.Sprintf(", %d droplets", p.droplets)
	}
	return w
}

// minSignSeeds is the fewest seeds, all discordant one way, whose exact
// two-sided sign test reaches p < 0.05 (2/2⁶ = 0.031; 2/2⁵ = 0.0625).
const minSignSeeds = 6

// powerGap is why two of a point's rows, one that recovered on every run
// Versus compares and one on none, cannot be told apart: they share Shared
// seeds, too few for the sign test (1: single runs, no test); or, compared
// unpaired, Fisher's exact test on their runs (unpaired: the all-recovered
// row's runs, then the other's) gives at least p, not under 0.05.
type powerGap struct {
	shared   int
	unpaired [2]int
	p        float64
}

// powerless is the first pair of rs's rows that recovered all against none
// and that Versus's test cannot separate (powerGap); zero when none. The
// rows need not have run the same seeds: 5/5 on seeds 1–5 and 0/6 on 1–6
// are paired on five, and the sign test on them cannot tell the two apart;
// 2/2 on seeds 1–2 and 0/2 on 2–3 are compared unpaired, Fisher's p 0.33.
func powerless(rs []RankedRow) powerGap {
	for i := range rs {
		for j := i + 1; j < len(rs); j++ {
			a, b := &rs[i], &rs[j]
			if a.Undefined > 0 || b.Undefined > 0 {
				continue
			}
			if b.Recovered == b.Runs && a.Recovered == 0 {
				a, b = b, a // a recovered on all, b on none, if either did
			}
			pa, pb := paired(a.runs, b.runs)
			switch n := len(pa); {
			case n >= 2 || n == 1 && len(a.runs) == 1 && len(b.runs) == 1:
				if n < minSignSeeds && (allOrNone(pa, true) && allOrNone(pb, false) || allOrNone(pa, false) && allOrNone(pb, true)) {
					return powerGap{shared: n}
				}
			case len(a.runs) >= 2 && len(b.runs) >= 2 && a.Recovered == a.Runs && b.Recovered == 0:
				if p := FisherExact(a.Recovered, a.Runs, b.Recovered, b.Runs); p >= 0.05 {
					return powerGap{unpaired: [2]int{a.Runs, b.Runs}, p: p}
				}
			}
		}
	}
	return powerGap{}
}

// allOrNone reports whether every run of os recovered (all) or none did.
func allOrNone(os []outcome, all bool) bool {
	for _, o := range os {
		if o.recovered != all {
			return false
		}
	}
	return true
}

// seeds are the row's seeds, ascending.
func (r RankedRow) seeds() []uint64 {
	s := make([]uint64, len(r.runs))
	for i, o := range r.runs {
		s[i] = o.seed
	}
	return s
}

// seedRanges writes ascending seeds as ranges: "1–5", "1, 3, 7–9".
func seedRanges(s []uint64) string {
	var parts []string
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] == s[j]+1 {
			j++
		}
		part := strconv.FormatUint(s[i], 10)
		if j > i {
			part += "–" + strconv.FormatUint(s[j], 10)
		}
		parts = append(parts, part)
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// writeNotes writes rk's notes (seedNotes) after its table, a blank line
// before them.
func writeNotes(w io.Writer, rk Ranking) error {
	notes := seedNotes(rk)
	if len(notes) == 0 {
		return nil
	}
	_, err := fmt.Fprintf(w, "\n%s\n", strings.Join(notes, "\n"))
	return err
}
