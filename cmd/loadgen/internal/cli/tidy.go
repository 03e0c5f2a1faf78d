package cli

import "strings"

// internalPrefixes are the packages whose names lead their errors and mean
// nothing to a user of the command line: the runner, live mode's setup, the
// result files' readers and writers. (scenario:, policy: and targets: stay:
// they say which input is wrong.)
var internalPrefixes = []string{"bench: boundary: ", "bench: ", "live: ", "record: ", "results: "}

// Tidy makes the one line Exit returned for command cmd read as the user
// typed it: "loadgen: CMD: ..." (the command named once, as the first
// prefix), with the internal packages' names that lead the parts of the
// message removed. Lines for several failures, and a line for no command,
// are returned as they are.
func Tidy(line, cmd string) string {
	const head = "loadgen: "
	if cmd == "" || cmd == "loadgen" || !strings.HasPrefix(line, head) || strings.Contains(line, "\n") {
		return line
	}
	rest := strings.TrimPrefix(line, head)
	var parts []string
	for {
		stripped := false
		for _, p := range append(internalPrefixes, cmd+": ") {
			if strings.HasPrefix(rest, p) {
				rest, stripped = strings.TrimPrefix(rest, p), true
			}
		}
		if !stripped {
			break
		}
	}
	parts = append(parts, head+cmd+": ")
	// Internal names further in, after another part ("--out "x": results:").
	for _, p := range internalPrefixes {
		rest = strings.ReplaceAll(rest, ": "+p, ": ")
	}
	return strings.Join(parts, "") + rest
}
