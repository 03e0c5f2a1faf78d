package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/aftershock/aftershock/bench/model"
	"github.com/aftershock/aftershock/results"
)

// measures are the model's own measures of a sweep's runs (netprop, nlb:
// model.Extras), averaged per policy (and vary values) over its seeds, in
// the order of the runs.
type measures struct {
	names []string
	order []string
	first map[string]int // each group's first run
	sum   map[string][]float64
	n     map[string]int
}

// add records the measures of run i; runs of a model without any add
// nothing.
func (m *measures) add(i int, s results.Summary, ms []model.Metric) {
	if len(ms) == 0 {
		return
	}
	if m.sum == nil {
		m.sum, m.n, m.first = map[string][]float64{}, map[string]int{}, map[string]int{}
		for _, x := range ms {
			m.names = append(m.names, x.Name)
		}
	}
	key := s.Policy
	if s.Vary != "" {
		key += " " + s.Vary
	}
	if _, ok := m.sum[key]; !ok {
		m.order = append(m.order, key)
		m.sum[key] = make([]float64, len(m.names))
		m.first[key] = i
	}
	m.first[key] = min(m.first[key], i)
	for i, x := range ms {
		if i < len(m.names) {
			m.sum[key][i] += x.Value
		}
	}
	m.n[key]++
}

// write prints the table of means, as Markdown if md; nothing without
// measures.
func (m *measures) write(w io.Writer, md bool) {
	if len(m.order) == 0 {
		return
	}
	sort.SliceStable(m.order, func(a, b int) bool { return m.first[m.order[a]] < m.first[m.order[b]] })
	fmt.Fprintln(w)
	head := append([]string{"policy", "runs"}, m.names...)
	rows := [][]string{head}
	for _, k := range m.order {
		row := []string{k, strconv.Itoa(m.n[k])}
		for _, v := range m.sum[k] {
			row = append(row, strconv.FormatFloat(v/float64(m.n[k]), 'g', 4, 64))
		}
		rows = append(rows, row)
	}
	if md {
		fmt.Fprintln(w, "Model measures, mean over seeds:")
		fmt.Fprintln(w)
		for i, r := range rows {
			fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | "))
			if i == 0 {
				fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(r)))
			}
		}
		return
	}
	fmt.Fprintln(w, "model measures, mean over seeds:")
	width := make([]int, len(head))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len(c))
		}
	}
	for _, r := range rows {
		for i, c := range r {
			fmt.Fprintf(w, "%-*s  ", width[i], c)
		}
		fmt.Fprintln(w)
	}
}
