package demo

import "strings"

// weighted is a list of choices with cumulative weights.
type weighted struct {
	items []string
	cum   []float64
}

func newWeighted(items []string, weights []float64) *weighted {
	w := &weighted{items: items, cum: make([]float64, len(items))}
	t := 0.0
	for i := range items {
		x := 1.0
		if i < len(weights) {
			x = weights[i]
		}
		t += x
		w.cum[i] = t
	}
	return w
}

func (w *weighted) pick(g *gen) string {
	x := g.r.Float64() * w.cum[len(w.cum)-1]
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if w.cum[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return w.items[lo]
}

// Surnames roughly by their frequency in the population (percent).
var surnames = newWeighted(
	strings.Fields(`王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 高 罗 郑 梁 谢 宋 唐 许 韩 邓 冯 曹 彭 曾 肖 田 董 潘 袁 蔡 蒋 余 于 杜 叶 程 魏 苏 吕 丁 任 卢 姚 沈 钟 姜 崔 谭 陆 范 汪 廖 石 金 韦 贾 夏 付 方 邹 熊 白 孟 秦 邱 侯 江 尹 薛 闫 段 雷 龙 黎 史 陶 贺 毛 郝 顾 龚 邵 万 覃 武 钱 戴 严 莫 孔 向 常 欧阳 司马 诸葛 上官`),
	[]float64{7.1, 7.0, 6.7, 5.4, 4.5, 3.1, 2.1, 2.0, 1.9, 1.9, 1.5, 1.4, 1.2, 1.2, 1.1, 1.1, 1.0, 1.0, 0.9, 0.9, 0.8, 0.8, 0.7, 0.7, 0.7, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.02, 0.01, 0.01, 0.01},
)

var (
	maleChars   = []rune("伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
	femaleChars = []rune("秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽")
	// Given names common in the generation born before 1960.
	oldMale   = strings.Fields(`建国 建华 国强 国庆 卫东 卫国 振华 志强 德明 福生 长林 根生 金发 永年 宝山 爱国 建军 援朝 跃进 红兵`)
	oldFemale = strings.Fields(`秀英 桂英 秀兰 玉兰 桂兰 凤英 秀珍 玉珍 淑珍 翠花 金凤 素珍 桂芳 美华 秀芳 爱华 红梅 建英 玉梅 冬梅`)
)

// Regions are real county-level codes (GB/T 2260) for ID numbers, with a native place;
// the first ones are the district's own area and carry most of the weight.
var regions = []struct{ code, place string }{
	{"330602", "浙江绍兴"}, {"330603", "浙江绍兴"}, {"330604", "浙江绍兴"}, {"330624", "浙江新昌"}, {"330681", "浙江诸暨"},
	{"330683", "浙江嵊州"}, {"330106", "浙江杭州"}, {"330203", "浙江宁波"}, {"330302", "浙江温州"}, {"331002", "浙江台州"},
	{"110105", "北京朝阳"}, {"110108", "北京海淀"}, {"120101", "天津和平"}, {"130102", "河北石家庄"}, {"140105", "山西太原"},
	{"210102", "辽宁沈阳"}, {"230102", "黑龙江哈尔滨"}, {"310104", "上海徐汇"}, {"320102", "江苏南京"}, {"320506", "江苏苏州"},
	{"340104", "安徽合肥"}, {"350102", "福建福州"}, {"360102", "江西南昌"}, {"370102", "山东济南"}, {"370113", "山东济南"},
	{"410105", "河南郑州"}, {"420106", "湖北武汉"}, {"430104", "湖南长沙"}, {"440305", "广东深圳"}, {"440106", "广东广州"},
	{"500103", "重庆渝中"}, {"510107", "四川成都"}, {"520102", "贵州贵阳"}, {"530102", "云南昆明"}, {"610113", "陕西西安"},
}

var regionPick = func() *weighted {
	items := make([]string, len(regions))
	w := make([]float64, len(regions))
	for i := range regions {
		items[i] = string(rune('A' + i))
		switch {
		case i == 0:
			w[i] = 40
		case i < 6:
			w[i] = 6
		case i < 10:
			w[i] = 2
		default:
			w[i] = 0.5
		}
	}
	return newWeighted(items, w)
}()

// Minorities most often met in an eastern district, by GB/T 3304 code.
var minorities = newWeighted(strings.Fields(`03 11 08 15 06 02 10 04 05 07 09 12 13 14 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56`),
	[]float64{20, 15, 10, 8, 7, 6, 5, 3, 2, 2, 2, 2, 2, 2})

var (
	streetNames  = strings.Fields(`城南 城北 城东 城西 府山 北海 塔山 稽山 东湖 灵芝 皋埠 斗门 陶堰 富盛 东浦 鉴湖 马山 孙端 平水 兰亭`)
	communityWds = strings.Fields(`和平 幸福 光明 新华 人民 胜利 解放 友谊 东风 朝阳 向阳 红旗 建设 团结 长乐 安居 康乐 福康 金桥 银河 翠苑 锦绣 丽园 春晖 秋实 紫金 华府 滨江 湖畔 北苑 南苑 西苑 东苑 新村 花园 文化 书院 古城 仓桥 府河 迎恩 鲁迅 蕺山 秋瑾 越都 镜湖 柯岩 鉴水 若耶 会稽 宝珠 桃园 梅园 兰苑 竹园 荷花 银杏 香樟 玉兰 枫林`)
	villageWds   = strings.Fields(`前进 红星 东山 西山 南岙 北庄 上塘 下塘 前庄 后庄 新桥 石桥 大湾 小湾 龙泉 青山 白鹤 黄泥 沙田 柳林 桃源 杏花 竹林 松岭 枫桥 梅墅 荷湖 湖塘 江口 港口 塘头 岭下 溪口 坑口 山后 田畈 王坛 稽东 双江 安桥`)
	roadWds      = strings.Fields(`人民路 解放路 中兴路 胜利路 环城路 延安路 凤林路 越东路 二环路 迎恩路 北海路 城南大道 镜湖大道 府山路 鲁迅路 投醪河路 劳动路 东街 西街 前进路`)
	companyPre   = strings.Fields(`华兴 恒通 瑞达 宏远 永盛 鑫源 金越 天成 中联 海纳 博创 信达 卓越 万丰 嘉禾 东升 新宇 长城 远航 汇通 蓝天 德润 合力 精工 越秀 兴业 广源 凯旋 明珠 锐思`)
	companyInd   = strings.Fields(`科技 电子 机械 纺织 印染 食品 物流 建设 医药 化工 新材料 服饰 软件 信息技术 环保 智能装备 酒业 家居 汽车零部件 文化传媒`)
	socialOrgs   = strings.Fields(`律师事务所 会计师事务所 社会工作服务中心 养老服务中心 志愿者协会 商会 行业协会 培训学校 托育中心 公益发展中心`)
	bureaus      = strings.Fields(`区委办公室 区政府办公室 区人大常委会机关 区政协机关 区纪委监委机关 区委组织部 区委宣传部 区委统战部 区委政法委 区发展和改革局 区财政局 区民政局 区人力资源和社会保障局 区自然资源和规划分局 区住房和城乡建设局 区交通运输局 区农业农村局 区商务局 区文化广电旅游局 区卫生健康局 区应急管理局 区市场监督管理局 区统计局 区医疗保障局 区信访局 区司法局 区审计局 区退役军人事务局 区人民法院 区人民检察院 区公安分局 区税务局 区科学技术局 区经济和信息化局 区综合行政执法局 区机关事务管理中心`)
	soeGroups    = strings.Fields(`区城市建设投资集团有限公司 区交通投资集团有限公司 区水务集团有限公司 区国有资产经营有限公司 区旅游发展集团有限公司 区农业发展投资有限公司 区公共交通有限公司 区供销合作社联合社`)
	soeSubs      = strings.Fields(`置业有限公司 工程建设有限公司 物业服务有限公司 资产管理有限公司 供水有限公司 排水有限公司 客运有限公司 商贸有限公司 检测有限公司 设计研究院有限公司`)
	hospitalList = strings.Fields(`区人民医院 区中医医院 区妇幼保健院 区第二人民医院 区第三人民医院 区精神卫生中心 区疾病预防控制中心 区中心血站`)
	parks        = strings.Fields(`城南商务楼宇 科技园 高新产业园 电商产业园 文创园 万达广场 金融街 物流园 人才大厦 众创空间`)
	nthZh        = strings.Fields(`一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十`)
)

// ordinal is 第一, 第二 … (第21 and on in digits).
func ordinal(i int) string {
	if i < len(nthZh) {
		return "第" + nthZh[i]
	}
	return "第" + itoa(i+1)
}

func num(i int) string {
	if i < len(nthZh) {
		return nthZh[i]
	}
	return itoa(i + 1)
}
