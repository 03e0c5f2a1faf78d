package policy

import (
	"github.com/aftershock/aftershock/backlog"
	"github.com/aftershock/aftershock/bench/model"
)

// The queue disciplines of package backlog: the models build them from the
// backlog.Config a part returns.

// facebook is the source of adaptive-lifo and fb-codel.
const facebook = "Facebook, \"Fail at scale\" (ACM Queue 2015)"

var fifoPolicy = Def{
	Name:   "fifo",
	Roles:  []Role{RoleQueue},
	Doc:    "First in, first out, nothing dropped: the default.",
	Source: "baseline",
	Build:  queue(func(Args) backlog.Config { return backlog.Config{Kind: backlog.KindFIFO} }),
}

var lifoPolicy = Def{
	Name:   "lifo",
	Roles:  []Role{RoleQueue},
	Doc:    "Newest first: fresh requests, whose clients still wait, are served; old ones starve.",
	Source: "queueing folklore",
	Build:  queue(func(Args) backlog.Config { return backlog.Config{Kind: backlog.KindLIFO} }),
}

var adaptiveLIFOPolicy = Def{
	Name:   "adaptive-lifo",
	Roles:  []Role{RoleQueue},
	Doc:    "FIFO while the queue drains; LIFO once it has been non-empty for interval.",
	Source: facebook,
	Params: []Param{
		{Name: "interval", Kind: KindSpan, Default: dur(backlog.DefaultInterval), Doc: "how long non-empty before switching (or a multiple of the mean service time, e.g. 20x)"},
	},
	Notes: []string{
		"used alone; Facebook pairs it with its CoDel variant (here fb-codel, in the same queue role, so the two cannot be combined)",
	},
	Build: queue(func(a Args) backlog.Config {
		return backlog.Config{Kind: backlog.KindAdaptiveLIFO, Interval: a.Span("interval")}
	}),
}

var codelPolicy = Def{
	Name:  "codel",
	Roles: []Role{RoleQueue},
	Doc: "Drops at dequeue once the sojourn time has stayed at or above target for interval, then every interval/√count " +
		"until a dequeued item is below target. The published 5 ms / 100 ms suit packets; scale them to the service (e.g. target=1x,interval=20x).",
	Source: "RFC 8289, Controlled Delay (https://www.rfc-editor.org/rfc/rfc8289)",
	Params: []Param{
		{Name: "target", Kind: KindSpan, Default: dur(backlog.DefaultTarget), Doc: "sojourn time tolerated (or a multiple of the mean service time)"},
		{Name: "interval", Kind: KindSpan, Default: dur(backlog.DefaultInterval), Doc: "time above target before the first drop; the control law's base"},
	},
	Notes: []string{
		"items have no size: the RFC's \"at most one MTU left\" test reads \"at most one item left behind\"",
		"the square root is exact (the RFC and Linux use a Newton step on a fixed-point inverse square root)",
		"dropping only, no ECN marking: a dropped attempt is a fast failure its client sees at once",
	},
	Build: queue(func(a Args) backlog.Config {
		return backlog.Config{Kind: backlog.KindCoDel, Target: a.Span("target"), Interval: a.Span("interval")}
	}),
}

var fbCoDelPolicy = Def{
	Name:  "fb-codel",
	Roles: []Role{RoleQueue},
	Doc: "Facebook's CoDel variant: if the queue has not been empty for interval, drop work queued longer than target; else allow up to interval. " +
		"The published 5 ms / 100 ms suit millisecond RPCs; scale them to the service (e.g. target=1x,interval=20x).",
	Source: facebook,
	Params: []Param{
		{Name: "target", Kind: KindSpan, Default: dur(backlog.DefaultTarget), Doc: "queueing cap once the queue stands (or a multiple of the mean service time)"},
		{Name: "interval", Kind: KindSpan, Default: dur(backlog.DefaultInterval), Doc: "non-empty time that makes the queue standing"},
	},
	Notes: []string{
		"Facebook's pseudocode gives each request its timeout when it is queued (M if the queue has stood for N, else N); here the cap is chosen at dequeue, by whether the queue stands then",
		"expired work is dropped only when a worker looks (at dequeue)",
	},
	Build: queue(func(a Args) backlog.Config {
		return backlog.Config{Kind: backlog.KindFBCoDel, Target: a.Span("target"), Interval: a.Span("interval")}
	}),
}

var deadlineDropPolicy = Def{
	Name:   "deadline-drop",
	Roles:  []Role{RoleQueue},
	Doc:    "FIFO that skips, unworked, every attempt queued at least timeout: work whose client has given up.",
	Source: "common practice (gRPC deadlines)",
	Params: []Param{
		{Name: "timeout", Kind: KindSpan, Default: "client", Doc: "the clients' timeout (default: the scenario's)", Derived: true},
	},
	Notes: []string{
		"the server knows each client's timeout exactly (a real one learns it from a propagated deadline, less clock skew)",
	},
	Build: func(a Args) (model.Hooks, error) {
		t := a.Env.Timeout
		if a.Given("timeout") {
			t = a.Span("timeout")
		}
		return queue(func(Args) backlog.Config { return backlog.Config{Kind: backlog.KindDeadlineDrop, Timeout: t} })(a)
	},
}

var boundedPolicy = Def{
	Name:   "bounded",
	Roles:  []Role{RoleQueue},
	Doc:    "FIFO with a capacity: an attempt finding it full fails fast.",
	Source: "common practice",
	Params: []Param{
		{Name: "capacity", Kind: KindCount, Default: "2w", Doc: "queued attempts at most (default 2 × workers)"},
	},
	Build: queue(func(a Args) backlog.Config {
		return backlog.Config{Kind: backlog.KindBounded, Capacity: a.Count("capacity")}
	}),
}
