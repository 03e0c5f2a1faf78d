package results

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// TableColumns are the columns of a comparison table.
var TableColumns = []string{"policy", "recovered", "recovery", "ratio to ideal", "wasted", "amplification", "peak queue"}

func tableRow(s Summary) []string {
	rec, recovery, ratio := "no", "—", "—"
	if s.Undefined {
		rec = "—"
	}
	if s.Recovered {
		rec = "yes"
		recovery = time.Duration(s.RecoveryS * 1e9).Round(time.Second).String()
		if r := s.Ratio(); !math.IsNaN(r) {
			ratio = fmt.Sprintf("%.3f", r)
		}
	}
	return []string{"`" + s.Policy + "`", rec, recovery, ratio, fmt.Sprintf("%.1f%%", 100*s.WastedFraction),
		fmt.Sprintf("%.2f", s.Amplification), fmt.Sprint(s.PeakQueue)}
}

// WriteMarkdown writes summaries as a Markdown table, one row per summary.
func WriteMarkdown(w io.Writer, ss []Summary) error {
	var b strings.Builder
	b.WriteString("| " + strings.Join(TableColumns, " | ") + " |\n|")
	for range TableColumns {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, s := range ss {
		b.WriteString("| " + strings.Join(tableRow(s), " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteText writes summaries as an aligned plain-text table.
func WriteText(w io.Writer, ss []Summary) error {
	t := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(t, strings.Join(TableColumns, "\t"))
	for _, s := range ss {
		r := tableRow(s)
		r[0] = strings.Trim(r[0], "`")
		fmt.Fprintln(t, strings.Join(r, "\t"))
	}
	return t.Flush()
}
