// Package targets says what each attempt of a live attack sends: a vegeta
// targets file (https://github.com/tsenart/vegeta#-targets) replays the
// surge's shape against any HTTP endpoint, and Lease is the same shape
// against loadgen serve.
//
// Both of vegeta's formats are read: "http" (METHOD URL lines, then headers
// and an @body file, targets separated by blank lines; @ paths are relative
// to the working directory, as in vegeta) and "json" (one object per line,
// body base64); Load detects the format when none is given. A Set holds every
// target in file order. The attacker asks for droplet d's target (For): target
// d mod Len, so a droplet keeps its endpoint across its first attempt and its
// retries, with the placeholder {droplet} in the URL, a header value or the
// body replaced by d. Targeter cycles through the targets as vegeta does, for
// an attack without droplets.
//
// The schedule (when each droplet sends, how it retries) stays the
// attacker's: this package only says what each attempt sends.
//
// Non-goals: generating targets files, pacing, checking that a host is
// loopback (Origins and Hosts list them for the attacker to decide).
//
// Concurrency: a Set is read-only once loaded; its methods may
// be called from any goroutine.
package targets
