package assess

// A tiny, safe expression language for formula indicators: numbers, indicator codes (their
// scores), + - * /, parentheses, unary minus, min(…) and max(…). Parsed once into a tree and
// evaluated over a map of scores; nothing else can be named or called.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

type expr interface {
	eval(vars map[string]float64) float64
	collect(out *[]string)
}

type num float64
type ref string
type neg struct{ x expr }
type bin struct {
	op   byte
	l, r expr
}
type call struct {
	fn   string
	args []expr
}

func (n num) eval(map[string]float64) float64   { return float64(n) }
func (n num) collect(*[]string)                 {}
func (r ref) eval(v map[string]float64) float64 { return v[string(r)] }
func (r ref) collect(out *[]string)             { *out = append(*out, string(r)) }
func (n neg) eval(v map[string]float64) float64 { return -n.x.eval(v) }
func (n neg) collect(out *[]string)             { n.x.collect(out) }
func (b bin) collect(out *[]string)             { b.l.collect(out); b.r.collect(out) }
func (c call) collect(out *[]string) {
	for _, a := range c.args {
		a.collect(out)
	}
}

func (b bin) eval(v map[string]float64) float64 {
	l, r := b.l.eval(v), b.r.eval(v)
	switch b.op {
	case '+':
		return l + r
	case '-':
		return l - r
	case '*':
		return l * r
	}
	if r == 0 { // a share of nothing is nothing, not an error at scoring time
		return 0
	}
	return l / r
}

func (c call) eval(v map[string]float64) float64 {
	out := c.args[0].eval(v)
	for _, a := range c.args[1:] {
		x := a.eval(v)
		if c.fn == "min" && x < out || c.fn == "max" && x > out {
			out = x
		}
	}
	return out
}

// codes are the indicator codes an expression names.
func (e parsed) codes() []string {
	var out []string
	e.collect(&out)
	return out
}

type parsed struct{ expr }

// parseExpr parses a formula; the error says where it went wrong.
func parseExpr(s string) (parsed, error) {
	p := &parser{src: s}
	p.next()
	e, err := p.sum()
	if err != nil {
		return parsed{}, err
	}
	if p.tok != "" {
		return parsed{}, fmt.Errorf("多余的“%s”", p.tok)
	}
	return parsed{e}, nil
}

type parser struct {
	src string
	pos int
	tok string
}

// next reads the next token: a number, a name, or one punctuation character.
func (p *parser) next() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
	if p.pos >= len(p.src) {
		p.tok = ""
		return
	}
	start := p.pos
	c := rune(p.src[p.pos])
	switch {
	case unicode.IsDigit(c) || c == '.':
		for p.pos < len(p.src) && (unicode.IsDigit(rune(p.src[p.pos])) || p.src[p.pos] == '.') {
			p.pos++
		}
	case unicode.IsLetter(c) || c == '_':
		for p.pos < len(p.src) && (isName(rune(p.src[p.pos]))) {
			p.pos++
		}
	default:
		p.pos++
	}
	p.tok = p.src[start:p.pos]
}

func isName(c rune) bool { return c < 128 && (unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_') }

func (p *parser) sum() (expr, error) {
	l, err := p.product()
	for err == nil && (p.tok == "+" || p.tok == "-") {
		op := p.tok[0]
		p.next()
		var r expr
		if r, err = p.product(); err == nil {
			l = bin{op, l, r}
		}
	}
	return l, err
}

func (p *parser) product() (expr, error) {
	l, err := p.unary()
	for err == nil && (p.tok == "*" || p.tok == "/") {
		op := p.tok[0]
		p.next()
		var r expr
		if r, err = p.unary(); err == nil {
			l = bin{op, l, r}
		}
	}
	return l, err
}

func (p *parser) unary() (expr, error) {
	if p.tok == "-" {
		p.next()
		x, err := p.unary()
		return neg{x}, err
	}
	return p.atom()
}

func (p *parser) atom() (expr, error) {
	t := p.tok
	switch {
	case t == "":
		return nil, errors.New("公式不完整")
	case t == "(":
		p.next()
		e, err := p.sum()
		if err != nil {
			return nil, err
		}
		if p.tok != ")" {
			return nil, errors.New("缺少“)”")
		}
		p.next()
		return e, nil
	case unicode.IsDigit(rune(t[0])) || t[0] == '.':
		v, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return nil, fmt.Errorf("“%s”不是数字", t)
		}
		p.next()
		return num(v), nil
	case isName(rune(t[0])):
		p.next()
		if t != "min" && t != "max" {
			if p.tok == "(" {
				return nil, fmt.Errorf("不认识的函数“%s”（只有 min、max）", t)
			}
			return ref(t), nil
		}
		if p.tok != "(" {
			return nil, fmt.Errorf("%s 后应为“(”", t)
		}
		var args []expr
		for {
			p.next()
			a, err := p.sum()
			if err != nil {
				return nil, err
			}
			args = append(args, a)
			if p.tok == ")" {
				p.next()
				return call{t, args}, nil
			}
			if p.tok != "," {
				return nil, fmt.Errorf("%s(…) 的参数之间应为“,”", t)
			}
		}
	}
	return nil, fmt.Errorf("不认识的“%s”", strings.TrimSpace(t))
}
