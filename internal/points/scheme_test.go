package points

import (
	"errors"
	"strings"
	"testing"
)

func TestExampleSchemeParses(t *testing.T) {
	s, err := ParseScheme(ExampleText())
	if err != nil {
		t.Fatal(err)
	}
	if s.Year != 2026 || s.Base != 60 || len(s.Layers) != 2 {
		t.Fatalf("example: %+v", s)
	}
	if l := s.LayerFor("full", "mobile"); l == nil || l.Code != "mobile" {
		t.Errorf("a 流动 member falls in %v", l)
	}
	if l := s.LayerFor("full", "active"); l == nil || l.Code != "general" {
		t.Errorf("an ordinary member falls in %v", l)
	}
	if b := s.Band(95); b == nil || b.Stars != 5 {
		t.Errorf("95 → %v", b)
	}
	if b := s.Band(59); b != nil {
		t.Errorf("59 → %v", b)
	}
}

// withItem is the example with one more item in the default layer (its text as given).
func withItem(item string) []byte {
	text := string(ExampleText())
	anchor := "      - code: discipline\n"
	return []byte(strings.Replace(text, anchor, item+anchor, 1))
}

func lineOf(text []byte, needle string) int {
	i := strings.Index(string(text), needle)
	return strings.Count(string(text[:i]), "\n") + 1
}

// TestForbiddenItemsRefused: items rewarding logins, online or study time, reading, likes,
// shares or daily check-ins, or requiring photos or study notes, are refused with the reason
// (the 2024 减负 rules) at the item's line.
func TestForbiddenItemsRefused(t *testing.T) {
	cases := []struct {
		name, item, field, want string
	}{
		{"login", "      - {code: app_login, name: 每日登录学习平台, category: reward, points: 1, cap: 10, arises: claim, evidence: none}\n", "name", "登录"},
		{"online time", "      - {code: study, name: 在线学习时长满 30 分钟, category: reward, points: 1, cap: 10, arises: claim, evidence: none}\n", "name", "在线时长"},
		{"reading", "      - {code: articles, name: 阅读文章, category: reward, points: 1, cap: 10, arises: claim, evidence: none}\n", "name", "阅读量"},
		{"likes", "      - {code: likes, name: 点赞评论, category: reward, points: 1, cap: 10, arises: claim, evidence: none}\n", "name", "点赞"},
		{"shares", "      - {code: repost, name: 转发公众号文章, category: reward, points: 1, cap: 10, arises: claim, evidence: none}\n", "name", "转发"},
		{"check-in", "      - {code: daily, name: 每日打卡, category: basic, points: 1, cap: 10, arises: claim, evidence: none}\n", "name", "打卡"},
		{"english", "      - {code: streak, name: 坚持, name_en: Daily check-in streak, category: basic, points: 1, cap: 10, arises: claim, evidence: none}\n", "name", "打卡"},
		{"photo", "      - {code: service, name: 参加社区服务, category: reward, points: 1, cap: 10, arises: claim, evidence: photo}\n", "evidence", "照片"},
		{"notes", "      - {code: study2, name: 参加集中学习, category: reward, points: 1, cap: 10, arises: claim, evidence: study_notes}\n", "evidence", "学习笔记"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := withItem(c.item)
			_, err := ParseScheme(text)
			var se SchemeErrors
			if !errors.As(err, &se) || len(se) == 0 {
				t.Fatalf("accepted: %v", err)
			}
			e := se[0]
			if e.Line != lineOf(text, c.item) || !strings.HasSuffix(e.Path, "/"+c.field) {
				t.Errorf("at line %d %s, want line %d …/%s", e.Line, e.Path, lineOf(text, c.item), c.field)
			}
			zh := e.Msg.Render("zh-CN")
			if !strings.Contains(zh, c.want) || !strings.Contains(zh, "2024") || !strings.Contains(e.Reason, "2024") {
				t.Errorf("reason %q / %q", zh, e.Reason)
			}
		})
	}
}

// TestSchemeErrorsHaveLines: structural problems are named with their line and path.
func TestSchemeErrorsHaveLines(t *testing.T) {
	cases := []struct {
		name, from, to, path string
	}{
		{"cap below points", "        points: 2\n        cap: 8\n        max_times: 6", "        points: 2\n        cap: 1\n        max_times: 6", "/layers/1/items/1/cap"},
		{"unknown category", "        category: reward\n        points: 4", "        category: bonus\n        points: 4", "/layers/1/items/2/category"},
		{"two defaults", "    statuses: [mobile]\n", "    statuses: [mobile]\n    default: true\n", "/layers"},
		{"wrong year", "effective_from: 2026-01-01", "effective_from: 2025-12-01", "/effective_from"},
		{"kinds missing", "        kinds: [branch_general_meeting, group_meeting, party_lecture, theme_day]\n        evidence: record\n      - code: volunteer", "        evidence: record\n      - code: volunteer", "/layers/1/items/0/kinds"},
		{"unknown field", "base: 60", "base: 60\nbonus_pool: 5", "/"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := string(ExampleText())
			if !strings.Contains(text, c.from) {
				t.Fatalf("example lacks %q", c.from)
			}
			text = strings.Replace(text, c.from, c.to, 1)
			_, err := ParseScheme([]byte(text))
			var se SchemeErrors
			if !errors.As(err, &se) {
				t.Fatalf("accepted: %v", err)
			}
			if se[0].Path != c.path || se[0].Line < 2 {
				t.Errorf("got %+v, want path %s", se, c.path)
			}
		})
	}
}
