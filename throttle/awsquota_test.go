package throttle

import (
	"testing"
)

func TestAWSQuotaSpendsAndRefunds(t *testing.T) {
	q := ocMust(NewAWSQuota(DefaultAWSQuota))
	n := 0
	for q.Retry(at(0), false) {
		n++
	}
	if n != 100 || q.Available() != 0 {
		t.Fatalf("500/5: %d retries, %d left; want 100, 0", n, q.Available())
	}
	for i := 0; i < 4; i++ {
		q.Success(at(0), false) // +1 each
	}
	if q.Retry(at(0), false) {
		t.Fatal("retry with 4 tokens")
	}
	q.Success(at(0), false)
	if !q.Retry(at(0), false) {
		t.Fatal("retry refused with 5 tokens")
	}
	q.Success(at(0), true) // +5
	q.Success(at(0), true) // +5
	if q.Available() != 10 {
		t.Fatalf("%d tokens, want 10", q.Available())
	}
	if !q.Retry(at(0), true) || q.Available() != 0 { // a timeout retry costs 10
		t.Fatalf("timeout retry: %d tokens left, want 0", q.Available())
	}
	if q.Retry(at(0), true) {
		t.Fatal("timeout retry with no tokens")
	}
	for i := 0; i < 200; i++ {
		q.Success(at(0), true)
	}
	if q.Available() != 500 {
		t.Fatalf("refunds went to %d, want capped at 500", q.Available())
	}
}
