// Messages of 任务落实 (zh-CN, the default).
export default {
  tasks: {
    nav: '任务落实', title: '任务落实', card: '我的任务', verifyCard: '待验收', none: '暂无待办任务', noVerify: '暂无待验收的报送',
    year: '年度', issue: '下达任务', list: '任务清单', noTasks: '本年度还没有任务', completion: '完成情况',
    total: '任务数', done: '已完成', submitted: '待验收', open: '未报送', overdue: '逾期', rate: '完成率',
    issuer: '{name} 下达', due: '时限 {date}', cycle: { monthly: '每月', quarterly: '每季度' }, weight: '权重 {n}',
    children: '下级完成情况', assignments: '落实明细', noChildren: '没有下级组织接收此任务', export: '导出 Excel',
    chain: '上级任务', additions: '补充要求', target: '目标 {n}{unit}', evidence: '佐证材料：{text}', evidenceRequired: '须报送佐证说明',
    cascade: '分解下达', cascadeTitle: '分解下达到下级', state: { issued: '已下达', accepted: '已签收', in_progress: '推进中', submitted: '已报送', verified: '已验收', returned: '已退回', closed: '已销号' },
    action: { accept: '签收', start: '开始推进', submit: '报送', verify: '验收', return: '退回', close: '销号' },
    overdueTag: '逾期', allStates: '全部状态', onlyOverdue: '只看逾期', period: '周期', org: '组织',
    note: '完成情况说明', notePlaceholder: '简要说明完成情况和佐证材料', reason: '退回原因', done_: '已处理',
    form: {
      title: '任务名称', description: '任务内容', target: '目标数（选填）', unit: '单位', mode: '时限', once: '一次性', monthly: '每月', quarterly: '每季度',
      due: '完成时限', year: '年度', lead: '每期提前天数', weight: '权重', evidence: '佐证材料', evidenceRequired: '报送时须填写佐证说明',
      to: '下达对象', toChildren: '直属下级组织', toBranches: '所有党支部', toKinds: '指定组织类别', kinds: '组织类别', field: '领域（选填）',
      additions: '本级补充要求', dueNotLater: '不晚于 {date}', issued: '已下达到 {n} 个组织（期次）', cancel: '取消', ok: '下达',
    },
    back: '返回上级', reload: '刷新',
  },
} as const
