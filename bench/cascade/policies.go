package cascade

import (
	"fmt"
	"strings"
)

// Stage names, as a per-stage policy spec prefixes them.
var stageNames = []string{"dwfm", "netprop", "nlb"}

// Policies are the stages' policy specs ("" is none), and the bundle they
// came from, if any.
type Policies struct {
	DWFM, NetProp, NLB string
	Bundle             string // "operator", "mitigated" or ""
}

// Bundles are the policy specs that set every stage at once (a bare
// --policy operator or --policy mitigated on a cascade):
//
//   - operator: every stage as the operators acted, at their times (AWS
//     post-event summary, https://aws.amazon.com/message/101925/): DWFM's
//     throttle and restarts at 04:14 (the operator policy); nothing on the
//     Network Manager, for which the summary names no action; automatic NLB
//     failover disabled at 09:36 and re-enabled at 14:09 (failover-off).
//   - mitigated: the fixes AWS announced: admission by the size of the
//     waiting queue in propagation, a velocity control on the capacity
//     NLB's AZ failover removes (no figure published: 2% of the capacity in
//     service per 5 min, this suite's choice; in the cascade's sweep every
//     cap from 0.5% to 10% gives the same errors within 0.3 points, see
//     docs/models.md), and for DWFM the best control of the suite's own comparison
//     (queue-size, the README's table). Nobody switches failover off.
var Bundles = map[string]Policies{
	"operator":  {DWFM: "operator", NLB: "failover-off", Bundle: "operator"},
	"mitigated": {DWFM: "queue-size", NetProp: "queue-size", NLB: MitigatedVelocity, Bundle: "mitigated"},
}

// MitigatedVelocity is the NLB's velocity control in the mitigated bundle.
const MitigatedVelocity = "velocity:cap=2%,window=5m"

// BundleDocs say what each bundle is, for loadgen policies.
var BundleDocs = map[string]string{
	"operator": "every stage as the operators acted, at their times (AWS post-event summary): DWFM throttle and restarts at 04:14; " +
		"nothing on the Network Manager (the summary names no action on it); NLB failover off at 09:36, back on at 14:09.",
	"mitigated": "the fixes AWS announced: queue-size admission in propagation, a velocity control on the capacity NLB's AZ failover " +
		"removes (no figure published: 2% per 5 min is this suite's), and queue-size on DWFM (the best DWFM " +
		"control of this suite's comparison); nobody switches failover off.",
}

// BundleNames are the bundles' names, sorted.
var BundleNames = []string{"mitigated", "operator"}

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
// single-model run), and a bare bundle name (operator, mitigated) sets
// every stage that no "stage=spec" sets. A stage set twice, or two
// bundles, is an error.
func ParsePolicies(specs []string) (Policies, error) {
	var p Policies
	set := map[string]bool{}
	var bundle string
	for _, v := range specs {
		stage, spec, ok := SplitStage(v)
		if !ok {
			if _, isBundle := Bundles[strings.TrimSpace(v)]; isBundle {
				if bundle != "" {
					return Policies{}, fmt.Errorf("cascade: two bundles given (%s and %s): give one, and stage=spec for the stages it should not set", bundle, v)
				}
				if set["dwfm"] {
					return Policies{}, fmt.Errorf("cascade: policy for stage dwfm given twice (bundle %q after a bare spec; use dwfm=SPEC to override the bundle's)", v)
				}
				bundle = strings.TrimSpace(v)
				continue
			}
			if bundle != "" {
				return Policies{}, fmt.Errorf("cascade: policy for stage dwfm given twice (%q after bundle %s; use dwfm=%s to override the bundle's)", v, bundle, v)
			}
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
	if b, ok := Bundles[bundle]; ok {
		p.Bundle = bundle
		for _, st := range []struct {
			name     string
			dst, src *string
		}{{"dwfm", &p.DWFM, &b.DWFM}, {"netprop", &p.NetProp, &b.NetProp}, {"nlb", &p.NLB, &b.NLB}} {
			if !set[st.name] {
				*st.dst = *st.src
			}
		}
	}
	return p, nil
}

// String is the policies as one spec per stage that has one, after the
// bundle's name when they came from one: "operator (dwfm=operator
// nlb=failover-off)".
func (p Policies) String() string {
	if p.Bundle != "" {
		return p.Bundle + " (" + p.stages() + ")"
	}
	return p.stages()
}

// stages is the policies as one spec per stage that has one.
func (p Policies) stages() string {
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
