package results

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// TableColumns are the columns of a sweep table, one row per policy (and
// vary values) over its seeds; a vary column follows policy when anything
// was varied.
//
//	recovered       runs that recovered of runs (k/n)
//	recovery        mean recovery time, when every run recovered
//	ratio to ideal  mean ratio [95% interval] (Student t, n−1 degrees of freedom; no
//	                interval for one seed); empty unless every run recovered
//	rank            by mean ratio among the policies of the same vary values; "k=" marks a
//	                policy whose interval overlaps that of the policy ranked k (the
//	                best-ranked such): these seeds cannot tell them apart
//	wasted, amplification   means over the runs; peak queue: the largest
//	never acted     the roles whose control refused or dropped nothing in any run
//	                (Group.Idle): the row is the policy without that part
var TableColumns = []string{"policy", "recovered", "recovery", "ratio to ideal [95% CI]", "rank", "wasted", "amplification", "peak queue", "never acted"}

func tableRow(g Group) []string {
	recovery, ratio, rank, idle := "—", "—", "—", "—"
	if g.Idle != "" {
		idle = g.Idle
	}
	if g.Recovery.N > 0 {
		recovery = Seconds(g.Recovery.Mean)
	}
	if r := g.Ratio; r.N > 0 {
		ratio = fmt.Sprintf("%.3f", r.Mean)
		if r.N > 1 {
			ratio += fmt.Sprintf(" [%.3f, %.3f]", r.Lo(), r.Hi())
		}
		rank = fmt.Sprint(g.Rank)
		if g.Tied {
			rank = fmt.Sprintf("%d=", g.TiedWith)
		}
	}
	recovered := fmt.Sprintf("%d/%d", g.Recovered, g.Runs)
	if g.Undefined == g.Runs {
		recovered = "—" // no trigger: recovery is not defined
	}
	return []string{"`" + g.Policy + "`", recovered, recovery, ratio, rank,
		fmt.Sprintf("%.1f%%", 100*g.Wasted), fmt.Sprintf("%.2f", g.Amplification), fmt.Sprint(g.PeakQueue), idle}
}

// table is the header and rows for summaries, with a vary column when any
// run varied.
func table(ss []Summary) [][]string {
	gs := Groups(ss)
	varied := false
	for _, g := range gs {
		varied = varied || g.Vary != ""
	}
	withVary := func(r []string, v string) []string {
		if !varied {
			return r
		}
		return append(append([]string{r[0]}, v), r[1:]...)
	}
	rows := [][]string{withVary(TableColumns, "vary")}
	for _, g := range gs {
		v := "—"
		if g.Vary != "" {
			v = "`" + g.Vary + "`"
		}
		rows = append(rows, withVary(tableRow(g), v))
	}
	return rows
}

// WriteMarkdown writes summaries as a Markdown table, one row per group of
// runs (Groups).
func WriteMarkdown(w io.Writer, ss []Summary) error { return markdownTable(w, table(ss)) }

// WriteText writes summaries as an aligned plain-text table, one row per
// group of runs (Groups).
func WriteText(w io.Writer, ss []Summary) error { return textTable(w, table(ss)) }

// markdownTable writes rows (the first is the header) as a Markdown table.
func markdownTable(w io.Writer, rows [][]string) error {
	var b strings.Builder
	b.WriteString("| " + strings.Join(rows[0], " | ") + " |\n|")
	for range rows[0] {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range rows[1:] {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// textTable writes rows as aligned plain text, without Markdown's backquotes.
func textTable(w io.Writer, rows [][]string) error {
	t := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		for i := range r {
			r[i] = strings.Trim(r[i], "`")
		}
		fmt.Fprintln(t, strings.Join(r, "\t"))
	}
	return t.Flush()
}
