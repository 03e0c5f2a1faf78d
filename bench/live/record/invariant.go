package record

import "fmt"

// InvariantError is an attack summary whose counts cannot all be true: a
// bug in the attacker or the Writer, never in the target.
type InvariantError struct {
	Invariant string // as it reads, e.g. "scheduled = sent + unsent"
	Detail    string // the numbers that break it
}

func (e *InvariantError) Error() string {
	return fmt.Sprintf("record: invariant %q broken: %s", e.Invariant, e.Detail)
}

// Invariant checks what every attack's summary must satisfy: no count below
// 0, every scheduled attempt either sent or unsent (scheduled = sent +
// unsent), and exactly one result recorded for each (completed =
// scheduled). It returns the first broken one as an *InvariantError, nil
// when all hold or s is not an attack's (scheduled unknown: a plain vegeta
// file).
func (s Summary) Invariant() error {
	if s.Scheduled < 0 && s.Sent < 0 {
		return nil
	}
	c := s.Counts
	switch {
	case s.Scheduled < 0 || s.Sent < 0 || !c.valid():
		return &InvariantError{"counts >= 0 and add up", fmt.Sprintf("scheduled %d, sent %d, counts %+v", s.Scheduled, s.Sent, c)}
	case s.Scheduled != s.Sent+c.Unsent:
		return &InvariantError{"scheduled = sent + unsent", fmt.Sprintf("scheduled %d, sent %d, unsent %d", s.Scheduled, s.Sent, c.Unsent)}
	case c.Completed != s.Scheduled:
		return &InvariantError{"one result per scheduled attempt", fmt.Sprintf("scheduled %d, results %d", s.Scheduled, c.Completed)}
	}
	return nil
}
