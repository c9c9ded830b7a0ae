package httpx

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuf is a writer tests can read while the buffer writes to it.
type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
	n  int // writes
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	return l.b.Write(p)
}

func (l *lockedBuf) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestLogBufferKeepsEveryLine: lines written from many goroutines come out whole, each
// writer's in order, none lost at Close, in fewer writes than lines; after Close lines go
// straight through.
func TestLogBufferKeepsEveryLine(t *testing.T) {
	out := &lockedBuf{}
	lb := NewLogBuffer(out, time.Hour, 1<<20)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				fmt.Fprintf(lb, "writer=%d line=%d %s\n", w, i, strings.Repeat("x", 40))
			}
		}()
	}
	wg.Wait()
	if out.String() != "" {
		t.Fatal("written before the interval and below the bound")
	}
	if err := lb.Close(); err != nil {
		t.Fatal(err)
	}
	next := map[int]int{}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 8*500 {
		t.Fatalf("%d lines, want %d", len(lines), 8*500)
	}
	for _, l := range lines {
		var w, i int
		if _, err := fmt.Sscanf(l, "writer=%d line=%d", &w, &i); err != nil || i != next[w] || !strings.HasSuffix(l, strings.Repeat("x", 40)) {
			t.Fatalf("line %q out of order or torn (want line %d of writer %d)", l, next[w], w)
		}
		next[w]++
	}
	if out.n != 1 {
		t.Errorf("%d writes for one flush", out.n)
	}
	fmt.Fprintln(lb, "after close")
	if !strings.HasSuffix(out.String(), "after close\n") {
		t.Error("a line after Close was not written")
	}
}

// TestLogBufferFlushes: by the interval, and at once past the bound.
func TestLogBufferFlushes(t *testing.T) {
	out := &lockedBuf{}
	lb := NewLogBuffer(out, 20*time.Millisecond, 1<<20)
	defer lb.Close()
	fmt.Fprintln(lb, "one")
	deadline := time.Now().Add(5 * time.Second)
	for out.String() != "one\n" {
		if time.Now().After(deadline) {
			t.Fatal("not written within the interval")
		}
		time.Sleep(5 * time.Millisecond)
	}
	small := &lockedBuf{}
	lb2 := NewLogBuffer(small, time.Hour, 64)
	defer lb2.Close()
	fmt.Fprintln(lb2, strings.Repeat("y", 70))
	if small.String() != strings.Repeat("y", 70)+"\n" {
		t.Errorf("a buffer past its bound was not written at once: %q", small.String())
	}
}
