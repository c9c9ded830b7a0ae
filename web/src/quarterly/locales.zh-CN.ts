// Chinese messages of the quarterly review (季度讲评): keys quarterly.*.
export default {
  quarterly: {
    nav: '季度讲评', title: '{org} {quarter} 季度讲评', quarter: '季度', print: '打印', export: '导出 Excel',
    hint: '各项数字与首页统计一致，由系统按记录生成；每项指标单独排名，不加权合成。',
    rankBy: '按此排名：', rank: '名次', nth: '第 {n} 名', none: '本组织没有下级组织。',
    comment: '讲评意见', addComment: '写讲评意见', editComment: '修改讲评意见', saved: '讲评意见已保存',
  },
} as const
