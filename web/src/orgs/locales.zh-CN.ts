// Chinese messages of organizations and the dashboard: keys home.*, org.*.
// locales.en-US.ts must have the same keys (checked by vue-tsc); merged in shared/i18n.
export default {
  home: {
    title: '工作概览', scope: '统计范围', membersTotal: '党员总数', orgsTotal: '组织数', checks: '组织检查',
    byStatus: '党籍状态', byCategory: '人员类别', bySex: '性别', byAgeBand: '年龄段', byEducation: '学历',
    byEthnicity: '民族', byField: '领域分布', orgsByKind: '组织类别', han: '汉族', minority: '少数民族',
    noSecretary: '未配备书记的支部', tooSmall: '正式党员人数不足规定的支部', tooLarge: '党员人数超过规定的支部', noCommittee: '应设支部委员会未设的支部',
    checkNone: '无', checkMore: '另有 {n} 个未列出', directMembers: '直属党员 {n} 人', memberCount: '党员人数',
    viewTable: '表格', viewChart: '图表', chartOrTable: '图表或表格', value: '数量', label: '类别', share: '占比',
  },
  org: {
    title: '组织', tree: '组织树', searchPlaceholder: '按名称搜索组织', searchLabel: '搜索组织', members: '名党员',
    details: '基本信息', children: '下级组织', memberList: '党员', stats: '统计', history: '变更记录',
    name: '组织名称', short_name: '简称', kind: '组织类别', field: '所属领域', unit_name: '所在单位', unit_kind: '单位性质',
    setup_date: '成立日期', secretary: '书记', contact: '联系人', phone: '联系电话', address: '地址', sort_order: '排序号',
    code: '组织代码', members_total: '党员总数', direct_members: '直属党员', children_count: '下级组织数', parent: '上级组织',
    path: '层级', flags: '检查提示', createChild: '新建下级组织', move: '迁移', dissolve: '撤销',
    moveTitle: '迁移组织', moveTarget: '新的上级组织', moveConfirm: '将“{name}”迁移到“{target}”之下，涉及 {n} 名党员。确定迁移吗？',
    moved: '已迁移，涉及 {n} 名党员。', dissolveConfirm: '确定撤销“{name}”吗？此操作会记入审计日志。', dissolved: '已撤销',
    created: '已创建', noChildren: '没有下级组织', editTitle: '编辑组织', createTitle: '新建下级组织',
    allMembers: '查看全部党员', selectOrg: '在左侧选择一个组织', noResults: '没有匹配的组织', selected: '已选择：{name}',
    flag: { no_secretary: '未配备书记', too_small: '人数不足', too_large: '人数过多', no_committee: '应设支部委员会' },
    post: '委员会职务',
    committee: {
      title: '支部委员会', hint: '书记、副书记和委员；书记以此名单为准。', empty: '尚未登记委员会成员', member: '党员', role: '职务',
      from: '任职日期', to: '离任日期', current: '在任', add: '增加成员', end: '离任', endTitle: '结束任职', added: '已增加', ended: '已离任',
      roles: { secretary: '书记', deputy_secretary: '副书记', organization: '组织委员', propaganda: '宣传委员', discipline: '纪检委员', member: '委员' },
    },
  },
} as const
