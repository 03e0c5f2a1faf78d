package results

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// seedNotes are the lines under a ranking's text or Markdown table: one for
// each point whose policies ran different seeds. The rank compares shares
// of runs recovered and mean recoveries, which over different seeds are
// over different runs (a policy that ran seed 1 alone and recovered, 1/1,
// ranks above one that recovered in 1 of seeds 1–5); the note says so.
func seedNotes(rk Ranking) []string {
	type point struct {
		scenario, vary string
		droplets       int
	}
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
		differ := false
		for _, r := range rs[1:] {
			differ = differ || !slices.Equal(r.seeds(), rs[0].seeds())
		}
		if !differ {
			continue
		}
		where := p.scenario
		if p.vary != "" {
			where += " " + p.vary
		}
		if p.droplets >= 0 {
			where += fmt.Sprintf(", %d droplets", p.droplets)
		}
		var ran []string
		for _, r := range rs {
			ran = append(ran, r.Policy+": "+seedRanges(r.seeds()))
		}
		notes = append(notes, fmt.Sprintf("note: at %s the policies ran different seeds (%s): their ranks compare runs recovered over different seeds",
			where, strings.Join(ran, "; ")))
	}
	return notes
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
