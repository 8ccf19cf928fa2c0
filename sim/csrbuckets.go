package sim

import (
	"math"
	"math/bits"
	"runtime"
)

// Bucketed scatters for buildCSR. Its two scatters write each end at its
// user's cursor: the users are random, so at a million users every write
// was a line from memory (the fill and the sort, 0.24 s and 0.25 s of
// CPU a world: pprof of BenchmarkNewCoreMillion, two cores). Here each
// scatter first appends its ends to buckets of 2^wb consecutive users, in
// the order it makes them, then writes each bucket's ends at their users'
// cursors, a bucket at a time: a bucket's lists (2,048 users, about 160
// KB at mean degree 20) stay in a core's caches while it is written, and
// the appends go to one line a bucket. Each list gets the same ends in
// the same order as by scatterDirect, so the graph is the same.

// csrBucketMinUsers is the smallest world whose buildCSR scatters through
// buckets (a smaller world's lists fit in the caches already).
var csrBucketMinUsers = 1 << 17 // a var so that a test can bucket small worlds

// csrBucketBits is log2 of the users a bucket holds in a world of n users:
// a bucket's entry is a user's place in the bucket and an end's code
// (friend<<1 | strong) in 32 bits, and a bucket holds 2,048 users at
// most; 0 where fewer than 64 users a bucket would fit (worlds of 2^25
// users or more), which scatter directly.
func csrBucketBits(n int) uint {
	wb := min(11, 32-codeBits(n))
	if wb < 6 {
		return 0
	}
	return uint(wb)
}

// codeBits is the bits of an end's code, friend<<1 | strong, in a world of
// n users.
func codeBits(n int) int { return bits.Len(uint(max(n, 1)-1)) + 1 }

// scatterBucketed is scatterDirect through buckets of 2^wb users: the
// pairs (renamed, each second id's top bit its strength) are cut into
// parts as scatterDirect cuts them, off holds each user's first end and
// cur[k][u] where part k's ends of u start (countEnds). It returns the
// lists sorted by friend, in the pairs' memory.
func scatterBucketed(n int, pairs, off []int32, cur [][]int32, parts int, wb uint) []int32 {
	np := len(pairs) / 2
	vb := uint(codeBits(n))
	B := (n + 1<<wb - 1) >> wb
	// pos[k][j]: where part k appends its next end of bucket j. A bucket
	// takes its users' ends, at their first end (off), part after part.
	pos := make([][]int32, parts)
	for k := range pos {
		pos[k] = make([]int32, B)
	}
	place := func() {
		for j := range B {
			o := off[j<<wb]
			for _, p := range pos {
				p[j], o = o, o+p[j]
			}
		}
	}
	// The fill: each pair's two ends, in pair order, by the user they
	// belong to. Part k's ends of bucket j start after the other parts'
	// ends of its users before them, as their cursors do.
	runParts(parts, func(k int) {
		p, c := pos[k], cur[k]
		for j := range B {
			first, last := j<<wb, min(n, (j+1)<<wb)
			o := off[first]
			for u := first; u < last; u++ {
				o += c[u] - off[u]
			}
			p[j] = o
		}
	})
	bkt := make([]uint32, off[n]) // made once the parts' cursors are read, which may go first
	mask := int32(1)<<wb - 1
	runParts(parts, func(k int) {
		p := pos[k]
		lo, hi := 2*(k*np/parts), 2*((k+1)*np/parts)
		for i := lo; i < hi; i += 2 {
			a, b := pairs[i], pairs[i+1]&math.MaxInt32
			if a == b {
				continue
			}
			s := uint32(pairs[i+1]) >> 31
			ja, jb := a>>wb, b>>wb
			bkt[p[ja]] = uint32(a&mask)<<vb | uint32(b)<<1 | s
			p[ja]++
			bkt[p[jb]] = uint32(b&mask)<<vb | uint32(a)<<1 | s
			p[jb]++
		}
	})
	enc := pairs[:off[n]] // the pairs are read: their memory takes the lists
	unbucket(bkt, enc, off, n, wb, vb)
	// The sort: each part walks its users in order and appends each end
	// of u's list, as u, to the bucket of its friend v; v's list then
	// takes its friends in order.
	userPart := func(k int) (int, int) { return cutAt(n, parts, k), cutAt(n, parts, k+1) }
	runParts(parts, func(k int) {
		p := pos[k]
		clear(p)
		lo, hi := userPart(k)
		for _, e := range enc[off[lo]:off[hi]] {
			p[e>>1>>wb]++
		}
	})
	place()
	runParts(parts, func(k int) {
		p := pos[k]
		lo, hi := userPart(k)
		for u := lo; u < hi; u++ {
			code := uint32(u) << 1
			for _, e := range enc[off[u]:off[u+1]] {
				v := e >> 1
				j := v >> wb
				bkt[p[j]] = uint32(v&mask)<<vb | code | uint32(e&1)
				p[j]++
			}
		}
	})
	unbucket(bkt, enc, off, n, wb, vb) // enc is read: the sorted lists take its memory
	return enc
}

// unbucket writes every bucket's entries (scatterBucketed) to out, each
// at its user's cursor, which starts at the user's first end (off): the
// buckets are cut among the cores, each bucket's users' lists its own.
func unbucket(bkt []uint32, out, off []int32, n int, wb, vb uint) {
	B := (n + 1<<wb - 1) >> wb
	parts := max(1, min(runtime.GOMAXPROCS(0), B))
	vmask := uint32(1)<<vb - 1
	runParts(parts, func(k int) {
		var c [1 << 11]int32 // the bucket's users' cursors (csrBucketBits keeps wb ≤ 11)
		for j := cutAt(B, parts, k); j < cutAt(B, parts, k+1); j++ {
			first, last := j<<wb, min(n, (j+1)<<wb)
			copy(c[:last-first], off[first:last])
			for _, x := range bkt[off[first]:off[last]] {
				i := x >> vb
				out[c[i]] = int32(x & vmask)
				c[i]++
			}
		}
	})
}
