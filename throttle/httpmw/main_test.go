package httpmw_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if a goroutine outlives them (the
// Example serves on loopback).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
