// Messages of 公开承诺 and 到社区报到 / 志愿服务 (zh-CN, the default).
export default {
  service: {
    my: '承诺与服务', branch: '承诺践诺与报到', board: '承诺公示栏', year: '{year} 年',
    result: '践诺情况', onBehalf: '代为新增承诺', commitments: '我的承诺', noCommitments: '还没有承诺', addCommitment: '新增承诺', category: '类别', content: '承诺内容',
    due: '完成时限', dueOn: '{date} 前完成', submit: '提交', submitted: '已提交，等待支部确认', withdraw: '撤回', withdrawn: '已撤回',
    limit: '每人每年至多 {n} 项', evidence: '践诺说明：{note}',
    state: { draft: '待确认', confirmed: '已确认', kept: '已践诺', not_kept: '未践诺', withdrawn: '已撤回', pending: '待确认', rejected: '不予确认' },
    registration: '社区报到', notRegistered: '尚未到社区报到', registeredAt: '已在 {name} 报到（{from} 起）', register: '到社区报到',
    community: '报到社区', searchCommunity: '输入社区名称查找', address: '居住地址（选填）', unit: '工作单位（选填，默认所在单位）',
    unregister: '取消报到', unregistered: '已取消报到', history: '报到记录', ended: '{from} 至 {to}',
    records: '志愿服务', noRecords: '还没有志愿服务记录', addRecord: '登记志愿服务', organizer: '组织单位', day: '服务日期',
    hours: '服务时长（小时）', what: '服务内容', forWhom: '服务对象（选填）', totalHours: '本年已确认 {n} 小时',
    hoursOf: '{n} 小时', recordAdded: '已登记，等待组织单位确认',
    drafts: '待确认的承诺', noDrafts: '没有待确认的承诺', confirm: '确认', confirmed: '已确认',
    toRecord: '待记录践诺情况', noToRecord: '没有待记录的承诺', dueSoon: '{days} 天内到期或已到期', kept: '已践诺', notKept: '未践诺',
    outcomeTitle: '记录践诺情况', note: '践诺说明', link: '佐证链接（选填）', recorded: '已记录', reopen: '撤销记录', reopenReason: '撤销理由',
    printBoard: '打印承诺公示栏', print: '打印', boardTitle: '{org} 党员公开承诺公示栏（{year} 年）', boardSource: '承诺分类：{source}',
    boardEmpty: '本年度还没有已确认的承诺', member: '党员', boardFoot: '公示日期：{date}。如有意见，请向支部反映。',
    registered: '到本社区报到的党员', noRegistered: '还没有党员到本社区报到', fromBranch: '{org} · {unit}',
    pendingRecords: '待确认的志愿服务', noPending: '没有待确认的志愿服务', reject: '不予确认', reason: '理由', reasonRequired: '请填写理由',
    decided: '已处理', summary: '本年：承诺 {made} 项，已践诺 {kept} 项；志愿服务 {records} 次、{hours} 小时；报到党员 {reg} 人',
  },
} as const
