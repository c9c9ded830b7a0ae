// Package files stores uploaded files (minutes, photos) behind a small interface; the
// default keeps them on local disk under the data directory.
package files

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// Storage keeps blobs by key.
type Storage interface {
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// NewKey returns a fresh random key.
func NewKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var keyRe = regexp.MustCompile(`^[0-9a-f]{32}(\.thumb)?$`)

// Disk stores files under a directory, two levels of fan-out by key prefix.
type Disk struct{ Dir string }

func (d Disk) path(key string) (string, error) {
	if !keyRe.MatchString(key) {
		return "", errors.New("bad file key")
	}
	return filepath.Join(d.Dir, key[:2], key), nil
}

// Put writes r under key, returning the size; a partial file is removed on error.
func (d Disk) Put(_ context.Context, key string, r io.Reader) (int64, error) {
	p, err := d.path(key)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return 0, err
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(p)
		return 0, err
	}
	return n, nil
}

// Open reads the file under key.
func (d Disk) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// Delete removes the file under key (a missing file is not an error).
func (d Disk) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
