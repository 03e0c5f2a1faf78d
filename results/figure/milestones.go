package figure

import "time"

// Source is where every Milestone is published: AWS's post-event summary of
// the 19-20 October 2025 us-east-1 event.
const Source = "https://aws.amazon.com/message/101925/"

// Milestone is a published moment of the event.
type Milestone struct {
	At    time.Time
	Label string
}

// pdt is the event's local clock (PDT, UTC−7), the one its summary uses.
var pdt = time.FixedZone("PDT", -7*3600)

func at(day, hour, minute int) time.Time { return time.Date(2025, 10, day, hour, minute, 0, 0, pdt) }

// Milestones are the published times of the us-east-1 event (Source), in
// order. A Timeline marks those inside its span.
var Milestones = []Milestone{
	{at(19, 23, 48), "DNS emptied"},
	{at(20, 2, 25), "DNS restored"},
	{at(20, 4, 14), "throttle + restarts"},
	{at(20, 5, 28), "leases back"},
	{at(20, 6, 21), "propagation slows"},
	{at(20, 9, 36), "NLB failover off"},
	{at(20, 10, 36), "propagation normal"},
	{at(20, 13, 50), "EC2 normal"},
}
