// Messages of 书记抓党建重点突破项目 (zh-CN, the default).
export default {
  projects: {
    title: '重点突破项目', link: '重点突破项目', year: '年度', propose: '申报项目', edit: '修改并重新申报', none: '本年度还没有项目',
    counts: '项目概况', total: '项目数', children: '下级项目情况', due: '近期节点', noDue: '30 天内没有待完成节点', list: '项目清单',
    state: { proposed: '待立项', returned: '已退回', approved: '已立项', rejected: '未立项', closed: '已交账', carried: '结转下年' },
    problem: '突出问题', goal: '目标', measures: '主要措施', responsible: '责任人', milestones: '节点安排', reason: '原因',
    midComment: '年中查账意见', evaluation: '年底评价', grade: '评价等次', carriedFrom: '由上年项目结转', carriedTo: '已结转为下年项目',
    overdue: '逾期', late: '逾期完成', done: '已完成', open: '未完成', dueOn: '{date} 前', doneOn: '{date} 完成', link2: '佐证',
    decision: { approve: '立项', return: '退回修改', reject: '不予立项', comment: '年中查账', evaluate: '年底评价' },
    progress: '报告进展', carry: '结转下年继续推进', example: '示例', export: '导出 Excel',
    form: {
      title: '项目名称', problem: '突出问题', goal: '目标', measures: '主要措施', responsible: '责任人', milestones: '节点安排',
      mTitle: '节点内容', mDue: '节点时间', addMilestone: '＋ 添加节点', remove: '删除', ok: '提交', cancel: '取消', saved: '已提交，等待上级立项',
      note: '进展说明', link: '佐证链接（可选）', isDone: '该节点已完成', doneDate: '完成日期', reason: '原因', comment: '意见', grade: '评价等次',
    },
  },
}
