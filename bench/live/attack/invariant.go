package attack

import "fmt"

// Invariant checks the attack's own accounting once it has ended: no count
// below 0, every scheduled attempt sent or unsent (scheduled = sent +
// unsent), and one result for each (the attempts sent all finished: a
// result each, and one per unsent attempt). A broken invariant is a bug in
// the attacker, never the target's doing; the error names it and its
// numbers.
func (o Outcome) Invariant() error {
	switch {
	case o.Scheduled < 0 || o.Sent < 0 || o.Unsent < 0 || o.Attempts < 0 || o.Late < 0:
		return fmt.Errorf("attack: invariant %q broken: scheduled %d, sent %d, unsent %d, finished %d, late %d",
			"counts >= 0", o.Scheduled, o.Sent, o.Unsent, o.Attempts, o.Late)
	case o.Scheduled != o.Sent+o.Unsent:
		return fmt.Errorf("attack: invariant %q broken: scheduled %d, sent %d, unsent %d",
			"scheduled = sent + unsent", o.Scheduled, o.Sent, o.Unsent)
	case o.Attempts+o.Unsent != o.Scheduled:
		return fmt.Errorf("attack: invariant %q broken: scheduled %d, results %d (%d finished, %d unsent)",
			"one result per scheduled attempt", o.Scheduled, o.Attempts+o.Unsent, o.Attempts, o.Unsent)
	}
	return nil
}
