package httpx

import (
	"bytes"
	"io"
	"sync"
	"time"
)

// LogBuffer is the writer of the server's log (the access log above all): a line is copied
// into memory and the request goes on, instead of every request waiting in turn for a write
// to stderr (a pipe to a system log that may be slow). The buffer is written out every
// interval, when it grows past a bound (by the request that crosses it, so a log that cannot
// keep up slows requests rather than losing lines or memory), and at Close. Lines are
// written whole and in order, unchanged.
type LogBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	out    io.Writer
	outMu  sync.Mutex // one write to out at a time, in order
	max    int
	stop   chan struct{}
	done   chan struct{}
	closed bool
}

// NewLogBuffer writes to out every interval, or sooner once max bytes wait.
func NewLogBuffer(out io.Writer, interval time.Duration, max int) *LogBuffer {
	b := &LogBuffer{out: out, max: max, stop: make(chan struct{}), done: make(chan struct{})}
	go b.loop(interval)
	return b
}

// Write keeps p (one log line: slog handlers write a record in one call).
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		b.outMu.Lock()
		defer b.outMu.Unlock()
		return b.out.Write(p)
	}
	b.buf.Write(p)
	full := b.buf.Len() >= b.max
	b.mu.Unlock()
	if full {
		return len(p), b.Flush()
	}
	return len(p), nil
}

// Flush writes out what waits.
func (b *LogBuffer) Flush() error {
	b.outMu.Lock()
	defer b.outMu.Unlock()
	b.mu.Lock()
	if b.buf.Len() == 0 {
		b.mu.Unlock()
		return nil
	}
	data := bytes.Clone(b.buf.Bytes())
	b.buf.Reset()
	b.mu.Unlock()
	_, err := b.out.Write(data)
	return err
}

func (b *LogBuffer) loop(interval time.Duration) {
	defer close(b.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			_ = b.Flush()
		}
	}
}

// Close writes out what waits; later lines are written directly, after it.
func (b *LogBuffer) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.mu.Unlock()
	close(b.stop)
	<-b.done
	b.outMu.Lock()
	defer b.outMu.Unlock()
	b.mu.Lock()
	b.closed = true
	data := bytes.Clone(b.buf.Bytes())
	b.buf.Reset()
	b.mu.Unlock()
	if len(data) == 0 {
		return nil
	}
	_, err := b.out.Write(data)
	return err
}
