package main

import (
	"fmt"
	"io"

	"github.com/aftershock/aftershock/bench"
	"github.com/aftershock/aftershock/results"
)

// addMeasures records run i's model measures (netprop, nlb: model.Extras)
// in its group; runs of a model without any add nothing.
func addMeasures(m *results.GroupMeans, i int, o bench.Outcome) {
	names, values := make([]string, len(o.Metrics)), make([]float64, len(o.Metrics))
	for k, x := range o.Metrics {
		names[k], values[k] = x.Name, x.Value
	}
	m.Add(i, results.GroupOf(o.Summary), names, values)
}

// writeMeasures prints the table of the measures' means per policy (and
// vary values), as Markdown if md; nothing without measures.
func writeMeasures(w io.Writer, m *results.GroupMeans, md bool) {
	t := m.Table()
	if len(t.Rows) == 0 {
		return
	}
	fmt.Fprintln(w)
	if md {
		fmt.Fprintln(w, "Model measures, mean over seeds:")
		fmt.Fprintln(w)
		t.Markdown(w)
		return
	}
	fmt.Fprintln(w, "model measures, mean over seeds:")
	t.Text(w)
}
