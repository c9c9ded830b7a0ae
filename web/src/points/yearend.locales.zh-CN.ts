// Messages of the points year end (zh-CN, the default).
export default {
  yearend: {
    title: '年度评星', my: '我的年度星级', appeals: '积分申诉', year: '{year} 年度', org: '组织',
    state: { none: '未开始', review: '评定中', publicity: '公示中', confirmed: '已确认' },
    ratingState: { proposed: '待评定', reviewed: '已评定', confirmed: '已确认' },
    compute: '计算年度积分与建议星级', recompute: '重新计算', acceptAll: '其余全部按建议评定', startPublicity: '开始公示', confirm: '确认评星结果',
    scheme: '方案：{name}（{version}）', days: '公示 {n} 个工作日', noDays: '方案未规定公示天数', members: '{n} 名党员', unreviewed: '{n} 人未评定',
    unreviewedList: '未评定：{names}', total: '{n} 分', proposed: '建议 {stars}', given: '评定 {stars}', vetoed: '一票否决',
    withdrawn: '已摘星', adjust: '调整', asProposed: '按建议', stars: '星级', noStars: '无星级', reason: '理由', reasonHint: '调整星级须填写理由',
    save: '保存', window: '公示期：{from} 至 {to}（{n} 个工作日）', inWindow: '公示期内，可提出异议', ended: '公示期已结束', closed: '已确认',
    object: '提出异议', objectTitle: '对 {name} 的评定提出异议', objectText: '异议内容', objected: '异议已提交，等待支部答复',
    objections: '异议', noObjections: '暂无异议', objectionState: { open: '待答复', upheld: '已采纳', dismissed: '未采纳' },
    answer: '答复', uphold: '采纳并调整', dismiss: '不采纳', answerText: '答复内容', answered: '已答复', mine: '我提出的',
    confirmed: '评星结果已确认', withdraw: '摘星', restore: '恢复星级', withdrawn_ok: '已摘星', restored: '已恢复',
    history: '星级记录', event: { review: '支部评定', objection: '采纳异议', confirm: '确认', withdraw: '摘星', restore: '恢复', appeal: '申诉改正' },
    noRating: '本年度尚未公示评星结果', openPublicity: '查看支部公示', appealRating: '对年度星级提出申诉', appealEntry: '申诉',
    appealText: '申诉理由', appealSent: '申诉已提交，由上级党组织处理', myAppeals: '我的申诉', noAppeals: '暂无申诉',
    appealState: { open: '处理中', upheld: '维持', changed: '已改正' }, target: { entry: '积分条目', rating: '年度星级' },
    entries: '可申诉的积分条目', keep: '维持', change: '改正', points: '改正后分值', newStars: '改正后星级', decided: '已处理',
    none: '没有待处理的申诉', inbox: '申诉处理', toYearEnd: '年度评星', toAppeals: '积分申诉', toRating: '我的年度星级',
    shareWarn: '{name} {count} 人，占 {of} 人中的 {pct}%，超过方案建议比例 {share}（仅提示，不强制）',
  },
} as const
