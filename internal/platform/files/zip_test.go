package files

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// zipOf writes an archive of parts of the given sizes (zeros) and returns its path.
func zipOf(t *testing.T, sizes ...int) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, n := range sizes {
		w, err := zw.Create(fmt.Sprintf("%c.xml", 'a'+i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(make([]byte, n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "x.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCheckZip: each limit stops the archive at the part that breaks it, and an archive
// within them passes with every byte handed to inspect.
func TestCheckZip(t *testing.T) {
	cases := []struct {
		name  string
		sizes []int
		lim   ZipLimits
		part  string // "" when it passes
	}{
		{"within", []int{1000, 2000}, ZipLimits{Ratio: 100, Max: 1 << 20, Parts: 10}, ""},
		{"too many parts", []int{1, 1, 1}, ZipLimits{Ratio: 100, Max: 1 << 20, Parts: 2}, "(central directory)"},
		// zip.NewReader would allocate every record: refused from the directory's span.
		{"many empty parts", make([]int, 20000), DefaultZipLimits, "(central directory)"},
		// Past 65,535 parts the archive is zip64: its own end record gives the offset.
		{"zip64", make([]int, 70000), DefaultZipLimits, "(central directory)"},
		{"one part over Max", []int{10, 3 << 20}, ZipLimits{Ratio: 1000, Max: 2 << 20, Parts: 10}, "b.xml"},
		{"together over Max", []int{1500 << 10, 1500 << 10}, ZipLimits{Ratio: 1000, Max: 2 << 20, Parts: 10}, "b.xml"},
		// Zeros deflate about 1000×: 100× the file is far less than the part.
		{"over the ratio", []int{8 << 20}, ZipLimits{Ratio: 100, Max: 256 << 20, Parts: 10}, "a.xml"},
	}
	for _, c := range cases {
		seen := 0
		err := CheckZip(zipOf(t, c.sizes...), c.lim, func(_ string, r io.Reader) error {
			n, err := io.Copy(io.Discard, r)
			seen += int(n)
			return err
		})
		var be *BombError
		switch {
		case c.part == "" && (err != nil || seen != c.sizes[0]+c.sizes[1]):
			t.Errorf("%s: %v, %d bytes seen", c.name, err, seen)
		case c.part != "" && (!errors.As(err, &be) || be.Part != c.part || be.Lied || be.TooMany != (c.part == "(central directory)")):
			t.Errorf("%s: %v, want a bomb at %s", c.name, err, c.part)
		}
	}
}
