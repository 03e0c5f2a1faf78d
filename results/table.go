package results

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// TableColumns are the columns of a sweep table, one row per policy (and
// vary values) over its seeds; a vary column follows policy when anything
// was varied.
//
//	recovered       runs that recovered of runs (k/n); an undetermined run did not
//	recovery        mean recovery time, when every run recovered
//	ratio to ideal  mean ratio [95% interval] (Student t, n−1 degrees of freedom; no
//	                interval for one seed); empty unless every run recovered with an ideal
//	rank            among the policies of the same vary values, by Versus's rule as
//	                `loadgen compare` ranks: the largest share of runs recovered
//	                first, then the least mean recovery time; "k=" marks a policy
//	                that the rule's test (paired by seed) cannot tell from the
//	                policy ranked k (the best-ranked such)
//	wasted, amplification   means over the runs that have one; peak queue: the largest
//	never acted     the roles whose control refused or dropped nothing in any run
//	                (Group.Idle): the row is the policy without that part
var TableColumns = []string{"policy", "recovered", "recovery", "ratio to ideal [95% CI]", "rank", "wasted", "amplification", "peak queue", "never acted"}

func tableRow(g Group) []string {
	recovery, ratio, idle := "—", "—", "—"
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
	}
	return []string{"`" + g.Policy + "`", recoveredCell(g.RankedRow), recovery, ratio, rankCell(g.Rank, g.TiedWith),
		pctCell(g.Wasted), numCell(g.Amplification), peakCell(g.PeakQueue), idle}
}

// rankCell is a rank as the tables print it: "k=" for the row ranked k
// that a lower row cannot be told from, "r (k=)" for a row ranked r that
// the test cannot tell from the row ranked k, "—" when unranked.
func rankCell(rank, tiedWith int) string {
	switch {
	case rank <= 0:
		return "—"
	case tiedWith == rank:
		return strconv.Itoa(rank) + "="
	case tiedWith > 0:
		return fmt.Sprintf("%d (%d=)", rank, tiedWith)
	}
	return strconv.Itoa(rank)
}

// pctCell is a fraction in percent, "—" when it does not exist.
func pctCell(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}

// numCell is a mean to two decimals, "—" when it does not exist.
func numCell(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.2f", v)
}

// peakCell is a peak queue, "—" when no run reported one.
func peakCell(n int) string {
	if n < 0 {
		return "—"
	}
	return strconv.Itoa(n)
}

// table is the header and rows for groups, with a vary column when any
// run varied.
func table(gs []Group) [][]string {
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
// runs (Groups), and under it the ranking's notes as compare writes them
// (too few shared seeds to separate all from none; different seeds).
func WriteMarkdown(w io.Writer, ss []Summary) error {
	gs := Groups(ss)
	if err := markdownTable(w, table(gs)); err != nil {
		return err
	}
	return writeNotes(w, groupRanking(gs))
}

// WriteText writes summaries as an aligned plain-text table, one row per
// group of runs (Groups), and under it the ranking's notes as WriteMarkdown.
func WriteText(w io.Writer, ss []Summary) error {
	gs := Groups(ss)
	if err := textTable(w, table(gs)); err != nil {
		return err
	}
	return writeNotes(w, groupRanking(gs))
}

// groupRanking is gs as a Ranking without a baseline, for its notes.
func groupRanking(gs []Group) Ranking {
	rk := Ranking{Rows: make([]RankedRow, len(gs))}
	for i, g := range gs {
		rk.Rows[i] = g.RankedRow
	}
	return rk
}

// markdownTable writes rows (the first is the header) as a Markdown table.
func markdownTable(w io.Writer, rows [][]string) error { return Table{Rows: rows}.Markdown(w) }

// textTable writes rows as aligned plain text, without Markdown's backquotes.
func textTable(w io.Writer, rows [][]string) error {
	for _, r := range rows {
		for i := range r {
			r[i] = strings.Trim(r[i], "`")
		}
	}
	return Table{Rows: rows}.Text(w)
}

// Table is rows of text cells, the first the header, written as Markdown or
// as aligned plain text: the module's one table writer.
type Table struct {
	Rows [][]string
	Rule string // Markdown: the cell under each header cell; "" is "---"
	Pad  bool   // text: pad the last column as the others (each cell followed by two spaces at least)
}

// Markdown writes the table as Markdown: "| a | b |", then "|---|---|".
func (t Table) Markdown(w io.Writer) error {
	if len(t.Rows) == 0 {
		return nil
	}
	rule := t.Rule
	if rule == "" {
		rule = "---"
	}
	var b strings.Builder
	b.WriteString("| " + strings.Join(t.Rows[0], " | ") + " |\n|")
	for range t.Rows[0] {
		b.WriteString(rule + "|")
	}
	b.WriteString("\n")
	for _, r := range t.Rows[1:] {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Text writes the table as columns aligned with spaces, two between them.
func (t Table) Text(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	end := ""
	if t.Pad {
		end = "\t"
	}
	for _, r := range t.Rows {
		fmt.Fprintln(tw, strings.Join(r, "\t")+end)
	}
	return tw.Flush()
}
