package demo

import (
	"math"
	"strconv"
	"strings"

	"dangjian/internal/org"
)

func itoa(i int) string { return strconv.Itoa(i) }

// profile decides how a branch's members look (sex, age, education, position).
type profile int

const (
	profCommunity profile = iota
	profRetired
	profRural
	profGov
	profSchool
	profHospital
	profSOE
	profPrivate
	profSocial
)

// node is one organization of the plan; ids are assigned in creation order from 1.
type node struct {
	id       int64
	parent   *node
	path     string
	depth    int
	name     string
	short    string
	kind     org.Kind
	field    string
	unit     string
	unitKind string
	secret   string // secretary
	contact  string
	phone    string
	address  string
	setup    string
	sort     int
	code     string
	prof     profile
	size     int     // planned members (branches)
	groups   []*node // 党小组 of a branch
	anomaly  int     // anomalySmall / anomalyLarge, planned
	showcase bool
	children []*node
	// filled while loading
	dm, df    int
	good      int // full members in good standing (active, mobile)
	committee int // members holding a post on its committee now
}

const (
	anomalyNone = iota
	anomalySmall
	anomalyLarge
)

type planner struct {
	g        *gen
	nodes    []*node
	branches []*node
	today    string
}

func (p *planner) add(parent *node, name string, kind org.Kind, field string) *node {
	n := &node{id: int64(len(p.nodes) + 1), parent: parent, name: name, kind: kind, field: field}
	if parent != nil {
		if !org.CanParent(parent.kind, kind) {
			panic("demo: " + string(kind) + " under " + string(parent.kind))
		}
		n.path = parent.path + strconv.FormatInt(n.id, 10) + "/"
		n.depth = parent.depth + 1
		n.sort = len(parent.children) + 1
		parent.children = append(parent.children, n)
		n.unit, n.unitKind, n.address = parent.unit, parent.unitKind, parent.address
	} else {
		n.path = "/" + strconv.FormatInt(n.id, 10) + "/"
	}
	n.code = "330602" + leftPad(n.id, 7)
	if kind != org.Group {
		g := p.g
		if g.r.Float64() >= 0.03 {
			n.secret = g.personName(g.r.IntN(2) == 0, 35+g.r.IntN(25))
		}
		n.contact = g.personName(g.r.IntN(2) == 0, 25+g.r.IntN(30))
		n.phone = g.phone()
		n.setup = g.dateBetween(1978, 2022)
	}
	p.nodes = append(p.nodes, n)
	return n
}

func leftPad(id int64, w int) string {
	s := strconv.FormatInt(id, 10)
	if len(s) < w {
		s = strings.Repeat("0", w-len(s)) + s
	}
	return s
}

// unitOpts describes how a unit's branches are named and who is in them.
type unitOpts struct {
	field    string
	unitKind string
	prof     profile
	style    string // community, rural, gov, school, hospital, soe, private
	joint    bool   // a single joint branch (联合党支部)
	address  string
}

var branchStyles = map[string][]struct {
	name string
	prof int // -1: the unit's profile, else profRetired
}{
	"community": {{"退休党员党支部", 1}, {"在职党员党支部", -1}},
	"rural":     {{"老党员党支部", 1}},
	"gov":       {{"离退休干部党支部", 1}},
	"school":    {{"退休教师党支部", 1}, {"行政后勤党支部", -1}},
	"hospital":  {{"内科党支部", -1}, {"外科党支部", -1}, {"医技党支部", -1}, {"护理党支部", -1}, {"行政后勤党支部", -1}, {"离退休党支部", 1}},
	"soe":       {{"机关党支部", -1}, {"项目部党支部", -1}, {"退休职工党支部", 1}},
}

// unit plans a unit of n members under parent: one branch when small, a 党总支 or a 党委
// with branches otherwise (and 党总支 in between when it has many branches).
func (p *planner) unit(parent *node, name string, n int, o unitOpts) *node {
	g := p.g
	setUnit := func(x *node) {
		x.unit, x.unitKind, x.prof = name, o.unitKind, o.prof
		if o.address != "" {
			x.address = o.address
		}
	}
	if n <= 42 {
		kind := org.Branch
		suffix := "党支部"
		if o.joint {
			kind, suffix = org.JointBranch, ""
		}
		b := p.add(parent, name+suffix, kind, o.field)
		setUnit(b)
		p.branch(b, n, o.prof)
		return b
	}
	k := int(math.Ceil(float64(n) / (26 + 12*g.r.Float64())))
	kind, suffix := org.Committee, "党委"
	if k <= 5 && n < 160 {
		kind, suffix = org.GeneralBranch, "党总支"
	}
	if o.style == "rural" && kind == org.GeneralBranch {
		suffix = "党总支"
	}
	u := p.add(parent, name+suffix, kind, o.field)
	setUnit(u)
	u.short = name
	sizes := split(g, n, k)
	special := branchStyles[o.style]
	holders := []*node{u}
	if k > 10 {
		holders = holders[:0]
		for i := 0; i < (k+7)/8; i++ {
			h := p.add(u, ordinal(i)+"党总支", org.GeneralBranch, o.field)
			setUnit(h)
			holders = append(holders, h)
		}
	}
	for i, sz := range sizes {
		h := holders[i*len(holders)/len(sizes)]
		prof := o.prof
		var bname string
		si := len(sizes) - 1 - i // the special branches come last
		if si < len(special) && len(sizes) >= 3 {
			bname = special[si].name
			if special[si].prof == 1 {
				prof = profRetired
			}
		} else {
			switch o.style {
			case "school":
				bname = "教工" + ordinal(i) + "党支部"
			case "gov":
				bname = "机关" + ordinal(i) + "党支部"
			default:
				bname = ordinal(i) + "党支部"
			}
		}
		b := p.add(h, bname, org.Branch, o.field)
		setUnit(b)
		p.branch(b, sz, prof)
	}
	return u
}

// branch records a member-holding organization with its planned size and maybe groups.
func (p *planner) branch(b *node, n int, prof profile) {
	g := p.g
	b.prof = prof
	b.size = n
	switch x := g.r.Float64(); {
	case x < 0.025:
		b.anomaly = anomalySmall
	case x < 0.05:
		b.anomaly = anomalyLarge
	}
	if n >= 20 && g.r.Float64() < 0.2 {
		for i := 0; i < 2+g.r.IntN(2); i++ {
			b.groups = append(b.groups, p.add(b, ordinal(i)+"党小组", org.Group, b.field))
		}
	}
	p.branches = append(p.branches, b)
}

// split divides n into k parts of similar size (±35%).
func split(g *gen, n, k int) []int {
	if k < 1 {
		k = 1
	}
	w := make([]float64, k)
	t := 0.0
	for i := range w {
		w[i] = 0.65 + 0.7*g.r.Float64()
		t += w[i]
	}
	out := make([]int, k)
	left := n
	for i := range w {
		if i == k-1 {
			out[i] = left
			break
		}
		out[i] = int(float64(n) * w[i] / t)
		left -= out[i]
	}
	return out
}

// nStreets is how many streets and towns the district has.
const nStreets = 12

// plan builds the whole district for about total members.
func (p *planner) plan(total int) {
	M := float64(total)
	root := p.add(nil, "中共示范区委员会", org.Committee, "government")
	root.short, root.unit, root.unitKind, root.address = "示范区委", "中共示范区委员会", "机关", "示范区人民路1号"
	root.secret = "王建华"
	p.streets(root, M)
	p.systems(root, M)
	p.fixAnomalies()
	p.balance(total)
}

// streets plans the streets and towns under root: 61% of the M members, the first street
// the largest.
func (p *planner) streets(root *node, M float64) {
	g := p.g
	weights := make([]float64, nStreets)
	wt := 0.0
	for i := range weights {
		weights[i] = 0.6 + 0.9*g.r.Float64()
		wt += weights[i]
	}
	weights[0] = 1.6 // the first street is the largest (the showcase, the bench's move)
	wt = 0
	for _, w := range weights {
		wt += w
	}
	showcaseDone := false
	for i := 0; i < nStreets; i++ {
		budget := int(0.61 * M * weights[i] / wt)
		town := i >= 8
		var st *node
		field := "community"
		if town {
			field = "rural"
			st = p.add(root, streetNames[i]+"镇党委", org.Committee, field)
			st.short, st.unit, st.unitKind = streetNames[i]+"镇", streetNames[i]+"镇人民政府", "乡镇"
		} else {
			st = p.add(root, streetNames[i]+"街道党工委", org.Committee, field)
			st.short, st.unit, st.unitKind = streetNames[i]+"街道", streetNames[i]+"街道办事处", "街道"
		}
		st.address = "示范区" + st.short + roadWds[i%len(roadWds)] + itoa(10+g.r.IntN(200)) + "号"
		// The street's own office: a branch (or 总支) of 3% of its members.
		p.unit(st, st.short+"机关", max(8, budget*3/100), unitOpts{field: "government", unitKind: "机关", prof: profGov, style: "gov"})
		budget -= max(8, budget*3/100)
		commBudget, villBudget := budget, 0
		if town {
			commBudget, villBudget = budget/4, budget-budget/4
		}
		nComm := max(1, int(math.Round(float64(commBudget)/230)))
		csizes := split(g, commBudget, nComm)
		for j, sz := range csizes {
			name := uniqueName(communityWds, j) + "社区"
			opts := unitOpts{field: "community", unitKind: "社区", prof: profCommunity, style: "community",
				address: "示范区" + st.short + name}
			if !showcaseDone && !town {
				sz = max(sz, 170)
			}
			c := p.unit(st, name, sz, opts)
			if !showcaseDone && !town && c.kind == org.Committee {
				showcaseDone = p.markShowcase(c)
			}
		}
		if villBudget > 0 {
			nVill := max(1, int(math.Round(float64(villBudget)/75)))
			for j, sz := range split(g, villBudget, nVill) {
				name := villageName(g, j) + "村"
				p.unit(st, name, sz, unitOpts{field: "rural", unitKind: "行政村", prof: profRural, style: "rural",
					address: "示范区" + st.short + name})
			}
		}
	}
}

// systems plans the district's systems under root (government, education, health, state
// enterprises, private enterprises and social organizations): the other 39% of the M
// members.
func (p *planner) systems(root *node, M float64) {
	g := p.g
	sys := func(name, short, field, unitKind string) *node {
		n := p.add(root, name, org.Committee, field)
		n.short, n.unit, n.unitKind = short, name, unitKind
		n.address = "示范区" + roadWds[g.r.IntN(len(roadWds))] + itoa(1+g.r.IntN(300)) + "号"
		return n
	}
	gov := sys("中共示范区级机关工作委员会", "区级机关工委", "government", "机关")
	nb := min(len(bureaus), max(3, int(math.Round(0.07*M/120))))
	for j, sz := range split(g, int(0.07*M), nb) {
		p.unit(gov, bureaus[j], sz, unitOpts{field: "government", unitKind: "党政机关", prof: profGov, style: "gov"})
	}
	edu := sys("中共示范区教育系统委员会", "教育系统党委", "school", "事业单位")
	ns := max(3, int(math.Round(0.08*M/150)))
	for j, sz := range split(g, int(0.08*M), ns) {
		p.unit(edu, schoolName(j), sz, unitOpts{field: "school", unitKind: "事业单位", prof: profSchool, style: "school"})
	}
	health := sys("中共示范区卫生健康系统委员会", "卫生健康系统党委", "hospital", "事业单位")
	nh := min(len(hospitalList)+nStreets, max(3, int(math.Round(0.06*M/120))))
	for j, sz := range split(g, int(0.06*M), nh) {
		name := ""
		if j < len(hospitalList) {
			name = hospitalList[j]
		} else {
			name = streetNames[j-len(hospitalList)] + "社区卫生服务中心"
		}
		p.unit(health, name, sz, unitOpts{field: "hospital", unitKind: "事业单位", prof: profHospital, style: "hospital"})
	}
	soe := sys("中共示范区国有资产监督管理委员会委员会", "国资委党委", "soe", "国有企业")
	ng := min(len(soeGroups), max(2, int(math.Round(0.07*M/150))))
	for j, sz := range split(g, int(0.07*M), ng) {
		grp := soeGroups[j]
		if sz > 400 {
			// A group with subsidiaries.
			gn := p.add(soe, grp+"党委", org.Committee, "soe")
			gn.short, gn.unit, gn.unitKind = grp, grp, "国有企业"
			nsub := max(2, sz/350)
			for k, ssz := range split(g, sz, nsub) {
				sub := strings.TrimSuffix(strings.TrimSuffix(grp, "集团有限公司"), "有限公司")
				p.unit(gn, sub+soeSubs[k%len(soeSubs)]+suffixN(k, len(soeSubs)), ssz, unitOpts{field: "soe", unitKind: "国有企业", prof: profSOE, style: "soe"})
			}
			continue
		}
		p.unit(soe, grp, sz, unitOpts{field: "soe", unitKind: "国有企业", prof: profSOE, style: "soe"})
	}
	np := sys("中共示范区非公有制经济组织和社会组织委员会", "非公企业和社会组织党委", "private", "非公有制企业")
	priv := int(0.08 * M)
	standalone := priv * 7 / 10
	nc := max(2, int(math.Round(float64(standalone)/40)))
	for j, sz := range split(g, standalone, nc) {
		name := companyName(g, j)
		p.unit(np, name, sz, unitOpts{field: "private", unitKind: "非公有制企业", prof: profPrivate, style: "private"})
	}
	joint := priv - standalone
	nj := max(1, int(math.Round(float64(joint)/22)))
	for j, sz := range split(g, joint, nj) {
		name := parks[j%len(parks)] + suffixN(j, len(parks)) + ordinal(j/len(parks)) + "联合党支部"
		p.unit(np, name, min(sz, 40), unitOpts{field: "private", unitKind: "非公有制企业", prof: profPrivate, style: "private", joint: true})
	}
	social := int(0.03 * M)
	nso := max(1, int(math.Round(float64(social)/20)))
	for j, sz := range split(g, social, nso) {
		name := companyPre[g.r.IntN(len(companyPre))] + socialOrgs[j%len(socialOrgs)]
		if j == 0 {
			name = "区律师协会"
		}
		p.unit(np, name, sz, unitOpts{field: "social", unitKind: "社会组织", prof: profSocial, style: "private"})
	}
}

func suffixN(i, n int) string {
	if i < n {
		return ""
	}
	return num(i / n)
}

func uniqueName(words []string, j int) string {
	if j < len(words) {
		return words[j]
	}
	return words[j%len(words)] + num(j/len(words)-1+1)
}

func villageName(g *gen, j int) string {
	if j%3 == 0 {
		s := surnames.pick(g)
		if len([]rune(s)) == 1 {
			return s + "家" + suffixN(j, 300)
		}
	}
	return uniqueName(villageWds, j)
}

func schoolName(j int) string {
	switch {
	case j < 6:
		return "示范区" + ordinal(j) + "中学"
	case j == 6:
		return "示范区实验小学"
	case j == 7:
		return "示范区职业中等专业学校"
	case j < 8+len(streetNames):
		return streetNames[j-8] + "小学"
	case j < 8+2*len(streetNames):
		return streetNames[j-8-len(streetNames)] + "幼儿园"
	default:
		return "示范区" + ordinal(j-8-2*len(streetNames)+6) + "中学"
	}
}

func companyName(g *gen, j int) string {
	return "绍兴" + companyPre[j%len(companyPre)] + companyInd[(j/len(companyPre)+g.r.IntN(len(companyInd)))%len(companyInd)] +
		suffixN(j, len(companyPre)*len(companyInd)) + "有限公司"
}

// markShowcase picks the community committee c for the demo accounts: its first ordinary
// branch gets enough members, a secretary and 党小组.
func (p *planner) markShowcase(c *node) bool {
	for _, b := range p.branches {
		if b.parent == c && b.prof != profRetired {
			b.showcase = true
			b.anomaly = anomalyNone
			b.size = max(b.size, 24)
			if b.secret == "" {
				b.secret = p.g.personName(true, 45)
			}
			for len(b.groups) < 2 {
				b.groups = append(b.groups, p.add(b, ordinal(len(b.groups))+"党小组", org.Group, b.field))
			}
			if c.secret == "" {
				c.secret = p.g.personName(false, 48)
			}
			c.showcase = true
			c.parent.showcase = true
			return true
		}
	}
	return false
}

// fixAnomalies makes sure each check finds something, and sizes the anomalous branches.
func (p *planner) fixAnomalies() {
	var small, large, nosec bool
	for _, b := range p.branches {
		small = small || b.anomaly == anomalySmall
		large = large || b.anomaly == anomalyLarge
	}
	for _, n := range p.nodes {
		nosec = nosec || (n.secret == "" && n.kind != org.Group)
	}
	pick := func(k int) *node {
		for i := len(p.branches) - 1; i >= 0; i-- {
			if b := p.branches[i]; !b.showcase && b.anomaly == anomalyNone && b.kind == org.Branch {
				return b
			}
		}
		return nil
	}
	if !small {
		if b := pick(0); b != nil {
			b.anomaly = anomalySmall
		}
	}
	if !large {
		if b := pick(1); b != nil {
			b.anomaly = anomalyLarge
		}
	}
	if !nosec {
		for i := len(p.branches) - 1; i >= 0; i-- {
			if b := p.branches[i]; !b.showcase {
				b.secret = ""
				break
			}
		}
	}
	for _, b := range p.branches {
		switch b.anomaly {
		case anomalySmall:
			b.size = 1 + p.g.r.IntN(2)
		case anomalyLarge:
			b.size = 56 + p.g.r.IntN(30)
		}
	}
}

// balance makes the planned sizes add up to exactly total, changing ordinary branches by
// one member at a time and keeping them within 3..48.
func (p *planner) balance(total int) {
	sum := 0
	for _, b := range p.branches {
		sum += b.size
	}
	diff := total - sum
	for round := 0; diff != 0 && round < 100000; round++ {
		changed := false
		for _, b := range p.branches {
			if diff == 0 {
				break
			}
			if b.anomaly != anomalyNone {
				continue
			}
			if diff > 0 && (b.size < 48 || round > 50) {
				b.size++
				diff--
				changed = true
			} else if diff < 0 && b.size > 3 && !(b.showcase && b.size <= 24) {
				b.size--
				diff++
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}
