package server

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/platform/db"
)

// Image headers that declare w×h pixels on a tiny file: each format's size field patched.
func pixelBombs(t *testing.T, w, h int) []upload {
	t.Helper()
	small := image.NewRGBA(image.Rect(0, 0, 8, 8))
	small.Set(1, 1, color.RGBA{200, 0, 0, 255})
	var p, j, g bytes.Buffer
	if png.Encode(&p, small) != nil || jpeg.Encode(&j, small, nil) != nil || gif.Encode(&g, small, nil) != nil {
		t.Fatal("encode")
	}
	// PNG: IHDR's width and height, and the chunk's CRC.
	pb := p.Bytes()
	binary.BigEndian.PutUint32(pb[16:], uint32(w))
	binary.BigEndian.PutUint32(pb[20:], uint32(h))
	binary.BigEndian.PutUint32(pb[29:], crc32.ChecksumIEEE(pb[12:29]))
	// JPEG: the frame header (SOF0) after its marker, length and precision.
	jb := j.Bytes()
	sof := bytes.Index(jb, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(jb[sof+5:], uint16(h))
	binary.BigEndian.PutUint16(jb[sof+7:], uint16(w))
	// GIF: the logical screen.
	gb := g.Bytes()
	binary.LittleEndian.PutUint16(gb[6:], uint16(w))
	binary.LittleEndian.PutUint16(gb[8:], uint16(h))
	// WebP (lossless): 14 bits each of width−1 and height−1 (at most 16384).
	ww, wh := min(w, 16384), min(h, 16384)
	bits := uint32(ww-1) | uint32(wh-1)<<14
	vp8l := append([]byte{0x2f}, binary.LittleEndian.AppendUint32(nil, bits)...)
	vp8l = append(vp8l, make([]byte, 16)...)
	webp := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+8+len(vp8l)))...)
	webp = append(webp, "WEBPVP8L"...)
	webp = append(webp, binary.LittleEndian.AppendUint32(nil, uint32(len(vp8l)))...)
	webp = append(webp, vp8l...)
	return []upload{{"bomb.png", pb}, {"bomb.jpg", jb}, {"bomb.gif", gb}, {"bomb.webp", webp}}
}

// TestImagePixelBudget: an image whose header declares more pixels than the budget is
// refused before it is decoded, for every image format accepted, and nothing is stored.
func TestImagePixelBudget(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		path := fmt.Sprintf("/api/v1/activities/%d/attachments", f.newActivity("A1", "held"))
		stored := func() int {
			n := 0
			_ = filepath.WalkDir(filepath.Join(f.app.Dir, "files"), func(_ string, e os.DirEntry, _ error) error {
				if e != nil && !e.IsDir() {
					n++
				}
				return nil
			})
			return n
		}
		rows, files := f.count(`SELECT COUNT(*) FROM attachments`), stored()
		for _, u := range pixelBombs(t, 40000, 40000) {
			r := f.do("secA", "POST", path, u)
			p := decodeProblem(t, r)
			want := "文件：图片尺寸过大（40000×40000像素，不能超过5000万像素）"
			if u.name == "bomb.webp" {
				want = "文件：图片尺寸过大（16384×16384像素，不能超过5000万像素）"
			}
			if r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "file" || p.Errors[0].Message != want {
				t.Errorf("%s (%d bytes): %d %s", u.name, len(u.data), r.status, r.body)
			}
		}
		r := f.do("secA", "POST", path, pixelBombs(t, 40000, 40000)[0], "Accept-Language", "en")
		if p := decodeProblem(t, r); r.status != 422 || p.Errors[0].Message != "File: the image is too large (40000×40000 pixels; at most 50 megapixels)" {
			t.Errorf("en: %s", r.body)
		}
		if f.count(`SELECT COUNT(*) FROM attachments`) != rows || stored() != files {
			t.Error("a refused image was stored")
		}
		// Within the budget the same headers pass the check (the patched files are then
		// stored without a thumbnail, as they cannot be decoded).
		for _, u := range pixelBombs(t, 5000, 5000) {
			if r := f.do("secA", "POST", path, u); r.status != 201 {
				t.Errorf("%s at 5000×5000: %d %s", u.name, r.status, r.body)
			}
		}
	})
}

// TestHeavySlots: with every heavy-work slot held, each heavy route answers 429 with
// Retry-After and a clear message and changes nothing, while light routes and logins go
// on; a freed slot serves the next request.
func TestHeavySlots(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		oneInstance(t, "the heavy slots are per instance")
		f := newFixture(t, d)
		act := f.newActivity("A1", "held")
		task := f.newTask()
		heavy := []struct {
			method, path string
			body         any
			ok           int
		}{
			{"POST", fmt.Sprintf("/api/v1/members/import?org=%d&dry_run=false", f.orgs["A1"]), f.rosterCSV(false), 200},
			{"GET", fmt.Sprintf("/api/v1/members/export?org=%d", f.orgs["A1"]), nil, 200},
			{"POST", fmt.Sprintf("/api/v1/activities/%d/attachments", act), pngFile("合影.png", 40, 30), 201},
			{"GET", fmt.Sprintf("/api/v1/orgs/%d/record-book?year=2026", f.orgs["A1"]), nil, 200},
			{"GET", fmt.Sprintf("/api/v1/orgs/%d/record-book?year=2026&format=xlsx", f.orgs["A1"]), nil, 200},
			{"GET", fmt.Sprintf("/api/v1/orgs/%d/points/export?year=2026", f.orgs["A1"]), nil, 200},
			{"POST", fmt.Sprintf("/api/v1/orgs/%d/points/import?dry_run=false", f.orgs["A1"]),
				upload{name: "points.csv", data: []byte(fmt.Sprintf("党员,年度,项目代码,分值\n%d,2026,volunteer,1\n", f.members["a1m1"]))}, 200},
			{"GET", fmt.Sprintf("/api/v1/orgs/%d/quarterly/workbook?quarter=2026-Q3", f.orgs["A1"]), nil, 200},
			{"GET", fmt.Sprintf("/api/v1/tasks/%d/export?org=%d", task, f.orgs["A1"]), nil, 200},
			// secA does not read the street's round: with a slot it runs and answers 404.
			{"GET", fmt.Sprintf("/api/v1/assess/rounds/%d/export", f.newRound()), nil, 404},
			{"GET", fmt.Sprintf("/api/v1/orgs/%d/projects/export?year=2026", f.orgs["A1"]), nil, 200},
		}
		f.pointsScheme()
		// Every route marked heavy is exercised here.
		marked := map[string]bool{}
		for _, rt := range f.app.Routes() {
			if rt.Heavy {
				marked[rt.Method+" "+rt.Path] = true
			}
		}
		for _, want := range []string{"POST /api/v1/members/import", "GET /api/v1/members/export", "POST /api/v1/activities/{id}/attachments", "GET /api/v1/orgs/{id}/record-book",
			"GET /api/v1/orgs/{id}/points/export", "POST /api/v1/orgs/{id}/points/import", "GET /api/v1/orgs/{id}/quarterly/workbook", "GET /api/v1/tasks/{id}/export",
			"GET /api/v1/assess/rounds/{id}/export", "GET /api/v1/orgs/{id}/projects/export"} {
			if !marked[want] {
				t.Errorf("%s is not a heavy route", want)
			}
			delete(marked, want)
		}
		if len(marked) > 0 {
			t.Errorf("heavy routes without a test: %v", marked)
		}
		var held []func()
		for {
			release, err := f.app.Heavy.Acquire()
			if err != nil {
				break
			}
			held = append(held, release)
		}
		if len(held) != 3 {
			t.Fatalf("%d slots, want the default 3", len(held))
		}
		before, files := f.stateDigest(), f.count(`SELECT COUNT(*) FROM attachments`)
		for _, h := range heavy {
			r := f.do("secA", h.method, h.path, h.body)
			p := decodeProblem(t, r)
			if r.status != 429 || r.header.Get("Retry-After") != "10" || p.Code != "busy" || p.Detail != "正在处理的导入、导出等任务较多，请10秒后重试" {
				t.Errorf("%s %s with every slot taken: %d %s %s", h.method, h.path, r.status, r.header.Get("Retry-After"), r.body)
			}
		}
		r := f.do("secA", "GET", heavy[1].path, nil, "Accept-Language", "en")
		if p := decodeProblem(t, r); r.status != 429 || p.Title != "Server busy" || p.Detail != "Too many imports, exports and similar tasks are running; try again in 10 seconds" {
			t.Errorf("en: %s", r.body)
		}
		if f.stateDigest() != before || f.count(`SELECT COUNT(*) FROM attachments`) != files {
			t.Error("a refused heavy request changed data")
		}
		if r := f.do("secA", "GET", fmt.Sprintf("/api/v1/members?org=%d", f.orgs["A1"]), nil); r.status != 200 {
			t.Errorf("a light route while busy: %d", r.status)
		}
		if tok := f.login("viewerA", testPassword); tok == "" {
			t.Error("no login while busy")
		}
		// One slot freed: each heavy request runs, and gives its slot back.
		held[0]()
		for _, h := range heavy {
			if r := f.do("secA", h.method, h.path, h.body); r.status != h.ok {
				t.Errorf("%s %s with a free slot: %d %.300s", h.method, h.path, r.status, r.body)
			}
		}
		for _, release := range held[1:] {
			release()
		}
	})
}

// TestRulePackBombs: a rule pack (YAML, uploaded by admins) is read within bounds: a body over
// 1 MB is a 413 and a "billion laughs" of aliases a 422, and the pack in force stays.
func TestRulePackBombs(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		laughs := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		prev := "a"
		for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
			laughs += n + ": &" + n + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n"
			prev = n
		}
		big := "# " + strings.Repeat("x", 2<<20) + "\n"
		for _, c := range []struct {
			name, body string
			status     int
		}{{"billion laughs", laughs, 422}, {"2 MB", big, 413}} {
			r := f.do("admin", "POST", "/api/v1/rulepacks", rawBody(c.body))
			if r.status != c.status || len(r.body) > 4096 {
				t.Errorf("%s: %d %.300s", c.name, r.status, r.body)
			}
		}
		var inForce struct {
			ID string `json:"id"`
		}
		f.do("secA", "GET", "/api/v1/rulepacks", nil).decode(t, &inForce)
		if inForce.ID != "national" {
			t.Errorf("pack in force: %q", inForce.ID)
		}
	})
}
