package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"dangjian/internal/platform/httpx"
)

func TestLimiterSlidingWindow(t *testing.T) {
	l := &Limiter{Limit: 3, Per: time.Minute}
	t0 := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for i, at := range []time.Duration{0, 10 * time.Second, 50 * time.Second} {
		if ok, _ := l.Allow("a", t0.Add(at)); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	ok, retry := l.Allow("a", t0.Add(55*time.Second))
	if ok || retry != 5*time.Second {
		t.Fatalf("fourth attempt in the minute: %v, retry %v (want 5s: the first attempt leaves the window)", ok, retry)
	}
	if ok, _ := l.Allow("b", t0.Add(55*time.Second)); !ok {
		t.Error("another key is limited too")
	}
	// The window slides: at 60 s the first attempt has left it, not all of them.
	if ok, _ := l.Allow("a", t0.Add(60*time.Second)); !ok {
		t.Error("refused after the oldest attempt left the window")
	}
	if ok, retry := l.Allow("a", t0.Add(61*time.Second)); ok || retry != 9*time.Second {
		t.Errorf("window of 10 s, 50 s, 60 s is full: %v %v", ok, retry)
	}
	// Quiet keys are forgotten.
	l.Allow("c", t0.Add(10*time.Minute))
	if _, kept := l.seen["b"]; kept {
		t.Error("a key quiet for minutes is still kept")
	}
}

// TestHasherBound holds every slot, then asks for more hashes than the queue takes: exactly
// the queue's worth wait, the rest are refused with 429 at once, and no more than the slots
// ever run together.
func TestHasherBound(t *testing.T) {
	h := NewHasher(3 * hashMemory)
	if h.Slots() != 3 {
		t.Fatalf("slots %d", h.Slots())
	}
	release := make(chan struct{})
	var held sync.WaitGroup
	ctx := context.Background()
	for i := 0; i < h.Slots(); i++ {
		held.Add(1)
		go func() { _ = h.Do(ctx, func() error { held.Done(); <-release; return nil }) }()
	}
	held.Wait()
	queue := cap(h.admitted) - h.Slots()
	results := make(chan error, 50)
	for i := 0; i < 50; i++ {
		go func() {
			_, err := h.Check(ctx, dummyHash, "guess")
			results <- err
		}()
	}
	refused := 0
	for refused < 50-queue {
		err := <-results
		var he *httpx.Error
		if !errors.As(err, &he) || he.Status != 429 || he.Extra["retry_after_seconds"] != 1 {
			t.Fatalf("while full: %v", err)
		}
		refused++
	}
	close(release)
	for i := 0; i < queue; i++ {
		if err := <-results; err != nil {
			t.Errorf("a queued hash failed: %v", err)
		}
	}
	if h.Peak() > h.Slots() {
		t.Errorf("%d hashes ran at once, bound %d", h.Peak(), h.Slots())
	}
}
