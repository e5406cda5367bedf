// Package consistenthash implements a consistent-hash ring with virtual nodes.
package consistenthash

// Hash maps bytes to a point on the ring [0, 2^32).
type Hash func(data []byte) uint32

// Ring is a consistent-hash ring. It is safe for concurrent use.
type Ring struct {
	// TODO: your fields
}

// New returns an empty ring that places replicas virtual nodes per real node, using hash
// (crc32.ChecksumIEEE when hash is nil). It panics if replicas < 1.
func New(replicas int, hash Hash) *Ring {
	panic("TODO: implement New")
}

// Add puts nodes on the ring. Virtual node i (0 ≤ i < replicas) of node n sits at
// hash(strconv.Itoa(i) + n). Adding a node that is already on the ring does nothing.
func (r *Ring) Add(nodes ...string) {
	panic("TODO: implement Add")
}

// Remove takes node and all its virtual nodes off the ring. Removing a node that is not on
// the ring does nothing.
func (r *Ring) Remove(node string) {
	panic("TODO: implement Remove")
}

// Get returns the node that owns key: the owner of the first virtual node at or after
// hash(key) going clockwise, wrapping around to the first virtual node past the top of the
// ring. When several virtual nodes share a hash, the one whose node name sorts first wins.
// It returns "" when the ring is empty.
func (r *Ring) Get(key string) string {
	panic("TODO: implement Get")
}
