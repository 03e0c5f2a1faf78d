package policy

import (
	"github.com/aftershock/aftershock/throttle"
)

var reservePolicy = Def{
	Name:  "reserve",
	Roles: []Role{RoleAdmission},
	Doc: "A bucket per host that books refused attempts instead of shedding them: each is told when its slot " +
		"falls due (a Retry-After) and its client asks again exactly then and is let in, so the host is fed at rate " +
		"while droplets wait, instead of idling until their next jittered check. Models that cannot hold a booking " +
		"(the generic service) use it as a token bucket with a queue limit.",
	Source: "golang.org/x/time/rate (Limiter.ReserveN) as a generic cell rate algorithm; HTTP Retry-After (RFC 9110 §10.2.3)",
	Params: []Param{
		{Name: "rate", Kind: KindRate, Default: "1x", Doc: "booked attempts per second per host (×capacity with x)"},
		{Name: "burst", Kind: KindCount, Default: "1w", Doc: "attempts admitted at once by an idle host (default 1 × workers)"},
		{Name: "limit", Kind: KindCount, Default: "1w", Doc: "queued attempts at which nothing enters, a booked attempt neither: it is booked again (default 1 × workers)"},
	},
	Notes: []string{
		"a booking is never cancelled (rate.Reservation.Cancel gives tokens back); a droplet that does not come back leaves its slot unused",
		"the queue limit, and booking again a droplet that comes back to a full queue, are this suite's: x/time/rate knows no queue",
		"a client honours the instant exactly: no network delay, no clock skew",
	},
	Build: admission(func(a Args) throttle.ReserveConfig {
		return throttle.ReserveConfig{Rate: a.Rate("rate"), Burst: a.Count("burst"), Limit: a.Count("limit")}
	}, same(throttle.NewReserve)),
}
