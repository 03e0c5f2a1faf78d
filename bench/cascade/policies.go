package cascade

import (
	"fmt"
	"strings"
)

// Stage names, as a per-stage policy spec prefixes them.
var stageNames = []string{"dwfm", "netprop", "nlb"}

// Policies are the stages' policy specs ("" is none).
type Policies struct{ DWFM, NetProp, NLB string }

// SplitStage splits a per-stage spec "stage=spec" (stage one of dwfm,
// netprop, nlb); ok is false for a spec without such a prefix.
func SplitStage(spec string) (stage, rest string, ok bool) {
	for _, s := range stageNames {
		if r, found := strings.CutPrefix(spec, s+"="); found {
			return s, r, true
		}
	}
	return "", spec, false
}

// ParsePolicies reads the --policy values of a cascade run: "stage=spec"
// sets that stage's policy, a spec without a prefix is DWFM's (as in a
// single-model run). A stage set twice is an error.
func ParsePolicies(specs []string) (Policies, error) {
	var p Policies
	set := map[string]bool{}
	for _, v := range specs {
		stage, spec, ok := SplitStage(v)
		if !ok {
			stage = "dwfm"
		}
		if strings.TrimSpace(spec) == "" {
			return Policies{}, fmt.Errorf("cascade: policy %q: empty spec for stage %s (none is no policy)", v, stage)
		}
		if set[stage] {
			return Policies{}, fmt.Errorf("cascade: policy for stage %s given twice (%q)", stage, v)
		}
		set[stage] = true
		switch stage {
		case "dwfm":
			p.DWFM = spec
		case "netprop":
			p.NetProp = spec
		default:
			p.NLB = spec
		}
	}
	return p, nil
}

// String is the policies as one spec per stage that has one.
func (p Policies) String() string {
	var parts []string
	for i, s := range []string{p.DWFM, p.NetProp, p.NLB} {
		if s != "" {
			parts = append(parts, stageNames[i]+"="+s)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}
