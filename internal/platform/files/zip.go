package files

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// ZipLimits bound what a zip archive (an .xlsx) may inflate to. A part's header states
// its size, but the header can lie: the sizes are checked again while inflating.
type ZipLimits struct {
	Ratio int64 // a part may inflate to at most Ratio times the archive's size
	Max   int64 // and to at most Max bytes; all parts together too
	Parts int   // an archive has at most this many parts
}

// DefaultZipLimits are generous for any roster an office writes (its XML compresses
// 5–20×) and stop a bomb long before it costs memory or minutes.
var DefaultZipLimits = ZipLimits{Ratio: 100, Max: 256 << 20, Parts: 10000}

// BombError is an archive whose part inflates beyond the limits, or beyond (or short of)
// what its header states.
type BombError struct {
	Part    string // the part's name in the archive
	Limit   int64  // the bytes it was allowed
	Lied    bool   // the part's content does not match its header's size or checksum
	TooMany bool   // the archive has more than Limit parts
}

func (e *BombError) Error() string {
	if e.Lied {
		return fmt.Sprintf("zip part %s does not match its stated size or checksum", e.Part)
	}
	if e.TooMany {
		return fmt.Sprintf("zip archive has more than %d parts", e.Limit)
	}
	return fmt.Sprintf("zip part %s inflates beyond %d bytes", e.Part, e.Limit)
}

// CheckZip inflates every part of the archive at path through a counting reader and hands
// it to inspect (nil: the bytes are discarded), so that a part is looked at without being
// held. It returns a *BombError when a part, or all together, inflate beyond lim; errors
// of inspect are returned as they are.
func CheckZip(path string, lim ZipLimits, inspect func(name string, r io.Reader) error) error {
	if lim == (ZipLimits{}) {
		lim = DefaultZipLimits
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := checkDirectory(f, st.Size(), lim.Parts); err != nil {
		return err
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return err
	}
	if lim.Parts > 0 && len(zr.File) > lim.Parts {
		return &BombError{Part: fmt.Sprintf("(%d parts)", len(zr.File)), Limit: int64(lim.Parts), TooMany: true}
	}
	part := min(lim.Max, max(lim.Ratio*st.Size(), 1<<20))
	total := lim.Max
	for _, zf := range zr.File {
		limit := min(part, total)
		if zf.UncompressedSize64 > uint64(limit) {
			return &BombError{Part: zf.Name, Limit: limit}
		}
		n, err := inflate(zf, limit, inspect)
		if err != nil {
			return err
		}
		total -= n
	}
	return nil
}

// dirEntryMin is the smallest central-directory record (a part with an empty name).
const dirEntryMin = 46

// checkDirectory bounds the central directory before archive/zip reads it: zip.NewReader
// allocates every record it finds, from the directory's stated offset to the end of the
// file (a 64 MB upload of empty parts would cost ~200 MB). It fails with a *BombError when
// that span could hold more than parts records. The offset is the end record's, or the
// zip64 end record's when the archive has one.
func checkDirectory(f io.ReaderAt, size int64, parts int) error {
	if parts <= 0 {
		return nil
	}
	tail := min(size, 22+65535) // the end record and the longest comment
	buf := make([]byte, tail)
	if _, err := f.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return err
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < 22 {
		return nil // not a zip: archive/zip says so
	}
	offset := uint64(binary.LittleEndian.Uint32(buf[i+16:]))
	if offset == 0xFFFFFFFF && i >= 20 && bytes.Equal(buf[i-20:i-16], []byte("PK\x06\x07")) {
		// The zip64 locator just before the end record points at the zip64 end record.
		rec := make([]byte, 56)
		at := int64(binary.LittleEndian.Uint64(buf[i-12:]))
		if at < 0 || at > size-56 {
			return nil
		}
		if _, err := f.ReadAt(rec, at); err != nil || !bytes.Equal(rec[:4], []byte("PK\x06\x06")) {
			return nil
		}
		offset = binary.LittleEndian.Uint64(rec[48:])
	}
	if offset > uint64(size) {
		return nil
	}
	if (uint64(size)-offset)/dirEntryMin > uint64(parts) {
		return &BombError{Part: "(central directory)", Limit: int64(parts), TooMany: true}
	}
	return nil
}

// inflate reads one part through a reader that fails beyond limit; it returns the bytes read.
func inflate(zf *zip.File, limit int64, inspect func(string, io.Reader) error) (int64, error) {
	rc, err := zf.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	cr := &capReader{r: rc, limit: limit, part: zf.Name}
	if inspect == nil {
		_, err = io.Copy(io.Discard, cr)
	} else {
		err = inspect(zf.Name, cr)
		if err == nil {
			_, err = io.Copy(io.Discard, cr) // what inspect left unread counts too
		}
	}
	// A read past the limit is the answer, whatever the reader on top made of it.
	if cr.err != nil {
		return 0, cr.err
	}
	// archive/zip stops a part at its stated size and checks the CRC at its end.
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) || errors.Is(err, io.ErrUnexpectedEOF) {
		return 0, &BombError{Part: zf.Name, Limit: int64(zf.UncompressedSize64), Lied: true}
	}
	return cr.n, err
}

// capReader fails with a *BombError once more than limit bytes are read.
type capReader struct {
	r     io.Reader
	limit int64
	n     int64
	part  string
	err   error
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if room := c.limit - c.n + 1; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		c.err = &BombError{Part: c.part, Limit: c.limit}
		return 0, c.err
	}
	return n, err
}
