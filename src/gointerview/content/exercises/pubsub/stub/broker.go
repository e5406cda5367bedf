// Package pubsub implements an in-process publish/subscribe broker that never lets a slow
// subscriber hold up a publisher.
package pubsub

// Message is what a publisher sends. The broker passes it on unchanged.
type Message struct {
	Seq  int
	Body string
}

// Broker delivers messages published on a topic to every open subscription to that topic.
// It is safe for concurrent use.
type Broker struct {
	// TODO: your fields
}

// Subscription receives the messages published on one topic.
type Subscription struct {
	// TODO: your fields
}

// NewBroker returns a broker whose subscriptions each buffer up to bufferSize messages.
// It panics if bufferSize < 1.
func NewBroker(bufferSize int) *Broker {
	panic("TODO: implement NewBroker")
}

// Subscribe returns a new subscription to topic. On a closed broker, the subscription's
// channel is already closed.
func (b *Broker) Subscribe(topic string) *Subscription {
	panic("TODO: implement Subscribe")
}

// Publish offers msg to every open subscription to topic without ever blocking: a
// subscription whose buffer is full misses the message, and its Dropped count goes up.
// It returns how many subscriptions got the message (0 on a closed broker).
func (b *Broker) Publish(topic string, msg Message) (delivered int) {
	panic("TODO: implement Publish")
}

// Subscribers returns the number of open subscriptions to topic.
func (b *Broker) Subscribers(topic string) int {
	panic("TODO: implement Subscribers")
}

// Close closes every subscription's channel. Later Publishes deliver nothing and later
// Subscribes return closed subscriptions. It is safe to call more than once.
func (b *Broker) Close() {
	panic("TODO: implement Close")
}

// C returns the channel on which the subscription receives messages. It is closed when the
// subscription or the broker is closed; messages already buffered can still be received first.
func (s *Subscription) C() <-chan Message {
	panic("TODO: implement C")
}

// Dropped returns how many messages this subscription missed because its buffer was full.
func (s *Subscription) Dropped() uint64 {
	panic("TODO: implement Dropped")
}

// Close unsubscribes and closes the channel. It is safe to call more than once, and before
// or after the broker's Close.
func (s *Subscription) Close() {
	panic("TODO: implement Close")
}
