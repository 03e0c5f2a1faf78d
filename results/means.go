package results

import (
	"sort"
	"strconv"
)

// GroupMeans are the means of named measures (a model's own, such as
// netprop's and nlb's) per group of runs, a group being a policy and its vary
// values over the seeds; the groups are in the order of their first run.
// The zero value is empty; it is not safe for concurrent use.
type GroupMeans struct {
	names []string
	order []string
	first map[string]int // each group's first run
	sum   map[string][]float64
	n     map[string]int
}

// GroupOf is the group of a run's summary: its policy, then its vary values.
func GroupOf(s Summary) string {
	if s.Vary != "" {
		return s.Policy + " " + s.Vary
	}
	return s.Policy
}

// Add records run's measures in group; the first call names the measures
// (later values beyond them are ignored). No values adds nothing.
func (m *GroupMeans) Add(run int, group string, names []string, values []float64) {
	if len(values) == 0 {
		return
	}
	if m.sum == nil {
		m.sum, m.n, m.first = map[string][]float64{}, map[string]int{}, map[string]int{}
		m.names = append([]string(nil), names...)
	}
	if _, ok := m.sum[group]; !ok {
		m.order = append(m.order, group)
		m.sum[group] = make([]float64, len(m.names))
		m.first[group] = run
	}
	m.first[group] = min(m.first[group], run)
	for i, x := range values {
		if i < len(m.names) {
			m.sum[group][i] += x
		}
	}
	m.n[group]++
}

// Table is the means, one row per group in the order of its first run,
// after a header ("policy", "runs", the measures' names); nil without any.
// Means have 4 significant digits.
func (m *GroupMeans) Table() Table {
	if len(m.order) == 0 {
		return Table{}
	}
	sort.SliceStable(m.order, func(a, b int) bool { return m.first[m.order[a]] < m.first[m.order[b]] })
	rows := [][]string{append([]string{"policy", "runs"}, m.names...)}
	for _, k := range m.order {
		row := []string{k, strconv.Itoa(m.n[k])}
		for _, v := range m.sum[k] {
			row = append(row, strconv.FormatFloat(v/float64(m.n[k]), 'g', 4, 64))
		}
		rows = append(rows, row)
	}
	return Table{Rows: rows, Pad: true}
}
