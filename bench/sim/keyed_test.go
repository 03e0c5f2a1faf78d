package sim

import "testing"

// TestDrawsAreKeyed: a stream depends only on (seed, salt, what, item, w),
// whatever was drawn before, and another salt gives other values.
func TestDrawsAreKeyed(t *testing.T) {
	a, b := NewDraws(1, 7), NewDraws(1, 7)
	b.Of(2, 5, 0).Uint64() // draws of another item in between
	for item := uint64(0); item < 10; item++ {
		if x, y := a.Of(1, item, 3).Uint64(), b.Of(1, item, 3).Uint64(); x != y {
			t.Fatalf("item %d: %d and %d from the same key", item, x, y)
		}
	}
	if NewDraws(1, 7).Of(1, 0, 0).Uint64() == NewDraws(1, 8).Of(1, 0, 0).Uint64() {
		t.Error("two salts draw the same value")
	}
	k := NewKeyed(42)
	if k.Uint64() != Mix(42+Golden) {
		t.Error("Keyed's first output is not Mix(key + Golden)")
	}
}
