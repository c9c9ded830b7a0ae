// Messages of 党员积分 (zh-CN, the default).
export default {
  points: {
    my: '我的积分', inbox: '积分审核', year: '{year} 年', total: '年度积分', base: '基础分 {base}', earned: '累计 {n}',
    vetoed: '本年度有一票否决项，积分计为 0 分', noScheme: '本年度尚无适用的积分方案', stars: '{name}（{n} 星）', noStar: '未达星级',
    byCategory: '分类', byItem: '项目', entries: '积分明细', noEntries: '还没有积分记录', claims: '我的申报', noClaims: '还没有申报',
    capOf: '上限 {cap}', times: '{n} 次', reversal: '冲正', reversed: '已冲正', requested: '申请 {n}',
    claim: '申报积分', resubmit: '修改后重新提交', resubmitTitle: '修改并重新提交申报', claimTitle: '申报积分', pickItem: '选择项目', date: '日期', note: '说明（选填）', submit: '提交',
    submitted: '已提交，等待支部审核', perEvent: '每次 {n} 分', evidenceRecord: '需关联一次本人出席的活动',
    evidenceAttachment: '需附证明材料（可在说明中写明）',
    state: { pending: '待审核', returned: '已退回', approved: '已通过', rejected: '未通过' },
    cat: { basic: '基础分', reward: '奖励分', deduct: '扣减分', veto: '一票否决' },
    source: { claim: '申报', branch: '支部录入', attendance: '出席组织生活' },
    onBehalf: '代为申报', selectAll: '全选', approveSelected: '批量通过（{n}）', approve: '通过', return: '退回', reject: '不通过',
    reason: '理由', reasonRequired: '请填写理由', approved: '已通过 {n} 条', decided: '已处理', none: '没有待审核的申报',
  },
} as const
