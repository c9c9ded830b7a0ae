package points

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/yamldoc"
)

// The central rules against formalism at the grassroots (减负: since 2019, repeated in 2023
// and in the 2024 rules on easing the burden at the grassroots; the 2026 rules on government
// apps) forbid making logins, online or study time, reading, likes, shares or daily check-ins
// the measure of work, or photos and study notes its compulsory proof
// (shared/domain/REGULATIONS.md §10). A scheme that does is refused, item by item, with the
// reason: these are refusals by design, not figures a district may change.

// forbiddenMeasure is one thing an item may not reward, recognised by words of its code,
// name or note.
type forbiddenMeasure struct {
	key   string // the message naming it
	words []string
}

var forbiddenMeasures = []forbiddenMeasure{
	{"pts.no.login", []string{"登录", "登陆", "上线", "login", "log in", "log-in", "sign-in streak"}},
	{"pts.no.online", []string{"在线时长", "学习时长", "在线学习时间", "观看时长", "online time", "time online", "study time", "minutes online", "hours online", "watch time"}},
	{"pts.no.reading", []string{"阅读", "浏览", "阅读量", "reading", "articles read", "page views"}},
	{"pts.no.likes", []string{"点赞", "评论数", "likes", "like count"}},
	{"pts.no.shares", []string{"转发", "分享次数", "分享文章", "朋友圈", "shares", "reposts", "share count"}},
	{"pts.no.checkin", []string{"打卡", "每日签到", "日签", "连续签到", "daily check", "check-in streak", "clock in", "clock-in"}},
}

// forbiddenEvidence is proof an item may not require.
var forbiddenEvidence = map[string]string{"photo": "pts.no.photo", "study_notes": "pts.no.notes"}

func init() {
	const why = "（依据中央关于整治形式主义为基层减负的规定，2024 年）"
	const whyEN = " (the central rules on easing the burden at the grassroots, 2024)"
	i18n.Register(map[string][2]string{
		"pts.no.login":    {"不得以登录、上线次数计分" + why, "points may not reward logging in" + whyEN},
		"pts.no.online":   {"不得以在线时长、学习时长计分" + why, "points may not reward online or study time" + whyEN},
		"pts.no.reading":  {"不得以阅读量、浏览量计分" + why, "points may not reward reading or page views" + whyEN},
		"pts.no.likes":    {"不得以点赞、评论数计分" + why, "points may not reward likes" + whyEN},
		"pts.no.shares":   {"不得以转发、分享计分" + why, "points may not reward shares" + whyEN},
		"pts.no.checkin":  {"不得以每日打卡、签到计分" + why, "points may not reward daily check-ins" + whyEN},
		"pts.no.photo":    {"不得把照片作为必需的证明材料" + why, "photos may not be required as proof" + whyEN},
		"pts.no.notes":    {"不得把学习笔记作为必需的证明材料" + why, "study notes may not be required as proof" + whyEN},
		"pts.year":        {"生效日期 %s 不在方案年度 %d 内", "effective date %s is not in the scheme's year %d"},
		"pts.dup":         {"编码“%s”重复", "code %q is used twice"},
		"pts.cap_small":   {"年度上限 %d 分小于每次分值 %d 分", "the yearly cap %d is below the points per event %d"},
		"pts.kinds":       {"仅“出席组织生活自动计分”的项目（arises: attendance）需要且必须列出活动类型 kinds", "kinds are required for, and only for, items arising from attendance"},
		"pts.derived_cat": {"由出席记录自动计分的项目只能是基础分或奖励分", "items derived from attendance must be basic or reward items"},
		"pts.default":     {"应有且只有一个默认层级（default: true），实际有 %d 个", "exactly one layer must be the default (found %d)"},
	})
}

// forbidden refuses items that reward what the anti-formalism rules forbid, or require
// forbidden proof.
func (s *Scheme) forbidden(doc *yaml.Node) SchemeErrors {
	var out SchemeErrors
	for i, l := range s.Layers {
		for j, it := range l.Items {
			at := []string{"layers", strconv.Itoa(i), "items", strconv.Itoa(j)}
			text := strings.ToLower(it.Code + " " + it.Name + " " + it.NameEN + " " + it.Note)
			for _, m := range forbiddenMeasures {
				if containsAny(text, m.words) {
					loc := append(append([]string{}, at...), "name")
					out = append(out, schemeErr(yamldoc.NodeAt(doc, loc).Line, "/"+strings.Join(loc, "/"), m.key))
				}
			}
			if key, bad := forbiddenEvidence[it.Evidence]; bad {
				loc := append(append([]string{}, at...), "evidence")
				out = append(out, schemeErr(yamldoc.NodeAt(doc, loc).Line, "/"+strings.Join(loc, "/"), key))
			}
		}
	}
	return out
}

func containsAny(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}
