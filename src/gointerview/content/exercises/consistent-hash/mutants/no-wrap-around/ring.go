// Package consistenthash implements a consistent-hash ring with virtual nodes.
package consistenthash

import (
	"hash/crc32"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Hash maps bytes to a point on the ring [0, 2^32).
type Hash func(data []byte) uint32

// vnode is one virtual node: a point on the ring owned by a real node.
type vnode struct {
	hash uint32
	node string
}

// Ring is a consistent-hash ring. It is safe for concurrent use.
type Ring struct {
	hash     Hash
	replicas int

	mu    sync.RWMutex
	nodes map[string]bool // the real nodes on the ring
	ring  []vnode         // sorted by (hash, node)
}

// New returns an empty ring that places replicas virtual nodes per real node, using hash
// (crc32.ChecksumIEEE when hash is nil). It panics if replicas < 1.
func New(replicas int, hash Hash) *Ring {
	if replicas < 1 {
		panic("consistenthash: replicas must be at least 1")
	}
	if hash == nil {
		hash = crc32.ChecksumIEEE
	}
	return &Ring{hash: hash, replicas: replicas, nodes: make(map[string]bool)}
}

// Add puts nodes on the ring. Virtual node i (0 ≤ i < replicas) of node n sits at
// hash(strconv.Itoa(i) + n). Adding a node that is already on the ring does nothing.
func (r *Ring) Add(nodes ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	added := false
	for _, n := range nodes {
		if r.nodes[n] {
			continue
		}
		r.nodes[n] = true
		added = true
		for i := 0; i < r.replicas; i++ {
			r.ring = append(r.ring, vnode{hash: r.hash([]byte(strconv.Itoa(i) + n)), node: n})
		}
	}
	if added {
		// Ties on the hash are broken by node name, so the ring does not depend on the
		// order in which nodes were added.
		slices.SortFunc(r.ring, func(a, b vnode) int {
			if a.hash != b.hash {
				if a.hash < b.hash {
					return -1
				}
				return 1
			}
			return strings.Compare(a.node, b.node)
		})
	}
}

// Remove takes node and all its virtual nodes off the ring. Removing a node that is not on
// the ring does nothing.
func (r *Ring) Remove(node string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.nodes[node] {
		return
	}
	delete(r.nodes, node)
	// Filtering keeps the remaining virtual nodes in sorted order.
	r.ring = slices.DeleteFunc(r.ring, func(v vnode) bool { return v.node == node })
}

// Get returns the node that owns key: the owner of the first virtual node at or after
// hash(key) going clockwise, wrapping around to the first virtual node past the top of the
// ring. When several virtual nodes share a hash, the one whose node name sorts first wins.
// It returns "" when the ring is empty.
func (r *Ring) Get(key string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if len(r.ring) == 0 {
		return ""
	}
	h := r.hash([]byte(key))
	i := sort.Search(len(r.ring), func(i int) bool { return r.ring[i].hash >= h })
	return r.ring[i].node
}
