package examples_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the examples if a goroutine outlives them (the live
// example serves and attacks on loopback).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
