// Package scenario reads scenario files and holds the built-in presets.
//
// A scenario file is TOML (https://toml.io), decoded by
// github.com/BurntSushi/toml into Scenario, whose sections are the models'
// own config types: [clients] (service.ClientConfig), [service]
// (model.StationConfig), [dwfm] (dwfm.Section) and repeatable [[trigger]]s
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
// DWFM host, dependency-outage [[trigger]]s), or a [netprop] or [nlb] stage
// alone, or a cascade (stages.go): [stages], its dwfm, netprop and nlb
// stages, each a preset's name or a scenario written inline under
// [stages.NAME] (preset = NAME and the keys it changes, tables merged),
// each decoded as strictly as a file of its own, and a [link]
// (cascade.Link); a cascade runs on its dwfm stage's start, horizon and
// interval and sets no model section of its own. A generic or DWFM scenario
// may take dns-race [[trigger]]s instead of fixed outage windows: DynamoDB's DNS race decides
// when the dependency is out, for each seed (package dnsrace; docs/models.md, "The
// trigger as a model"). Presets are embedded .toml files;
// `loadgen scenarios show NAME` prints one as an editable file, with the
// comments that give every assumed parameter its reason.
//
// Scenario.Text keeps the file's text, so that bench.With can set one key by
// its TOML path ("dwfm.check_interval", "trigger.1.duration", a cascade's
// "link.nlb_every" and "stages.dwfm.dwfm.check_interval", the stage
// written out in full first by ExpandStage) and decode the edited text again
// with Parse: `loadgen sweep --vary` builds its grid of
// scenarios that way, checked exactly as a file is.
//
// A key that files once had and that was removed (dwfm.zones, which changed
// nothing) gets a hint saying so rather than a bare "unknown key".
//
// Non-goals: a cascade's stages in files of their own (a cascade file is
// whole in itself); writing scenario files (presets are text, kept with their
// comments) and running them (package bench does). Functions here are safe
// for concurrent use.
package scenario
