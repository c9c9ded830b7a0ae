// Chinese (default) messages. en-US.ts must have exactly the same keys (checked by vue-tsc).
const zhCN = {
  app: { title: '党建工作平台', short: '党建' },
  common: {
    save: '保存', cancel: '取消', confirm: '确定', edit: '编辑', create: '新建', delete: '删除', close: '关闭',
    search: '搜索', reset: '重置', loading: '加载中…', empty: '暂无数据', yes: '是', no: '否', actions: '操作',
    back: '返回', more: '更多', refresh: '刷新', download: '下载', export: '导出 Excel', copy: '复制', copied: '已复制',
    retry: '重试', total: '共 {n} 条', none: '无', saved: '已保存', show: '显示', hide: '隐藏', all: '全部',
    page: '分页', required: '请填写{field}', choose: '请选择', chooseOrg: '选择组织', language: '语言',
    menu: '菜单', skipToContent: '跳到主要内容', details: '详情', name: '名称', count: '数量', item: '项目',
  },
  nav: {
    home: '首页', orgs: '组织架构', members: '成员名册', import: '批量导入', admin: '系统管理', users: '用户管理',
    tokens: 'API 令牌', audit: '审计日志', my: '我的', logout: '退出登录', account: '账户', notFound: '页面不存在',
    login: '登录', org: '组织', member: '党员',
  },
  login: {
    title: '登录党建工作平台', username: '用户名', password: '密码', submit: '登录',
    invalid: '用户名或密码错误。', locked: '账户已锁定，请在 {time} 后重试。',
    lockedUntil: '账户已锁定，解锁时间：{time}。', expired: '登录已过期，请重新登录。',
    loggedOut: '您已退出登录。', network: '无法连接服务器，请稍后重试。',
  },
  error: {
    network: '无法连接服务器，请检查网络后重试。', generic: '操作失败', forbidden: '您没有权限执行此操作。',
    notFound: '您要找的内容不存在，或不在您的权限范围内。', validation: '请更正标出的字段。',
  },
  duration: { seconds: '{n} 秒', minutes: '{n} 分钟', hours: '{n} 小时' },
  home: {
    title: '工作概览', scope: '统计范围', membersTotal: '党员总数', orgsTotal: '组织数', checks: '组织检查',
    byStatus: '党籍状态', byCategory: '人员类别', bySex: '性别', byAgeBand: '年龄段', byEducation: '学历',
    byEthnicity: '民族', byField: '领域分布', orgsByKind: '组织类别', han: '汉族', minority: '少数民族',
    noSecretary: '未配备书记的支部', tooSmall: '党员人数不足 3 人的支部', tooLarge: '党员人数超过 50 人的支部',
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
    flag: { no_secretary: '未配备书记', too_small: '人数不足', too_large: '人数过多' },
  },
  member: {
    title: '党员', roster: '成员名册', name: '姓名', sex: '性别', ethnicity: '民族', id_number: '公民身份号码',
    birth_date: '出生日期', education: '学历', native_place: '籍贯', category: '人员类别', join_date: '入党日期',
    full_date: '转正日期', position: '工作岗位', phone: '手机号码', address: '家庭住址', status: '党籍状态',
    status_note: '状态说明', age: '年龄', org_name: '所在支部', group_name: '党小组', org_id: '所在支部',
    created_at: '创建时间', updated_at: '更新时间', masked: '已隐藏部分信息', reveal: '显示', revealHint: '查看完整信息会记入审计日志',
    revealed: '完整信息（已记录查看）', editTitle: '编辑党员信息', history: '变更记录', details: '基本信息',
    filters: '筛选条件', org: '组织', subtree: '包含下级组织', q: '姓名 / 身份证号后几位 / 手机号',
    qLabel: '搜索党员', age_band: '年龄段', sort: '排序', columns: '显示列', export: '导出 Excel', exporting: '正在导出…',
    count: '共 {n} 名党员', open: '查看', ageYears: '{n} 岁',
  },
  import: {
    title: '批量导入党员', stepTemplate: '下载模板', stepUpload: '上传文件', stepReport: '检查结果', stepResult: '完成',
    org: '导入到组织', template: '下载导入模板', templateHint: '请使用模板填写，第一行为表头，不要改动。',
    file: '选择文件（.xlsx 或 .csv）', upload: '上传并检查', checking: '正在检查…', next: '下一步',
    totalRows: '总行数', validRows: '无误行数', invalidRows: '有误行数', skippedRows: '跳过行数',
    row: '行号', column: '列', value: '内容', reason: '原因', filter: '筛选错误', filterColumn: '按列筛选',
    skipInvalid: '跳过有误的行，只导入无误的行', confirm: '确认导入', applying: '正在导入…',
    noChange: '文件有错误，尚未导入任何数据。请修改后重新上传，或选择跳过有误的行。',
    allValid: '全部 {n} 行无误，可以导入。', applied: '导入完成：导入 {valid} 行，跳过 {skipped} 行。',
    errorWorkbook: '下载错误明细表', again: '再导入一个文件', nothingApplied: '没有导入任何数据。',
    chooseFile: '请先选择文件', chooseOrgFirst: '请先选择组织',
  },
  users: {
    title: '用户管理', username: '用户名', display_name: '姓名', password: '密码', member_id: '关联党员编号',
    disabled: '已停用', enabled: '正常', state: '状态', locked_until: '锁定至', last_login_at: '最近登录', created_at: '创建时间',
    grants: '角色授权', addGrant: '添加授权', role: '角色', org: '组织', createTitle: '新建用户', editTitle: '编辑用户',
    newPassword: '新密码（留空则不修改）', revoke: '撤销', revokeConfirm: '确定撤销该授权吗？', search: '搜索用户',
    grantsTitle: '“{name}”的角色授权', wholeSystem: '全系统', disable: '停用', enable: '启用',
  },
  tokens: {
    title: 'API 令牌', name: '名称', expires_in_days: '有效天数', created_at: '创建时间', expires_at: '过期时间',
    last_used_at: '最近使用', createTitle: '新建令牌', createdTitle: '令牌已创建', createdHint: '请立即复制保存，此令牌只显示这一次。',
    revoke: '吊销', revokeConfirm: '确定吊销令牌“{name}”吗？', never: '永不',
  },
  audit: {
    title: '审计日志', at: '时间', user: '用户', userId: '用户编号', ip: 'IP', action: '操作', entity: '对象', entity_id: '对象编号',
    summary: '摘要', changes: '变更内容', before: '变更前', after: '变更后', field: '字段', from: '开始日期', to: '结束日期',
    org: '组织',
    entities: { org: '组织', member: '党员', user: '用户', token: 'API 令牌', import: '导入' },
    actions: {
      create: '新建', update: '修改', revoke: '撤销', import: '导入', reveal: '查看完整信息', password: '修改密码', move: '迁移',
      logout: '退出登录', login: '登录', grant: '授权', export: '导出', dissolve: '撤销组织', attendance: '考勤', amend: '更正',
    },
  },
  my: {
    title: '我的', greeting: '您好，{name}', record: '我的党员信息', noRecord: '您的账户没有关联党员信息，请联系支部书记。',
  },
  notFound: { title: '页面不存在', text: '您要找的页面不存在，或不在您的权限范围内。', home: '返回首页' },
} as const

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }
export type Messages = Widen<typeof zhCN>
export default zhCN as Messages
