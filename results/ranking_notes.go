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
		switch n := powerless(rs); {
		case n == 1: // Versus makes no test, and the ranking marks no tie
			notes = append(notes, fmt.Sprintf("note: at %s the policies share 1 seed: no test compares single runs, so the ranks are their order and mark no tie; %d seeds or more can separate a policy that recovered on all of them from one that recovered on none",
				p.where(), minSignSeeds))
		case n > 1:
			notes = append(notes, fmt.Sprintf("note: at %s the policies share %d seeds: a policy that recovered on all of them and one that recovered on none are a tie, because the exact sign test's least p over %d seeds is %.4g; %d seeds or more can separate them",
				p.where(), n, n, 2/math.Pow(2, float64(n)), minSignSeeds))
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

// powerless is the number of seeds a point's rows share when they are too
// few for the sign test to separate a row that recovered on every seed
// from one that recovered on none, and some pair of rows is so; 0
// otherwise (the rows ran different seeds: seedNotes says so).
func powerless(rs []RankedRow) int {
	all, none := false, false
	for _, r := range rs {
		if !slices.Equal(r.seeds(), rs[0].seeds()) {
			return 0
		}
		all = all || (r.Runs > 0 && r.Recovered == r.Runs && r.Undefined == 0)
		none = none || (r.Runs > 0 && r.Recovered == 0 && r.Undefined == 0)
	}
	if n := len(rs[0].seeds()); all && none && n > 0 && n < minSignSeeds {
		return n
	}
	return 0
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
