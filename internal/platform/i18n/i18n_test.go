package i18n

import "testing"

func TestFromAcceptLanguage(t *testing.T) {
	cases := map[string]Lang{
		"":                ZH,
		"zh-CN,zh;q=0.9":  ZH,
		"en-US,en;q=0.9":  EN,
		"en":              EN,
		"fr-FR":           ZH,
		"de, en;q=0.5":    EN,
		"zh-TW":           ZH,
		"not a header;;;": ZH,
	}
	for h, want := range cases {
		if got := FromAcceptLanguage(h); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %s, want %s", h, got, want)
		}
	}
}

func TestNestedMessages(t *testing.T) {
	Register(map[string][2]string{"f.test": {"字段", "Field"}})
	if got := T(ZH, "v.required", M("f.test")); got != "字段：不能为空" {
		t.Errorf("zh: %q", got)
	}
	if got := T(EN, "v.row", 12, M("v.required", M("f.test"))); got != "Row 12: Field: required" {
		t.Errorf("en: %q", got)
	}
}
