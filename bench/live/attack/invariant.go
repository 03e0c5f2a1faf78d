package attack

import (
	"fmt"

	"github.com/aftershock/aftershock/bench/model"
)

// Invariant checks the attack's own accounting once it has ended: no count
// below 0, every scheduled attempt sent or unsent (scheduled = sent +
// unsent), and one result for each (the attempts sent all finished: a
// result each, and one per unsent attempt). A broken invariant is a bug in
// the attacker, never the target's doing; the error names it and its
// numbers (a *model.Violation).
func (o Outcome) Invariant() error {
	switch {
	case o.Scheduled < 0 || o.Sent < 0 || o.Unsent < 0 || o.Attempts < 0 || o.Late < 0 || o.NoConn < 0:
		return broken(&model.Violation{Invariant: "counts >= 0", Detail: fmt.Sprintf("scheduled %d, sent %d, unsent %d, finished %d, late %d",
			o.Scheduled, o.Sent, o.Unsent, o.Attempts, o.Late)})
	case o.Scheduled != o.Sent+o.Unsent:
		return broken(&model.Violation{Invariant: "scheduled = sent + unsent", Detail: fmt.Sprintf("scheduled %d, sent %d, unsent %d",
			o.Scheduled, o.Sent, o.Unsent)})
	case o.Attempts+o.Unsent != o.Scheduled:
		return broken(&model.Violation{Invariant: "one result per scheduled attempt", Detail: fmt.Sprintf("scheduled %d, results %d (%d finished, %d unsent)",
			o.Scheduled, o.Attempts+o.Unsent, o.Attempts, o.Unsent)})
	}
	return nil
}

func broken(v *model.Violation) error { return fmt.Errorf("attack: %w", v) }
