package backlog

// blockSize is the number of items per block: large enough that the block
// bookkeeping is negligible, small enough that an idle queue wastes little.
const blockSize = 1024

// Deque is a double-ended queue of T stored in fixed-size blocks. The zero
// value is an empty deque ready to use.
//
// A popped slot is zeroed at once (one store), so that a block holds no
// reference to work already handed out and a released block is clean without
// a sweep; a deque that empties keeps its last block with its indices reset,
// so a queue that is usually empty (push one, pop one) touches one slot per
// item rather than clearing a whole block each time it drains.
type Deque[T any] struct {
	blocks []*[blockSize]T // blocks[first:] are live, oldest first
	first  int             // blocks before it are spent (nil); compacted when blocks must grow
	head   int             // index of the first item in blocks[first]
	back   *[blockSize]T   // blocks[len-1], kept at hand: a push touches it alone
	tail   int             // index one past the last item in blocks[len-1]
	n      int
	spare  []*[blockSize]T // emptied blocks kept for reuse
}

// Len returns the number of queued items.
func (d *Deque[T]) Len() int { return d.n }

// PushBack appends v at the back.
func (d *Deque[T]) PushBack(v T) {
	if len(d.blocks) == d.first || d.tail == blockSize {
		if d.first > 0 && len(d.blocks) == cap(d.blocks) {
			// Reuse the spent front instead of growing: popping a block
			// costs O(1), and a queue of steady length never reallocates.
			k := copy(d.blocks, d.blocks[d.first:])
			clear(d.blocks[k:])
			d.blocks = d.blocks[:k]
			d.first = 0
		}
		d.back = d.newBlock()
		d.blocks = append(d.blocks, d.back)
		d.tail = 0
		if len(d.blocks)-d.first == 1 {
			d.head = 0
		}
	}
	d.back[d.tail] = v
	d.tail++
	d.n++
}

// PopFront removes and returns the item at the front; ok is false when empty.
func (d *Deque[T]) PopFront() (v T, ok bool) {
	if d.n == 0 {
		return v, false
	}
	var zero T
	b := d.blocks[d.first]
	v = b[d.head]
	b[d.head] = zero
	d.head++
	d.n--
	if d.n == 0 {
		d.head, d.tail = 0, 0 // the only block stays, clean
	} else if d.head == blockSize {
		d.release(b)
		d.blocks[d.first] = nil
		d.first++
		d.head = 0
	}
	return v, true
}

// PopBack removes and returns the item at the back; ok is false when empty.
func (d *Deque[T]) PopBack() (v T, ok bool) {
	if d.n == 0 {
		return v, false
	}
	var zero T
	last := len(d.blocks) - 1
	d.tail--
	v = d.back[d.tail]
	d.back[d.tail] = zero
	d.n--
	if d.n == 0 {
		d.head, d.tail = 0, 0 // the only block stays, clean
	} else if d.tail == 0 {
		d.release(d.back)
		d.blocks[last] = nil
		d.blocks = d.blocks[:last]
		d.back = d.blocks[last-1]
		d.tail = blockSize
	}
	return v, true
}

// Front returns the item at the front without removing it.
func (d *Deque[T]) Front() (v T, ok bool) {
	if d.n == 0 {
		return v, false
	}
	return d.blocks[d.first][d.head], true
}

// Back returns the item at the back without removing it.
func (d *Deque[T]) Back() (v T, ok bool) {
	if d.n == 0 {
		return v, false
	}
	return d.back[d.tail-1], true
}

// Clear drops every item and keeps the blocks for reuse. It returns how many
// items were dropped.
func (d *Deque[T]) Clear() int {
	n := d.n
	if n == 0 {
		return 0
	}
	// Zero only the slots that hold items: [head, blockSize) of the first
	// block, whole middle blocks, [0, tail) of the last.
	live := d.blocks[d.first:]
	for i, b := range live {
		lo, hi := 0, blockSize
		if i == 0 {
			lo = d.head
		}
		if i == len(live)-1 {
			hi = d.tail
		}
		clear(b[lo:hi])
		if i > 0 {
			d.release(b)
			live[i] = nil
		}
	}
	keep := live[0]
	live[0] = nil
	d.blocks[0] = keep
	d.blocks = d.blocks[:1]
	d.back = keep
	d.first, d.head, d.tail, d.n = 0, 0, 0, 0
	return n
}

func (d *Deque[T]) newBlock() *[blockSize]T {
	if k := len(d.spare); k > 0 {
		b := d.spare[k-1]
		d.spare = d.spare[:k-1]
		return b
	}
	return new([blockSize]T)
}

// release keeps at most a few spare blocks: enough to absorb a queue that
// breathes around a block boundary without allocating, not so many that a
// drained queue pins the memory of its peak. b must be clean (every slot
// zero): pops and Clear zero the slots they empty.
func (d *Deque[T]) release(b *[blockSize]T) {
	if len(d.spare) < 4 {
		d.spare = append(d.spare, b)
	}
}
