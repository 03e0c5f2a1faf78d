package model

// Cost is what a run is estimated to take, known before it starts: how many
// events the engine will fire and how much live heap the model will hold at
// its peak. Both are upper-bound-minded estimates for a service that
// collapses and never drains (every attempt it could be sent stays queued);
// a run that recovers costs far less. They exist to refuse runaways (a
// horizon of a million hours, a rate of 10⁹ per second) before any memory is
// taken, not to predict wall time.
type Cost struct {
	Events float64 // events the engine fires
	Bytes  float64 // peak live heap in bytes
}

// JobBytes is the heap a queued attempt costs: a Job in a deque block.
const JobBytes = 12
