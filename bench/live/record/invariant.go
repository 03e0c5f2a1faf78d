package record

import (
	"fmt"

	"github.com/aftershock/aftershock/bench/model"
)

// Invariant checks what every attack's summary must satisfy: no count below
// 0, every scheduled attempt either sent or unsent (scheduled = sent +
// unsent), and exactly one result recorded for each (completed =
// scheduled). It returns the first broken one as a *model.Violation (a bug in the attacker
// or the Writer, never in the target), nil
// when all hold or s is not an attack's (scheduled unknown: a plain vegeta
// file).
func (s Summary) Invariant() error {
	if s.Scheduled < 0 && s.Sent < 0 {
		return nil
	}
	c := s.Counts
	switch {
	case s.Scheduled < 0 || s.Sent < 0 || !c.valid():
		return fmt.Errorf("record: %w", &model.Violation{Invariant: "counts >= 0 and add up", Detail: fmt.Sprintf("scheduled %d, sent %d, counts %+v", s.Scheduled, s.Sent, c)})
	case s.Scheduled != s.Sent+c.Unsent:
		return fmt.Errorf("record: %w", &model.Violation{Invariant: "scheduled = sent + unsent", Detail: fmt.Sprintf("scheduled %d, sent %d, unsent %d", s.Scheduled, s.Sent, c.Unsent)})
	case c.Completed != s.Scheduled:
		return fmt.Errorf("record: %w", &model.Violation{Invariant: "one result per scheduled attempt", Detail: fmt.Sprintf("scheduled %d, results %d", s.Scheduled, c.Completed)})
	}
	return nil
}
