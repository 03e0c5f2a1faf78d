// Package scenario reads scenario files and holds the built-in presets.
//
// A scenario file is a small line-oriented format (see format.go): top-level
// keys, [section]s and repeatable [[section]]s, # comments, durations with
// units. It is decoded strictly: an unknown key or section, a number without a
// unit where a duration is wanted, a negative rate, a duplicate key — each is an
// error naming the file, the line and the key.
//
// A Scenario describes either a generic service under retries ([clients],
// [service], [[trigger]]) or the DWFM lease manager ([dwfm], [service] for each
// DWFM host, dependency-outage [[trigger]]s). Presets are embedded in the
// binary; `loadgen scenarios show NAME` prints one as an editable file, with
// the comments that give every assumed parameter its reason.
//
// Nothing here runs a model; package bench does. Functions here are safe for
// concurrent use.
package scenario
