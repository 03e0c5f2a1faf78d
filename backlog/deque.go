package backlog

// blockSize is the number of items per block: large enough that the block
// bookkeeping is negligible, small enough that an idle queue wastes little.
const blockSize = 1024

// Deque is a double-ended queue of T stored in fixed-size blocks. The zero
// value is an empty deque ready to use.
type Deque[T any] struct {
	blocks []*[blockSize]T // live blocks, oldest first
	head   int             // index of the first item in blocks[0]
	tail   int             // index one past the last item in blocks[len-1]
	n      int
	spare  []*[blockSize]T // emptied blocks kept for reuse
}

// Len returns the number of queued items.
func (d *Deque[T]) Len() int { return d.n }

// PushBack appends v at the back.
func (d *Deque[T]) PushBack(v T) {
	if len(d.blocks) == 0 || d.tail == blockSize {
		d.blocks = append(d.blocks, d.newBlock())
		d.tail = 0
		if len(d.blocks) == 1 {
			d.head = 0
		}
	}
	d.blocks[len(d.blocks)-1][d.tail] = v
	d.tail++
	d.n++
}

// PopFront removes and returns the item at the front; ok is false when empty.
func (d *Deque[T]) PopFront() (v T, ok bool) {
	if d.n == 0 {
		return v, false
	}
	b := d.blocks[0]
	v = b[d.head]
	d.head++
	d.n--
	if d.n == 0 {
		d.reset()
	} else if d.head == blockSize {
		d.release(b)
		copy(d.blocks, d.blocks[1:])
		d.blocks[len(d.blocks)-1] = nil
		d.blocks = d.blocks[:len(d.blocks)-1]
		d.head = 0
	}
	return v, true
}

// PopBack removes and returns the item at the back; ok is false when empty.
func (d *Deque[T]) PopBack() (v T, ok bool) {
	if d.n == 0 {
		return v, false
	}
	last := len(d.blocks) - 1
	d.tail--
	v = d.blocks[last][d.tail]
	d.n--
	if d.n == 0 {
		d.reset()
	} else if d.tail == 0 {
		d.release(d.blocks[last])
		d.blocks[last] = nil
		d.blocks = d.blocks[:last]
		d.tail = blockSize
	}
	return v, true
}

// Front returns the item at the front without removing it.
func (d *Deque[T]) Front() (v T, ok bool) {
	if d.n == 0 {
		return v, false
	}
	return d.blocks[0][d.head], true
}

// Back returns the item at the back without removing it.
func (d *Deque[T]) Back() (v T, ok bool) {
	if d.n == 0 {
		return v, false
	}
	return d.blocks[len(d.blocks)-1][d.tail-1], true
}

// Clear drops every item and keeps the blocks for reuse. It returns how many
// items were dropped.
func (d *Deque[T]) Clear() int {
	n := d.n
	d.reset()
	return n
}

func (d *Deque[T]) reset() {
	for i, b := range d.blocks {
		d.release(b)
		d.blocks[i] = nil
	}
	d.blocks = d.blocks[:0]
	d.head, d.tail, d.n = 0, 0, 0
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
// drained queue pins the memory of its peak.
func (d *Deque[T]) release(b *[blockSize]T) {
	if len(d.spare) < 4 {
		var zero T
		for i := range b {
			b[i] = zero
		}
		d.spare = append(d.spare, b)
	}
}
