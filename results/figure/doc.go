// Package figure draws aftershock's result files as pictures (PNG or SVG),
// with gonum.org/v1/plot.
//
// Three kinds (Kind), each from what the CLI's commands write:
//   - Timeline: runs (sim's timeseries.csv, each with its summary.csv's
//     scenario, policy and seed as its name) over the incident clock, the
//     scenario's start plus t_s shown as local clock times: the fraction of
//     droplets holding a lease (when the model has leases), the queue, and
//     goodput per second, one line per run, with the published milestones of
//     the October 2025 us-east-1 event (Milestones, from AWS's post-event
//     summary, https://aws.amazon.com/message/101925/) as labelled vertical
//     markers where they fall inside the plotted span;
//   - Phase: a sweep with two varied parameters (sweep --vary twice), one
//     panel per policy: each cell's marker says whether its runs recovered
//     (all, some, none) and its colour the mean recovery time, read on a
//     colour bar (up to MaxPanels policies);
//   - Stacked: runs over the incident clock as panels stacked on one time
//     axis (Panel: series read from a row's columns by name, Values, the
//     run's own columns included), with Marks: published instants as
//     labelled dashed lines across every panel, a run's own as triangles in
//     its colour; a panel no run has a value for says so. loadgen draws a
//     cascade's runs this way (its stages' panels and milestones are the
//     CLI's, from package bench/cascade, which results does not import);
//   - Ratio: recovery ratio to the ideal bound per policy (and vary point)
//     over seeds, its mean with the 95% interval of results.Groups as error
//     bars, the ideal (ratio 1) as a dashed line; a policy with a run that
//     did not recover has no ratio and is named with its k/n recovered; a
//     long name is wrapped (MaxLabelLine), the figure made tall enough.
//
// Vocabulary: a Figure is a drawing of a fixed size that encodes to a format
// ("png" or "svg", Formats); Detect picks the kind for summary rows (a
// phase diagram when every row varies two parameters, else ratios); run
// directories make a timeline. Timeline, Phase and Ratio check their input
// and return errors starting "figure:"; Encode fails only on an unknown
// format or an encoder's error.
//
// Non-goals: interactive or styled output, every format gonum supports (PDF,
// EPS, ...), plots of the extra columns models append. A time series of more
// than MaxPoints rows is thinned to every k-th row (the last one kept), so a
// spike shorter than k intervals may not show.
//
// Figures are deterministic (the same input gives the same bytes) and belong
// to one goroutine.
package figure
