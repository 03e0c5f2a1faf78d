package figure

import (
	"fmt"
	"strings"

	"github.com/aftershock/aftershock/results"
)

// Kind is what a figure shows.
type Kind string

// The kinds of figure.
const (
	KindTimeline Kind = "timeline" // runs over the incident clock
	KindPhase    Kind = "phase"    // recovery over two varied parameters
	KindRatio    Kind = "ratio"    // recovery ratio per policy with its interval
)

// Kinds lists every Kind.
var Kinds = []Kind{KindTimeline, KindPhase, KindRatio}

// ParseKind is the Kind named s.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("figure: unknown kind %q (want timeline, phase or ratio)", s)
}

// Detect is the kind of figure for summary or sweep rows: a phase diagram
// when every row varies exactly two parameters, recovery ratios otherwise.
func Detect(ss []results.Summary) Kind {
	for _, s := range ss {
		if keys, _ := splitVary(s.Vary); len(keys) != 2 {
			return KindRatio
		}
	}
	if len(ss) == 0 {
		return KindRatio
	}
	return KindPhase
}

// splitVary splits a sweep row's vary ("k1=v1;k2=v2") into its keys and
// values; nil for "".
func splitVary(v string) (keys, vals []string) {
	if v == "" {
		return nil, nil
	}
	for _, kv := range strings.Split(v, ";") {
		k, val, _ := strings.Cut(kv, "=")
		keys, vals = append(keys, k), append(vals, val)
	}
	return keys, vals
}
