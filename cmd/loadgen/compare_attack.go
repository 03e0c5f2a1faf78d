package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/aftershock/aftershock/bench/live/record"
	"github.com/aftershock/aftershock/results"
)

// isAttackSummary reports whether the file's first line is an attack
// summary's header, this or an older one (a byte-order mark skipped).
func isAttackSummary(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	line, _ := bufio.NewReaderSize(f, 4096).ReadSlice('\n')
	line = bytes.TrimPrefix(bytes.TrimRight(line, "\r\n"), []byte("\ufeff"))
	return record.IsSummaryHeader(strings.Split(string(line), ","))
}

// readAttackSummary reads an attack's summary.csv as a result row (see
// attackRow). One shard of several is refused: merge them first.
func readAttackSummary(name string) ([]results.Summary, error) {
	a, err := record.ReadSummary(name)
	if err != nil {
		return nil, err
	}
	if a.Shard != "" {
		return nil, fmt.Errorf("%q: shard %s of an attack: merge its shards first (loadgen report --format csv DIR... > merged.csv)", name, a.Shard)
	}
	s, err := attackRow(a)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", name, err)
	}
	return []results.Summary{s}, nil
}

// attackRow is an attack's summary as a result row: its time scale goes in
// the vary column (runs at different scales are different points), and
// what an attack does not measure (the ideal, so the ratio; wasted work;
// sojourn times; events; refusals by role) is empty, as is a peak queue
// the target never reported (-1). An attack that did not keep up
// (kept_up=false) is not complete: the machine, not the policy, shaped its
// recovery, so compare leaves it out unless --allow-incomplete.
func attackRow(a record.Summary) (results.Summary, error) {
	s := results.Summary{Scenario: a.Scenario, Policy: a.Policy, Vary: fmt.Sprintf("time_scale=%g", a.TimeScale),
		Seed: a.Seed, Droplets: int(a.Droplets), Recovered: a.Recovered, Undefined: a.Undefined, RecoveryS: a.RecoveryS,
		IdealS: math.NaN(), PeakQueue: int(a.PeakQueue), WastedFraction: math.NaN(), Amplification: a.Amplification(),
		Sojourn: [4]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}, SimS: a.SimS, Complete: a.Complete && (a.KeptUp || a.KeptUpUnknown), WallS: a.WallS,
		AdmitRefusals: -1, ClientRefusals: -1, RetryRefusals: -1, QueueDrops: -1}
	if !s.Recovered {
		s.RecoveryS = math.NaN()
	}
	if a.RecoveredClock != "" {
		var err error
		if s.RecoveredClock, err = time.Parse(time.RFC3339, a.RecoveredClock); err != nil {
			return s, fmt.Errorf("recovered_clock %q: %v", a.RecoveredClock, err)
		}
	}
	return s, nil
}
