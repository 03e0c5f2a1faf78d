// Package targets loads a vegeta targets file
// (https://github.com/tsenart/vegeta#-targets) so that an attack replays the
// surge's shape against any HTTP endpoint instead of loadgen serve.
//
// Both of vegeta's formats are read: "http" (METHOD URL lines, headers,
// @body files) and "json" (one JSON object per line, body base64). A Set
// holds every target; the attacker asks for droplet d's target (For), so each
// droplet keeps its endpoint across its first attempt and its retries, and the
// placeholder {droplet} in a URL, header or body is replaced by the droplet's
// number. The schedule (when each droplet sends, how it retries) stays the
// attacker's: this package only says what each attempt sends.
//
// Non-goals: generating targets, pacing.
//
// Concurrency: a Set is read-only after Load; For may be called from any
// goroutine.
package targets
