// Package attachments keeps the files of activity records (minutes, photos): checked by
// extension, sniffed content and image size before they are stored, with thumbnails.
package attachments

import (
	"bytes"
	"context"
	"dangjian/internal/life"
	"database/sql"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders for thumbnails
	"image/jpeg"
	_ "image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/files"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Store keeps the files of the activity records.
type Store struct {
	*life.Store
}

// Routes are the endpoints of an activity's files.
func (s *Store) Routes() []httpx.Route { return s.attachmentRoutes() }

// Attachment limits: documents and photos only, 20 MiB each. Photos are never required.
const MaxAttachment = 20 << 20

// MaxImagePixels bounds an image's width × height, read from its header before it is
// decoded: a small file can declare 40000×40000 pixels, which would cost gigabytes. A 50 MP
// phone photo fits.
const MaxImagePixels = 50_000_000

// allowed maps an extension to the content types a file of it may sniff as.
var allowed = map[string][]string{
	".jpg": {"image/jpeg"}, ".jpeg": {"image/jpeg"}, ".png": {"image/png"}, ".gif": {"image/gif"}, ".webp": {"image/webp"},
	".pdf": {"application/pdf"}, ".txt": {"text/plain"},
	".doc": {"application/msword", "application/octet-stream"}, ".xls": {"application/vnd.ms-excel", "application/octet-stream"},
	".ppt":  {"application/vnd.ms-powerpoint", "application/octet-stream"},
	".docx": {"application/zip"}, ".xlsx": {"application/zip"}, ".pptx": {"application/zip"},
}

// Exts are the extensions an attachment may have, sorted (the web's file picker reads them
// from GET /api/v1/meta/facts).
func Exts() []string {
	out := make([]string, 0, len(allowed))
	for ext := range allowed {
		out = append(out, ext)
	}
	sort.Strings(out)
	return out
}

func init() {
	i18n.Register(map[string][2]string{
		"f.attachment":          {"附件", "Attachment"},
		"f.attachment.file":     {"文件", "File"},
		"v.attachment.type":     {"%s：不支持的文件类型（可上传图片、PDF、Word、Excel、PPT、文本）", "%s: unsupported type (images, PDF, Word, Excel, PowerPoint, text)"},
		"v.attachment.size":     {"%s：文件不能超过%dMB", "%s: at most %d MB"},
		"v.attachment.mismatch": {"%s：文件内容与扩展名不符", "%s: the content does not match the extension"},
		"v.attachment.pixels":   {"%[1]s：图片尺寸过大（%[2]d×%[3]d像素，不能超过%[4]d万像素）", "%[1]s: the image is too large (%[2]d×%[3]d pixels; at most %[5]d megapixels)"},
	})
}

// Attachment is a file of an activity.
type Attachment struct {
	ID          int64     `json:"id"`
	ActivityID  int64     `json:"activity_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	HasThumb    bool      `json:"has_thumb"`
	URL         string    `json:"url"`
	ThumbURL    string    `json:"thumb_url,omitempty"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

func (a *Attachment) links(thumb bool) {
	a.URL = fmt.Sprintf("/api/v1/attachments/%d", a.ID)
	if thumb {
		a.HasThumb, a.ThumbURL = true, a.URL+"?thumb=true"
	}
}

// Attachments lists an activity's files.
func (s *Store) Attachments(ctx context.Context, sc *auth.Scope, activityID int64) ([]Attachment, error) {
	if _, err := s.Get(ctx, sc, activityID); err != nil {
		return nil, err
	}
	out := []Attachment{}
	if err := db.Each(ctx, s.DB, `SELECT id, activity_id, name, content_type, size, thumb_key, uploaded_at FROM attachments
		WHERE activity_id = ? AND removed_at IS NULL ORDER BY id`, []any{activityID}, func(rs db.Scanner) error {
		var a Attachment
		var thumb string
		if err := rs.Scan(&a.ID, &a.ActivityID, &a.Name, &a.ContentType, &a.Size, &thumb, &a.UploadedAt); err != nil {
			return err
		}
		a.UploadedAt = a.UploadedAt.UTC()
		a.links(thumb != "")
		out = append(out, a)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// checkPixels refuses an image whose header declares more than MaxImagePixels, for every
// format a thumbnail is made of (an unreadable header is left to thumbnail).
func checkPixels(data []byte) error {
	c, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || int64(c.Width)*int64(c.Height) <= MaxImagePixels {
		return nil
	}
	return httpx.Invalid(httpx.FieldIssue("file", "f.attachment.file", "v.attachment.pixels", c.Width, c.Height, MaxImagePixels/10000, MaxImagePixels/1000000))
}

// thumbnail scales an image to at most 320 pixels wide as a JPEG; nil for other files and
// for images over the pixel budget.
func thumbnail(data []byte) []byte {
	if checkPixels(data) != nil {
		return nil
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return nil
	}
	tw := min(320, w)
	th := max(1, h*tw/w)
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil
	}
	return buf.Bytes()
}

// Attach stores an uploaded file with an activity the caller writes for (while the record
// can still be changed); images get a thumbnail.
func (s *Store) Attach(ctx context.Context, sc *auth.Scope, store files.Storage, activityID int64, fh *multipart.FileHeader) (*Attachment, error) {
	a, err := s.ForWrite(ctx, s.DB, sc, activityID, life.MayWrite(sc), func(a *life.Activity) bool { return a.Can.Edit })
	if err != nil {
		return nil, err
	}
	ext := strings.ToLower(filepath.Ext(fh.Filename))
	types, ok := allowed[ext]
	if !ok {
		return nil, httpx.Invalid(httpx.FieldIssue("file", "f.attachment.file", "v.attachment.type"))
	}
	if fh.Size > MaxAttachment {
		return nil, httpx.Invalid(httpx.FieldIssue("file", "f.attachment.file", "v.attachment.size", MaxAttachment>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxAttachment+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxAttachment {
		return nil, httpx.Invalid(httpx.FieldIssue("file", "f.attachment.file", "v.attachment.size", MaxAttachment>>20))
	}
	sniffed := http.DetectContentType(data)
	if i := strings.Index(sniffed, ";"); i >= 0 {
		sniffed = sniffed[:i]
	}
	if !life.OneOf(sniffed, types) {
		return nil, httpx.Invalid(httpx.FieldIssue("file", "f.attachment.file", "v.attachment.mismatch"))
	}
	if strings.HasPrefix(sniffed, "image/") {
		if err := checkPixels(data); err != nil {
			return nil, err
		}
	}
	key := files.NewKey()
	if _, err := store.Put(ctx, key, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	thumbKey := ""
	if strings.HasPrefix(sniffed, "image/") {
		if t := thumbnail(data); t != nil {
			thumbKey = key + ".thumb"
			if _, err := store.Put(ctx, thumbKey, bytes.NewReader(t)); err != nil {
				return nil, err
			}
		}
	}
	name := filepath.Base(strings.ReplaceAll(fh.Filename, "\\", "/"))
	if len([]rune(name)) > 200 {
		name = string([]rune(name)[:200])
	}
	now := s.Clock.Now()
	att := &Attachment{ActivityID: activityID, Name: name, ContentType: sniffed, Size: int64(len(data)), UploadedAt: now}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO attachments (activity_id, name, content_type, size, storage_key, thumb_key, uploaded_by, uploaded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, activityID, name, sniffed, len(data), key, thumbKey, sc.UserID, now).Scan(&att.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "attach", Entity: "activity", EntityID: activityID, OrgID: a.OrgID, Summary: name})
	})
	if err != nil {
		_ = store.Delete(ctx, key)
		return nil, err
	}
	att.links(thumbKey != "")
	return att, nil
}

// OpenAttachment opens a file (or its thumbnail) of an activity the caller may read.
func (s *Store) OpenAttachment(ctx context.Context, sc *auth.Scope, store files.Storage, id int64, thumb bool) (*Attachment, io.ReadCloser, error) {
	var a Attachment
	var key, thumbKey string
	err := s.DB.QueryRow(ctx, `SELECT id, activity_id, name, content_type, size, storage_key, thumb_key FROM attachments WHERE id = ? AND removed_at IS NULL`, id).
		Scan(&a.ID, &a.ActivityID, &a.Name, &a.ContentType, &a.Size, &key, &thumbKey)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, httpx.NotFound("f.attachment")
	}
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.Get(ctx, sc, a.ActivityID); err != nil {
		return nil, nil, httpx.NotFound("f.attachment")
	}
	if thumb {
		if thumbKey == "" {
			return nil, nil, httpx.NotFound("f.attachment")
		}
		key, a.ContentType = thumbKey, "image/jpeg"
	}
	rc, err := store.Open(ctx, key)
	return &a, rc, err
}

// RemoveAttachment takes a file off a record that can still be changed (the row stays).
func (s *Store) RemoveAttachment(ctx context.Context, sc *auth.Scope, id int64) error {
	now := s.Clock.Now()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var activityID int64
		var name string
		if err := tx.QueryRow(ctx, `SELECT activity_id, name FROM attachments WHERE id = ? AND removed_at IS NULL`, id).Scan(&activityID, &name); err != nil {
			return sc.Refuse(httpx.NotFound("f.attachment"))
		}
		a, err := s.ForWrite(ctx, tx, sc, activityID, life.MayWrite(sc), func(a *life.Activity) bool { return a.Can.Edit })
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE attachments SET removed_at = ? WHERE id = ?`, now, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "detach", Entity: "activity", EntityID: activityID, OrgID: a.OrgID, Summary: name})
	})
}

// attachmentRoutes are the routes of an activity's files.
func (s *Store) attachmentRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/activities/{id}/attachments", Tag: "life", Summary: "Files of an activity (minutes, photos; photos are never required)", Perm: auth.NeedRead,
			Resp: httpx.List[Attachment]{}, Handle: life.OneActivity(func(r *http.Request, n int64) (any, error) {
				items, err := s.Attachments(r.Context(), auth.From(r.Context()), n)
				if err != nil {
					return nil, err
				}
				return httpx.List[Attachment]{Items: items, Total: len(items)}, nil
			})},
		{Method: "POST", Path: "/api/v1/activities/{id}/attachments", Tag: "life", Summary: "Attach a file (images, PDF, Office, text; 20 MB); images get a thumbnail", Perm: auth.NeedWriteMembers,
			Multipart: true, MaxBody: MaxAttachment + 1<<20, Resp: Attachment{}, Status: http.StatusCreated, Heavy: true, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := life.ActivityID(r)
				if err != nil {
					return err
				}
				_, fh, err := r.FormFile("file")
				if err != nil {
					return httpx.Invalid(httpx.FieldIssue("file", "f.attachment.file", "v.required"))
				}
				a, err := s.Attach(r.Context(), auth.From(r.Context()), s.Files, n, fh)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusCreated, a)
			}},
		{Method: "GET", Path: "/api/v1/attachments/{id}", Tag: "life", Summary: "Download a file (thumb=true: the image's thumbnail)", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "thumb", Type: "boolean"}}, RespType: "application/octet-stream", Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := httpx.PathID(r, "id", "f.attachment")
				if err != nil {
					return err
				}
				a, rc, err := s.OpenAttachment(r.Context(), auth.From(r.Context()), s.Files, n, httpx.QueryFlag(r, "thumb", false))
				if err != nil {
					return err
				}
				defer rc.Close()
				w.Header().Set("Content-Type", a.ContentType)
				w.Header().Set("X-Content-Type-Options", "nosniff")
				w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(a.Name))
				_, err = io.Copy(w, rc)
				return err
			}},
		{Method: "DELETE", Path: "/api/v1/attachments/{id}", Tag: "life", Summary: "Take a file off a record that can still be changed", Perm: auth.NeedWriteMembers,
			Status: http.StatusNoContent, Handle: httpx.WithID("f.attachment", http.StatusNoContent, func(r *http.Request, n int64) (any, error) {
				return nil, s.RemoveAttachment(r.Context(), auth.From(r.Context()), n)
			})},
	}
}
