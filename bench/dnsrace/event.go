package dnsrace

import (
	"fmt"

	"github.com/aftershock/aftershock/bench/sim"
)

// Action is what happened at an Event.
type Action uint8

// Actions, in the order an apply goes through them.
const (
	Plan    Action = iota // the Planner produced generation Gen
	Check                 // an Enactor found Gen newer than the applied plan and starts applying it
	Write                 // it wrote Gen to the record
	Stale                 // it wrote Gen over a newer plan (Racy)
	Refused               // its compare-and-set refused a stale Gen (Fixed)
	Cleanup               // its clean-up deleted every plan below Gen
	Empty                 // that clean-up deleted the applied plan: the record is empty
	Repair                // operators restored the record with Gen
)

var actionNames = [...]string{"plan", "check", "write", "stale", "refused", "cleanup", "empty", "repair"}

func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("Action(%d)", a)
}

// Event is one step of a race, for a trace.
type Event struct {
	T       sim.Time
	Enactor int // -1 for the Planner and the operators
	Action  Action
	Gen     int64 // the plan acted on (Cleanup: the first generation kept)
	Applied int64 // the generation on the record afterwards; -1 while it is empty
}

func (e Event) String() string {
	return fmt.Sprintf("%v enactor %d %v gen %d applied %d", e.T, e.Enactor, e.Action, e.Gen, e.Applied)
}
