package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal: the master to read what is written to
// the terminal, the terminal itself to write to. Linux only.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skip(err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		t.Skip(e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		m.Close()
		t.Skip(e)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skip(err)
	}
	return m, s
}

// TestAttackProgressOnATerminalOnly: with stderr a terminal, attack draws
// its progress line (model time, sent of scheduled, in flight, lag, p99 so
// far), redrawn in place; with stderr a file or a pipe, none of it.
func TestAttackProgressOnATerminalOnly(t *testing.T) {
	noLeaks(t)
	master, tty := openPTY(t)
	defer master.Close()
	var term bytes.Buffer
	read := make(chan struct{})
	go func() { io.Copy(&term, master); close(read) }()
	var o bytes.Buffer
	code := app{stdout: &o, stderr: tty}.run(context.Background(), []string{"attack", "--droplets", "100", "--time-scale", "300", "--out", t.TempDir()})
	tty.Close()
	master.Close()
	<-read
	if code != 0 {
		t.Fatalf("exit %d: %s", code, term.String())
	}
	text := term.String()
	for _, w := range []string{"\r\033[Kattack t=", " of 8m0s · sent ", " scheduled · in flight ", " · lag ", " · p99 "} {
		if !strings.Contains(text, w) {
			t.Errorf("the terminal lacks %q:\n%q", w, text[:min(len(text), 600)])
		}
	}
	var e bytes.Buffer
	code = app{stdout: &o, stderr: &e}.run(context.Background(), []string{"attack", "--droplets", "100", "--time-scale", "300", "--out", t.TempDir()})
	if code != 0 || strings.Contains(e.String(), "\r") || strings.Contains(e.String(), "attack t=") {
		t.Errorf("exit %d, progress off a terminal: %q", code, e.String())
	}
}
