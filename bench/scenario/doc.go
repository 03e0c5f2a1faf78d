// Package scenario reads scenario files and holds the built-in presets.
//
// A scenario file is TOML (https://toml.io), decoded by
// github.com/BurntSushi/toml into Scenario, whose sections are the models'
// own config types: [clients] (service.ClientConfig), [service]
// (model.StationConfig), [dwfm] (dwfm.Config) and repeatable [[trigger]]s
// (model.TriggerConfig). Text and durations are quoted strings; a duration
// takes a unit ("14h32m"), and a distribution or a schedule is written as
// text ("lognormal(15s,0.25)", "0s=100, 1h=300") that its type parses.
//
// Decoding is strict: an unknown key, a duplicate key, a bare number where a
// duration belongs, or a value out of range (each config's Validate) is an
// error of one line that names the file and the key or section, and the line
// where the library knows it. A file in the format before TOML gets a hint
// that the format is TOML.
//
// A Scenario describes either a generic service under retries ([clients],
// [service], [[trigger]]) or the DWFM lease manager ([dwfm], [service] for each
// DWFM host, dependency-outage [[trigger]]s). Either may take dns-race
// [[trigger]]s instead of fixed outage windows: DynamoDB's DNS race decides
// when the dependency is out, for each seed (package dnsrace; README, "The
// trigger as a model"). Presets are embedded .toml files;
// `loadgen scenarios show NAME` prints one as an editable file, with the
// comments that give every assumed parameter its reason.
//
// Scenario.Text keeps the file's text, so that bench.With can set one key by
// its TOML path ("dwfm.check_interval", "trigger.1.duration") and decode the
// edited text again with Parse: `loadgen sweep --vary` builds its grid of
// scenarios that way, checked exactly as a file is.
//
// Non-goals: writing scenario files (presets are text, kept with their
// comments) and running them (package bench does). Functions here are safe
// for concurrent use.
package scenario
