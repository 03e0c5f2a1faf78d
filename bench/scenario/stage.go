package scenario

import "reflect"

// validateStage checks a [netprop] or [nlb] scenario: its section, and that
// nothing of the generic model is set (the section is the load; [service] is
// the stage's station).
func (s *Scenario) validateStage() error {
	var name string
	var err error
	switch {
	case s.NetProp.Enabled():
		name, err = "netprop", s.NetProp.Validate()
	case s.NLB.Enabled():
		name, err = "nlb", s.NLB.Validate()
	default:
		return nil
	}
	if err != nil {
		return s.errorf("[%s]: %v", name, err)
	}
	if !reflect.ValueOf(s.Clients).IsZero() {
		return s.errorf("[%s] and [clients] both set; the [%s] section is the load", name, name)
	}
	if len(s.Triggers) > 0 {
		return s.errorf("[%s] takes no [[trigger]]: its input is the surge", name)
	}
	if s.Service.Delay || s.Service.QueueCapacity != 0 {
		return s.errorf("[%s]: delay_station and queue_capacity are for the generic model", name)
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
