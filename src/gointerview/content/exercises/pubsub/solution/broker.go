// Package pubsub implements an in-process publish/subscribe broker that never lets a slow
// subscriber hold up a publisher.
package pubsub

import (
	"sync"
	"sync/atomic"
)

// Message is what a publisher sends. The broker passes it on unchanged.
type Message struct {
	Seq  int
	Body string
}

// Broker delivers messages published on a topic to every open subscription to that topic.
// It is safe for concurrent use.
type Broker struct {
	bufferSize int

	// mu guards topics, closed and every Subscription's closed flag. Publish holds it for
	// reading, so a channel cannot be closed while Publish may send on it; Publish never
	// blocks while holding it (its sends are non-blocking).
	mu     sync.RWMutex
	topics map[string]map[*Subscription]struct{}
	closed bool
}

// Subscription receives the messages published on one topic.
type Subscription struct {
	b       *Broker
	topic   string
	ch      chan Message
	dropped atomic.Uint64
	closed  bool // guarded by b.mu; true once ch is closed
}

// NewBroker returns a broker whose subscriptions each buffer up to bufferSize messages.
// It panics if bufferSize < 1.
func NewBroker(bufferSize int) *Broker {
	if bufferSize < 1 {
		panic("pubsub: bufferSize must be at least 1")
	}
	return &Broker{bufferSize: bufferSize, topics: make(map[string]map[*Subscription]struct{})}
}

// Subscribe returns a new subscription to topic. On a closed broker, the subscription's
// channel is already closed.
func (b *Broker) Subscribe(topic string) *Subscription {
	s := &Subscription{b: b, topic: topic, ch: make(chan Message, b.bufferSize)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		s.closed = true
		close(s.ch)
		return s
	}
	subs := b.topics[topic]
	if subs == nil {
		subs = make(map[*Subscription]struct{})
		b.topics[topic] = subs
	}
	subs[s] = struct{}{}
	return s
}

// Publish offers msg to every open subscription to topic without ever blocking: a
// subscription whose buffer is full misses the message, and its Dropped count goes up.
// It returns how many subscriptions got the message (0 on a closed broker).
func (b *Broker) Publish(topic string, msg Message) (delivered int) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for s := range b.topics[topic] { // a nil map (closed broker, unknown topic) has no entries
		select {
		case s.ch <- msg:
			delivered++
		default: // a slow consumer: drop rather than wait
			s.dropped.Add(1)
		}
	}
	return delivered
}

// Subscribers returns the number of open subscriptions to topic.
func (b *Broker) Subscribers(topic string) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.topics[topic])
}

// Close closes every subscription's channel. Later Publishes deliver nothing and later
// Subscribes return closed subscriptions. It is safe to call more than once.
func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.closed = true
	for _, subs := range b.topics {
		for s := range subs {
			s.closeLocked()
		}
	}
	b.topics = nil
}

// C returns the channel on which the subscription receives messages. It is closed when the
// subscription or the broker is closed; messages already buffered can still be received first.
func (s *Subscription) C() <-chan Message { return s.ch }

// Dropped returns how many messages this subscription missed because its buffer was full.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

// Close unsubscribes and closes the channel. It is safe to call more than once, and before
// or after the broker's Close.
func (s *Subscription) Close() {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if s.closed {
		return // already closed, by an earlier Close or by the broker's
	}
	if subs := s.b.topics[s.topic]; subs != nil {
		delete(subs, s)
		if len(subs) == 0 {
			delete(s.b.topics, s.topic) // don't keep empty topics around either
		}
	}
	s.closeLocked()
}

// closeLocked closes the channel exactly once. b.mu must be held for writing.
func (s *Subscription) closeLocked() {
	if !s.closed {
		s.closed = true
		close(s.ch)
	}
}
