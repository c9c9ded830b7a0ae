package sheet

import (
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/platform/files"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Limits on what an uploaded roster may hold, checked while the file is read so that no
// file, however crafted, costs more than a few tens of megabytes. A roster's cells are
// short (an address is at most 200 characters); these are far above any real sheet.
const (
	maxCellBytes = 32 << 10 // one cell's text
	maxRowBytes  = 64 << 10 // one row's text
	// In the XML of an .xlsx, before excelize reads it: one cell (or shared string) with
	// its markup, and any one tag or run of text.
	maxXMLCell  = 256 << 10
	maxXMLToken = 256 << 10
	// excelize holds every part in memory but worksheets and shared strings above
	// xlsxInMemory (which it reads from temporary files): together they may inflate to
	// this much.
	maxXLSXHeld  = 64 << 20
	xlsxInMemory = 4 << 20
)

func init() {
	i18n.Register(map[string][2]string{
		"v.import.bomb": {"文件“%s”解压后过大（其中 %s 超过 %dMB），可能已损坏或是恶意文件；未导入任何数据",
			"The file \"%s\" inflates too far (its part %s exceeds %d MB); it may be damaged or malicious; nothing was imported"},
		"v.import.zip_parts": {"文件“%s”包含的部件过多（超过%d个），可能已损坏或是恶意文件；未导入任何数据",
			"The file \"%s\" has too many parts (more than %d); it may be damaged or malicious; nothing was imported"},
		"v.import.zip_lie": {"文件“%s”中 %s 的内容与其声明的大小或校验值不符，可能已损坏或是恶意文件；未导入任何数据",
			"In the file \"%s\", part %s does not match its stated size or checksum; it may be damaged or malicious; nothing was imported"},
		"v.import.xml_long": {"文件“%s”中有过长的单元格或过宽的行（%s），可能已损坏或是恶意文件；未导入任何数据",
			"The file \"%s\" has an over-long cell or an over-wide row (%s); it may be damaged or malicious; nothing was imported"},
		"v.import.cell_long": {"第%d行%s列：内容过长（每个单元格不超过%dKB）", "Row %d, column %s: too long (at most %d KB a cell)"},
		"v.import.row_long":  {"第%d行：内容过长（每行不超过%dKB）", "Row %d: too long (at most %d KB a row)"},
	})
}

// checkRow refuses a row whose cells are longer than a roster's can be.
func checkRow(n int, cells []string) error {
	total := 0
	for i, c := range cells {
		if len(c) > maxCellBytes {
			col, _ := excelize.ColumnNumberToName(i + 1)
			return httpx.Invalid(httpx.Issue{Field: "file", Row: n, Column: col, Msg: i18n.M("v.import.cell_long", n, col, maxCellBytes>>10)})
		}
		total += len(c)
	}
	if total > maxRowBytes {
		return rowLong(n)
	}
	return nil
}

func rowLong(n int) error {
	return httpx.Invalid(httpx.Issue{Field: "file", Row: n, Msg: i18n.M("v.import.row_long", n, maxRowBytes>>10)})
}

// checkXLSX reads every part of an .xlsx once, before excelize opens it: each part's
// inflated size against lim (the sizes its headers state may lie), the worksheets' and
// shared strings' cells and rows against the limits above, and what excelize would hold
// in memory. filename names the upload in the error.
func checkXLSX(path, filename string, lim files.ZipLimits) error {
	held := int64(maxXLSXHeld)
	err := files.CheckZip(path, lim, func(name string, r io.Reader) error {
		cr := &countReader{r: r}
		var err error
		lower := strings.ToLower(name)
		streamed := lower == "xl/sharedstrings.xml" || strings.HasPrefix(lower, "xl/worksheets/")
		if streamed {
			err = scanCells(name, cr)
		} else {
			_, err = io.Copy(io.Discard, io.LimitReader(cr, held+1))
		}
		// excelize streams worksheets and shared strings from disk only above xlsxInMemory.
		if !streamed || cr.n <= xlsxInMemory {
			if held -= cr.n; held < 0 {
				return &files.BombError{Part: name, Limit: maxXLSXHeld}
			}
		}
		return err
	})
	var be *files.BombError
	var xe *xmlLimitError
	switch {
	case errors.As(err, &be) && be.TooMany:
		return httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("v.import.zip_parts", httpx.Clip(filename), be.Limit)})
	case errors.As(err, &be) && be.Lied:
		return httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("v.import.zip_lie", httpx.Clip(filename), httpx.Clip(be.Part))})
	case errors.As(err, &be):
		return httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("v.import.bomb", httpx.Clip(filename), httpx.Clip(be.Part), max(be.Limit>>20, 1))})
	case errors.As(err, &xe):
		return httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("v.import.xml_long", httpx.Clip(filename), httpx.Clip(xe.part))})
	case err != nil:
		return formatError(err)
	}
	return nil
}

// xmlLimitError is a worksheet or shared-strings part with an over-long cell, tag or text,
// or a row of more than maxCells cells.
type xmlLimitError struct{ part string }

func (e *xmlLimitError) Error() string { return "over-long cell or row in " + e.part }

// scanCells streams a worksheet or shared-strings part and fails on a cell (<c>) or
// shared string (<si>) longer than maxXMLCell with its markup, on any tag or text longer
// than maxXMLToken, and on a row (<row>) of more than maxCells cells. It looks only at
// tag names, so it holds nothing but its buffer.
func scanCells(part string, r io.Reader) error {
	buf := make([]byte, 64<<10)
	var (
		inTag, inCell bool
		token, cell   int
		cells         int
		name          []byte // the start of the current tag, enough for its name
		prev          byte
	)
	fail := func() error { return &xmlLimitError{part: part} }
	for {
		n, err := r.Read(buf)
		for _, c := range buf[:n] {
			token++
			if inCell {
				cell++
			}
			switch {
			case !inTag && c == '<':
				inTag, token, name = true, 1, name[:0]
			case inTag && c == '>':
				inTag, token = false, 0
				closing, local := tagName(name)
				switch {
				case local == "row" && !closing:
					cells = 0
				case local == "c" || local == "si":
					if closing {
						inCell = false
						break
					}
					if local == "c" {
						if cells++; cells > maxCells {
							return fail()
						}
					}
					if prev != '/' {
						inCell, cell = true, 0
					}
				}
			case inTag && len(name) < 32:
				name = append(name, c)
			}
			prev = c
			if token > maxXMLToken || cell > maxXMLCell {
				return fail()
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// tagName reads a tag's local name (without a namespace prefix) from its first bytes.
func tagName(b []byte) (closing bool, local string) {
	if len(b) > 0 && b[0] == '/' {
		closing, b = true, b[1:]
	}
	for i, c := range b {
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' {
			b = b[:i]
			break
		}
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[i+1:]
	}
	return closing, s
}

// recordCap is the CSV reader's input: it fails once one record has taken more than
// limit bytes since the last reset, so an endless field is refused while it is read.
type recordCap struct {
	r     io.Reader
	n     int
	limit int
}

var errRecordLong = errors.New("record too long")

func (c *recordCap) Read(p []byte) (int, error) {
	if c.n > c.limit {
		return 0, errRecordLong
	}
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
