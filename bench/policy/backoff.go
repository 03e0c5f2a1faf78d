package policy

import (
	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
)

var backoffPolicy = Def{
	Name:  "backoff",
	Roles: []Role{RoleRetry},
	Doc: "After a timed-out attempt, wait min(cap, base·multiplier^(n−1)), jittered, before retry n; give up the request after " +
		"max-attempts (a droplet then asks again at a later check).",
	Source: "AWS Architecture Blog, \"Exponential Backoff And Jitter\" (2015)",
	Params: []Param{
		{Name: "base", Kind: KindDuration, Default: "1s", Doc: "first wait"},
		{Name: "cap", Kind: KindDuration, Default: "1m", Doc: "longest wait"},
		{Name: "multiplier", Kind: KindNumber, Default: "2", Doc: "growth per retry (1: fixed)"},
		{Name: "jitter", Kind: KindJitter, Default: "full", Doc: "none, full, equal or decorrelated"},
		{Name: "max-attempts", Kind: KindAttempts, Default: "0", Doc: "attempts per request; 0: unlimited"},
	},
	Notes: []string{
		"the wait follows a timed-out attempt only; after a fast failure a droplet asks again at a later check",
	},
	Build: func(a Args) (model.Hooks, error) {
		j, _ := backlog.ParseJitter(a.Raw("jitter"))
		b := &backlog.Backoff{Base: a.Duration("base"), Cap: a.Duration("cap"), Multiplier: a.Float("multiplier"), Jitter: j}
		if err := b.Validate(); err != nil {
			return model.Hooks{}, err
		}
		return model.Hooks{Backoff: b, MaxAttempts: a.Int("max-attempts")}, nil
	},
}
