package sheet

import (
	"io"
	"os"
	"path/filepath"

	"dangjian/internal/platform/files"
)

// Rows reads an uploaded .xlsx or .csv with the roster import's defences — the hostile-file
// checks before excelize opens it (files.CheckZip, inflated sizes, over-long cells and rows),
// the encodings of a CSV, the cell and row limits — for other domains' imports (points).
type Rows struct{ src source }

// OpenRows stores the upload in dir (which the caller removes), checks it and opens its
// first visible worksheet (or the CSV). filename names the upload in errors.
func OpenRows(upload io.Reader, filename, dir string, lim files.ZipLimits) (*Rows, error) {
	br := newPeekReader(upload)
	kind, err := sniff(br.head(8), filename)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "upload."+kind)
	if err := saveFile(path, br); err != nil {
		return nil, err
	}
	if kind == "xlsx" {
		if err := checkXLSX(path, filename, lim); err != nil {
			os.Remove(path)
			return nil, err
		}
	}
	src, err := openSource(path, kind, dir)
	if err != nil {
		return nil, err
	}
	return &Rows{src: src}, nil
}

// Next reads the next row; false at the end or on an error (Err).
func (r *Rows) Next() bool { return r.src.Next() }

// Row is the current row's number (1-based, as Excel shows it) and cells.
func (r *Rows) Row() (int, []string) { return r.src.Row() }

// Err is the error that stopped Next, as a problem naming the file or the row.
func (r *Rows) Err() error { return r.src.Err() }

// Close releases the file.
func (r *Rows) Close() error { return r.src.Close() }
