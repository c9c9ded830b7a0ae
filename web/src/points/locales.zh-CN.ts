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
    source: { claim: '申报', branch: '支部录入', attendance: '出席组织生活', commitment: '公开承诺践诺', volunteer: '志愿服务', import: '导入', appeal: '申诉改正', reversal: '冲正' },
    onBehalf: '代为申报', selectAll: '全选', approveSelected: '批量通过（{n}）', approve: '通过', return: '退回', reject: '不通过',
    reason: '理由', reasonRequired: '请填写理由', approved: '已通过 {n} 条', decided: '已处理', none: '没有待审核的申报',
    overview: '积分概况', yearPick: '选择年度', export: '导出 Excel', backToOrg: '返回组织', membersWith: '有积分记录的党员',
    average: '人均加减分', pending: '待审核申报', entryCount: '积分条目', distribution: '拟评星级分布', noMembers: '本年度还没有积分记录',
    bandsNote: '星级按年末适用的积分方案计算（基础分 {base} 加上加减分）；仅统计本年度有积分记录的党员。星级比例仅供参考，不强制分配。',
    children: '下级组织', org: '组织', memberTotals: '党员积分', name: '姓名', star: '拟评星级', noEntriesShort: '暂无记录',
    imp: {
      title: '导入积分', hint: '从原有系统迁入时使用：可导入往年的年度积分或本年度已有的积分记录。先“检查”，全部行无误后再“导入”；有错误时不会导入任何数据。',
      template: '下载导入模板', templateFile: '积分导入模板.xlsx', chooseFile: '请选择 Excel 或 CSV 文件', check: '检查', apply: '导入',
      errors: '下载错误报告', errorsFile: '积分导入错误报告.xlsx', row: '行号', column: '列', message: '错误原因',
    },
  },
} as const
