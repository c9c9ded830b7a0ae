// Package i18n holds the user-facing messages in Chinese (first) and English, and picks the
// language of a request from Accept-Language.
package i18n

import (
	"fmt"

	"golang.org/x/text/language"
)

// Lang is a supported language.
type Lang string

const (
	ZH Lang = "zh-CN"
	EN Lang = "en-US"
)

var matcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.AmericanEnglish})

// FromAcceptLanguage picks zh-CN unless the header prefers English.
func FromAcceptLanguage(header string) Lang {
	if header == "" {
		return ZH
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return ZH
	}
	_, idx, conf := matcher.Match(tags...)
	if idx == 1 && conf != language.No {
		return EN
	}
	return ZH
}

// Msg is a message not yet rendered: a catalog key and its arguments.
type Msg struct {
	Key  string
	Args []any
}

// M builds a Msg.
func M(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// T renders a message in lang. Arguments that are themselves Msgs are rendered first, so
// a field label or an enum label can be passed as an argument.
func T(lang Lang, key string, args ...any) string {
	e, ok := catalog[key]
	if !ok {
		return key
	}
	tmpl := e.zh
	if lang == EN {
		tmpl = e.en
	}
	if len(args) == 0 {
		return tmpl
	}
	rendered := make([]any, len(args))
	for i, a := range args {
		if m, ok := a.(Msg); ok {
			rendered[i] = T(lang, m.Key, m.Args...)
		} else {
			rendered[i] = a
		}
	}
	return fmt.Sprintf(tmpl, rendered...)
}

// Render renders m in lang.
func (m Msg) Render(lang Lang) string { return T(lang, m.Key, m.Args...) }

type entry struct{ zh, en string }

var catalog = map[string]entry{}

// Register adds messages to the catalog: each value is {zh, en}. Domain packages register
// their own field labels and enum labels at init.
func Register(msgs map[string][2]string) {
	for k, v := range msgs {
		catalog[k] = entry{zh: v[0], en: v[1]}
	}
}

// Has tells whether key is in the catalog (tests use it to prove every label exists).
func Has(key string) bool { _, ok := catalog[key]; return ok }

func init() {
	Register(map[string][2]string{
		// problem titles by code
		"code.validation_failed":   {"输入有误", "Invalid input"},
		"code.not_found":           {"未找到", "Not found"},
		"code.forbidden":           {"无权操作", "Forbidden"},
		"code.unauthorized":        {"请先登录", "Login required"},
		"code.invalid_credentials": {"用户名或密码错误", "Wrong username or password"},
		"code.account_locked":      {"账号已锁定", "Account locked"},
		"code.account_disabled":    {"账号已停用", "Account disabled"},
		"code.conflict":            {"数据冲突", "Conflict"},
		"code.org_not_empty":       {"组织不为空", "Organization not empty"},
		"code.org_dissolved":       {"组织已撤销", "Organization dissolved"},
		"code.bad_request":         {"请求无效", "Bad request"},
		"code.too_large":           {"请求内容过大", "Request too large"},
		"code.internal":            {"服务器内部错误", "Internal server error"},
		"code.method_not_allowed":  {"不支持的请求方法", "Method not allowed"},

		"detail.locked":          {"连续登录失败次数过多，账号已锁定，请在%d分钟后重试", "Too many failed logins; the account is locked, try again in %d minutes"},
		"detail.not_found":       {"%s不存在或不在您的管理范围内", "%s does not exist or is outside your scope"},
		"detail.forbidden":       {"您无权执行此操作", "You may not do this"},
		"detail.validation":      {"请检查标出的字段", "Check the fields marked"},
		"detail.org_not_empty":   {"该组织仍有%d个下级组织和%d名党员，不能撤销", "The organization still has %d sub-organizations and %d members and cannot be dissolved"},
		"detail.org_dissolved":   {"该组织已撤销，不能再修改", "The organization has been dissolved and can no longer be changed"},
		"detail.session_expired": {"登录已过期，请重新登录", "Your session has expired; please log in again"},
		"detail.too_large":       {"上传内容超过%dMB上限", "The upload exceeds the %d MB limit"},

		// generic validation messages
		"v.required":      {"%s：不能为空", "%s: required"},
		"v.choice":        {"%s：取值“%s”无效", "%s: invalid value \"%s\""},
		"v.date":          {"%s：日期格式应为 YYYY-MM-DD", "%s: date must be YYYY-MM-DD"},
		"v.future":        {"%s：不能晚于今天", "%s: cannot be in the future"},
		"v.too_long":      {"%s：不能超过%d个字", "%s: at most %d characters"},
		"v.unknown_field": {"%s：未知字段", "%s: unknown field"},
		"v.number":        {"%s：应为整数", "%s: must be a whole number"},
		"v.json":          {"请求内容不是有效的 JSON：%s", "The request body is not valid JSON: %s"},
		"v.invalid":       {"%s：%s", "%s: %s"},
		"v.row":           {"第%d行 %s", "Row %d: %s"},
	})
}
