package cli

import (
	"fmt"
	"io"
	"os"
	"time"
)

// ProgressEvery is the least time between two progress updates (at most four
// a second).
const ProgressEvery = 250 * time.Millisecond

// IsTerminal reports whether w is a terminal (a character device), without
// any dependency.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Progress is one status line, redrawn in place on a terminal, at most once
// per ProgressEvery, with an ETA from the rate so far. Off a terminal it
// prints nothing.
type Progress struct {
	w       io.Writer
	on      bool
	now     func() time.Time
	start   time.Time
	last    time.Time
	printed bool
}

// NewProgress returns a progress line on w, shown only if on.
func NewProgress(w io.Writer, on bool) *Progress {
	return newProgress(w, on, time.Now)
}

func newProgress(w io.Writer, on bool, now func() time.Time) *Progress {
	t := now()
	return &Progress{w: w, on: on, now: now, start: t}
}

// Update shows text and how much is done (0..1), with the time left at the
// rate so far.
func (p *Progress) Update(done float64, text string) {
	if !p.on {
		return
	}
	now := p.now()
	if now.Sub(p.last) < ProgressEvery {
		return
	}
	p.last, p.printed = now, true
	eta := "ETA —"
	if el := now.Sub(p.start); done > 0 && done <= 1 && el > 0 {
		left := time.Duration(float64(el) * (1 - done) / done)
		eta = "ETA " + left.Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r\033[K%s (%3.0f%%, %s)", text, 100*done, eta)
}

// Println prints a line above the progress line; off a terminal, nothing.
func (p *Progress) Println(line string) {
	if !p.on {
		return
	}
	if p.printed {
		fmt.Fprint(p.w, "\r\033[K")
		p.last = time.Time{}
	}
	fmt.Fprintln(p.w, line)
}

// Done clears the progress line.
func (p *Progress) Done() {
	if p.printed {
		fmt.Fprint(p.w, "\r\033[K")
		p.printed = false
	}
}
