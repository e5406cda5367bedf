package pubsub

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

func msg(i int) Message { return Message{Seq: i, Body: fmt.Sprint("m", i)} }

// recvNow takes the next buffered message; Publish has returned, so it must be there already.
func recvNow(t *testing.T, s *Subscription, want Message, who string) {
	t.Helper()
	select {
	case got, ok := <-s.C():
		if !ok {
			t.Fatalf("%s: the channel is closed, want message %+v", who, want)
		}
		if got != want {
			t.Fatalf("%s: received %+v, want %+v", who, got, want)
		}
	default:
		t.Fatalf("%s: no message waiting, want %+v (Publish returned, so it must be buffered)", who, want)
	}
}

func wantEmpty(t *testing.T, s *Subscription, who string) {
	t.Helper()
	select {
	case got, ok := <-s.C():
		if ok {
			t.Fatalf("%s: received %+v, want nothing", who, got)
		}
		t.Fatalf("%s: the channel is closed, want it open and empty", who)
	default:
	}
}

// wantClosed drains what is buffered and checks that the channel is closed.
func wantClosed(t *testing.T, s *Subscription, who string) {
	t.Helper()
	for i := 0; ; i++ {
		select {
		case _, ok := <-s.C():
			if !ok {
				return
			}
			if i > 1000 {
				t.Fatalf("%s: the channel keeps yielding messages, want it closed", who)
			}
		default:
			t.Fatalf("%s: the channel is open (a receive would block), want it closed", who)
		}
	}
}

func wantDelivered(t *testing.T, got, want int, what string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: Publish returned %d, want %d", what, got, want)
	}
}

func TestPublishReachesTopicSubscribers(t *testing.T) {
	b := NewBroker(4)
	defer b.Close()
	a1, a2, other := b.Subscribe("a"), b.Subscribe("a"), b.Subscribe("b")

	wantDelivered(t, b.Publish("a", msg(1)), 2, "Publish on a topic with two subscribers")
	recvNow(t, a1, msg(1), "first subscriber to a")
	recvNow(t, a2, msg(1), "second subscriber to a")
	wantEmpty(t, other, "subscriber to b after a Publish on a")

	wantDelivered(t, b.Publish("nobody", msg(2)), 0, "Publish on a topic with no subscribers")
	wantDelivered(t, b.Publish("b", msg(3)), 1, "Publish on b")
	recvNow(t, other, msg(3), "subscriber to b")
	wantEmpty(t, a1, "subscriber to a after a Publish on b")
	if n := b.Subscribers("a"); n != 2 {
		t.Fatalf("Subscribers(a) = %d, want 2", n)
	}
}

func TestMessagesArriveInOrder(t *testing.T) {
	b := NewBroker(10)
	defer b.Close()
	s := b.Subscribe("t")
	for i := 0; i < 10; i++ {
		wantDelivered(t, b.Publish("t", msg(i)), 1, fmt.Sprintf("Publish #%d with a buffer of 10", i))
	}
	for i := 0; i < 10; i++ {
		recvNow(t, s, msg(i), fmt.Sprintf("message #%d", i))
	}
}

func TestSlowSubscriberDoesNotBlockPublish(t *testing.T) {
	b := NewBroker(2)
	defer b.Close()
	slow := b.Subscribe("t") // never reads during the burst
	fast := b.Subscribe("t") // reads every message right away

	// If Publish waits for the slow subscriber, this test hangs on the third Publish.
	want := []int{2, 2, 1, 1, 1}
	var got []int
	for i := range want {
		got = append(got, b.Publish("t", msg(i)))
		recvNow(t, fast, msg(i), fmt.Sprintf("the fast subscriber, message #%d", i))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("5 Publishes to a subscriber with a full buffer of 2 and one that keeps up returned %v, want %v", got, want)
	}
	if d := slow.Dropped(); d != 3 {
		t.Fatalf("slow subscriber (buffer 2, 5 messages, none read): Dropped() = %d, want 3", d)
	}
	if d := fast.Dropped(); d != 0 {
		t.Fatalf("fast subscriber: Dropped() = %d, want 0 (drops are counted per subscription)", d)
	}
	// The slow subscriber kept the oldest messages; once it catches up it gets new ones again.
	recvNow(t, slow, msg(0), "slow subscriber, first buffered message")
	recvNow(t, slow, msg(1), "slow subscriber, second buffered message")
	wantEmpty(t, slow, "slow subscriber after reading its 2 buffered messages (the 3 dropped ones are gone)")
	wantDelivered(t, b.Publish("t", msg(5)), 2, "Publish after the slow subscriber caught up")
	recvNow(t, slow, msg(5), "slow subscriber after catching up")
	recvNow(t, fast, msg(5), "fast subscriber")
	if d := slow.Dropped(); d != 3 {
		t.Fatalf("slow subscriber after catching up: Dropped() = %d, want still 3", d)
	}
}

func TestSubscriptionClose(t *testing.T) {
	b := NewBroker(4)
	defer b.Close()
	s, keep := b.Subscribe("t"), b.Subscribe("t")
	wantDelivered(t, b.Publish("t", msg(1)), 2, "Publish to two subscribers")
	s.Close()
	// The message buffered before Close can still be read, then the channel reports closed.
	recvNow(t, s, msg(1), "a closed subscription, its message buffered before Close")
	wantClosed(t, s, "after the subscription's Close")
	s.Close() // a second Close does nothing

	if n := b.Subscribers("t"); n != 1 {
		t.Fatalf("Subscribers(t) = %d after closing one of two subscriptions, want 1", n)
	}
	wantDelivered(t, b.Publish("t", msg(2)), 1, "Publish after one of two subscriptions closed")
	if d := s.Dropped(); d != 0 {
		t.Fatalf("a closed subscription: Dropped() = %d, want 0 (it must no longer be offered messages)", d)
	}
	recvNow(t, keep, msg(1), "the other subscription")
	recvNow(t, keep, msg(2), "the other subscription")
}

func TestClosedSubscriptionsAreRemoved(t *testing.T) {
	b := NewBroker(1)
	defer b.Close()
	live := []*Subscription{b.Subscribe("t"), b.Subscribe("t")}
	for i := 0; i < 1000; i++ {
		b.Subscribe("t").Close()
	}
	if n := b.Subscribers("t"); n != 2 {
		t.Fatalf("Subscribers(t) = %d after 1000 subscribe/close cycles with 2 subscriptions left open, want 2 "+
			"(Close must remove the subscription from the broker, or a long-running broker grows without bound)", n)
	}
	for _, s := range live {
		s.Close()
	}
	if n := b.Subscribers("t"); n != 0 {
		t.Fatalf("Subscribers(t) = %d after every subscription closed, want 0", n)
	}
	wantDelivered(t, b.Publish("t", msg(1)), 0, "Publish after every subscription closed")
}

func TestBrokerClose(t *testing.T) {
	b := NewBroker(4)
	subs := []*Subscription{b.Subscribe("a"), b.Subscribe("a"), b.Subscribe("b")}
	early := b.Subscribe("c")
	early.Close() // closed before the broker: the broker must not close it again

	b.Close()
	for i, s := range subs {
		wantClosed(t, s, fmt.Sprintf("subscription %d after the broker's Close", i))
	}
	wantDelivered(t, b.Publish("a", msg(1)), 0, "Publish on a closed broker")
	late := b.Subscribe("a")
	wantClosed(t, late, "a subscription made after the broker's Close")

	// Closing a subscription after the broker closed it must not close its channel again.
	for _, s := range subs {
		s.Close()
	}
	late.Close()
	b.Close() // and the broker's Close is idempotent too
}

func TestConcurrentUse(t *testing.T) {
	b := NewBroker(8)
	start := make(chan struct{})
	var wg sync.WaitGroup
	topics := []string{"x", "y", "z"}

	// Subscribers come and go while publishers publish.
	for g := 0; g < 6; g++ {
		wg.Go(func() {
			<-start
			for i := 0; i < 50; i++ {
				s := b.Subscribe(topics[(g+i)%len(topics)])
				for range i % 3 {
					select {
					case <-s.C():
					default:
					}
				}
				s.Dropped()
				s.Close()
			}
		})
	}
	for g := 0; g < 3; g++ {
		wg.Go(func() {
			<-start
			for i := 0; i < 300; i++ {
				b.Publish(topics[i%len(topics)], msg(i))
				b.Subscribers(topics[g])
			}
		})
	}
	// A long-lived subscriber reads until the broker closes its channel.
	long := b.Subscribe("x")
	var got int
	wg.Go(func() {
		for range long.C() {
			got++
		}
	})
	close(start)
	// The broker closes while the last subscribers come and go.
	wg.Go(func() {
		<-start
		for i := 0; i < 100; i++ {
			b.Publish("x", msg(i))
		}
		b.Close()
	})
	wg.Wait()
	if got == 0 {
		t.Fatalf("a subscriber reading throughout received no messages")
	}
	if got+int(long.Dropped()) > 100+300 {
		t.Fatalf("a subscriber to x received %d and dropped %d messages, more than were published to x", got, long.Dropped())
	}
}

func TestInvalidBufferSizePanics(t *testing.T) {
	for _, n := range []int{0, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewBroker(%d) should panic", n)
				}
			}()
			NewBroker(n)
		}()
	}
}
