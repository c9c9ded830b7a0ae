// Messages of 整改事项, 述职评议 and 分类定级 (zh-CN, the default).
export default {
  rectify: {
    nav: '整改事项', title: '整改事项', problem: '问题', org: '组织', owner: '责任人', due: '整改时限', state: '状态', overdue: '逾期',
    states: { open: '整改中', submitted: '待销号', returned: '被退回', closed: '已销号' }, all: '全部', toVerify: '待我销号',
    notes: '进展记录', noNotes: '还没有进展记录', text: '说明', progress: '记进展', submit: '申请销号', close: '销号', return: '退回',
    done: '已保存', none: '没有整改事项', summary: '未销号 {open} 项，其中逾期 {overdue} 项', textRequired: '请填写说明',
    source: { secreport: '述职评议', conversion: '整顿转化', inspection: '专项督查', test: '测试' },
  },
  secreport: {
    nav: '述职评议', title: '书记抓基层党建述职评议', year: '年度', mine: '我的述职', round: '本级评议', open: '开启 {year} 年述职评议',
    noRound: '{year} 年尚未开启述职评议', noReport: '{year} 年没有需要您述职的评议', rules: '评议办法：{name}（{version}）',
    org: '述职组织', state: '状态', states: { draft: '草稿', submitted: '已报送' }, result: '测评结果', score: '{score} 分', noVotes: '未测评',
    skeleton: '年度工作底稿（来自系统记录）', lifeMet: '组织生活达标期数', points: '党员积分：{n} 人有积分，平均 {avg} 分',
    noPoints: '本年度尚无党员积分', stars: '星级：暂无有效星级', starsHeld: '星级：{band}（{n} 星）', tasks: '年度任务：{total} 项，已完成 {done} 项，未完成 {open} 项（逾期 {overdue} 项）', noTasks: '年度任务：暂无', lastYear: '上年度整改事项：已销号 {closed} 项，未销号 {open} 项',
    body: '述职内容', bodyHint: '从底稿出发，写明履行责任情况、存在问题和下一步打算', save: '保存草稿', submit: '报送',
    votes: '民主测评票数', comment: '点评', saveVotes: '保存测评', explain: '计算过程', problems: '问题清单（转为整改事项）',
    addProblem: '列入整改', problem: '问题', owner: '责任人', due: '整改时限', view: '查看', saved: '已保存', submitted: '已报送',
  },
  classify: {
    nav: '分类定级', title: '党支部分类定级', year: '年度', distribution: '分类分布', warnings: '比例提示（不影响保存）',
    branch: '党支部', class: '类别', reasons: '定级理由', decide: '定级', decided: '已定级', none: '本年度尚未定级',
    openPlans: '未销号的整顿转化方案 {n} 个', plan: '整顿转化方案', newPlan: '制定转化方案', leader: '包联领导', problems: '存在问题',
    due: '转化时限', measures: '整改措施', measure: '措施', addMeasure: '添加措施', accept: '验收', converted: '已转化（销号）',
    extended: '延期', result: '验收结论', note: '验收意见', planStates: { open: '转化中', converted: '已销号' },
    current: '当前类别：{name}（{year} 年）', noClass: '尚未定级', history: '定级历史', extensions: '已延期 {n} 次', pick: '选择党支部',
    proposals: '星级评定结果建议', proposalsHint: '按本级分类规则由当年星级评定结果得出，仅供参考，定级由本级研究决定并写明理由', noProposal: '无对应类别', decidedAs: '已定为{name}', take: '采纳为定级依据',
  },
} as const
