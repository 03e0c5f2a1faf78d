package model

// Refusals counts, over a run, how often each role's control said no: what
// tells a control that never acted on a scenario from one that acted and did
// not help. A count is -1 when the run has no control in that role.
type Refusals struct {
	Admission int // attempts the stations' admission controls refused (an intervention's throttle included)
	Client    int // attempts the clients' controls refused before sending
	Retry     int // retries the retry gates refused
	Queue     int // attempts the queue discipline dropped unworked or refused (a restart's drops excluded)
}

// CountRefusals totals a run's refusals: its stations' gates and queues, and
// retries, the number of retries its retry gates refused (the models count
// those where they ask). Roles without a control in h are -1.
func CountRefusals(h Hooks, gates []Gate, stations []*Station, retries uint64) Refusals {
	r := Refusals{Admission: -1, Client: -1, Retry: -1, Queue: -1}
	admits := h.Admit != nil
	for _, iv := range h.Interventions {
		admits = admits || iv.Admit != nil
	}
	if admits {
		r.Admission = 0
	}
	if h.Client != nil {
		r.Client = 0
	}
	if h.Retry != nil {
		r.Retry = int(retries)
	}
	if h.Queue.MayDrop() {
		r.Queue = 0
	}
	for i := range gates {
		if r.Client >= 0 {
			r.Client += int(gates[i].clientRefused)
		}
		if r.Admission >= 0 {
			r.Admission += int(gates[i].serverRefused)
		}
	}
	if r.Queue >= 0 {
		for _, s := range stations {
			r.Queue += int(s.dropped)
		}
	}
	return r
}
