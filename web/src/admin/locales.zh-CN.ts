// Chinese messages of accounts, API tokens, audit log, the holiday calendar and rule packs: keys users.*, tokens.*, audit.*, calendar.*, rulepacks.*.
// locales.en-US.ts must have the same keys (checked by vue-tsc); merged in shared/i18n.
export default {
  users: {
    title: '用户管理', username: '用户名', display_name: '姓名', password: '密码', member_id: '关联党员编号',
    disabled: '已停用', enabled: '正常', state: '状态', locked_until: '锁定至', last_login_at: '最近登录', created_at: '创建时间',
    grants: '角色授权', addGrant: '添加授权', role: '角色', org: '组织', createTitle: '新建用户', editTitle: '编辑用户',
    newPassword: '新密码（留空则不修改）', revoke: '撤销', revokeConfirm: '确定撤销该授权吗？', search: '搜索用户',
    grantsTitle: '“{name}”的角色授权', wholeSystem: '全系统', disable: '停用', enable: '启用',
    passwordHint: '至少 10 个字符，不能与用户名相同，不能是常见密码。', locked: '登录锁定至 {time}', unlock: '解除登录锁定',
    revokeSessions: '让该用户在所有设备上退出登录（含 API 令牌）', passwordRevokes: '修改密码后，该用户的所有登录和 API 令牌都将失效。',
  },
  tokens: {
    title: 'API 令牌', name: '名称', expires_in_days: '有效天数', created_at: '创建时间', expires_at: '过期时间',
    last_used_at: '最近使用', createTitle: '新建令牌', createdTitle: '令牌已创建', createdHint: '请立即复制保存，此令牌只显示这一次。',
    revoke: '吊销', revokeConfirm: '确定吊销令牌“{name}”吗？', never: '永不',
    daysHint: '最长 365 天；连续 30 天未使用的令牌自动失效。',
  },
  audit: {
    title: '审计日志', at: '时间', user: '用户', userId: '用户编号', ip: 'IP', action: '操作', entity: '对象', entity_id: '对象编号',
    summary: '摘要', changes: '变更内容', before: '变更前', after: '变更后', field: '字段', from: '开始日期', to: '结束日期',
    org: '组织',
    entities: { org: '组织', member: '党员', user: '用户', token: 'API 令牌', import: '导入' },
    actions: {
      affiliate: '登记第二组织关系', affiliation_end: '结束第二组织关系',
      create: '新建', update: '修改', revoke: '撤销', import: '导入', reveal: '查看完整信息', password: '修改密码', move: '迁移',
      logout: '退出登录', login: '登录', grant: '授权', export: '导出', dissolve: '撤销组织', attendance: '考勤', amend: '更正', committee_add: '委员任职', committee_end: '委员离任',
    },
  },
  calendar: {
    nav: '节假日安排', title: '节假日与调休安排', load: '载入安排', loadTitle: '载入 {year} 年节假日安排', text: '安排（YAML）',
    hint: '公示期、异议期按工作日计算：周一至周五，除去国务院公布的放假日，加上调休上班日。每年公布新安排后在此载入，无需升级系统。',
    none: '{year} 年的节假日安排尚未载入：跨入该年的公示期按周一至周五计算。请在国务院办公厅公布后载入。',
    yearTitle: '{year} 年', source: '依据', workingDays: '全年工作日 {n} 天', holiday: '节日', off: '放假日期（含周末）',
    makeup: '调休上班', noMakeup: '无', origin: { builtin: '系统内置', loaded: '已载入', none: '未载入' },
    loadHint: '按国务院办公厅通知填写：holidays 列出每个假期的起止日期（含其中的周末），workdays 列出调休上班的周末日期，source 写明通知名称。',
    refused: '安排有 {n} 处问题，未载入：', submit: '载入', loaded: '已载入 {year} 年节假日安排。',
  },
  rulepacks: {
    nav: '规则包', title: '组织生活规则包', version: '版本', since: '{date} 起', hint: '系统按此规则包检查各组织的组织生活，每条结论都注明依据。各地可载入更严格的规则包，无需发布新版本。',
    rule: '规则', activity: '活动类型', appliesTo: '适用组织', minFull: '正式党员 {n} 人以上', frequency: '频次', times: '{period}{n}次',
    per: { month: '每月', quarter: '每季度', year: '每年' }, remind: '提前提醒', days: '{n} 天', effective: '生效时间',
    localKinds: '本地活动类型', history: '载入记录', noHistory: '尚未载入本地规则包，当前使用全国通用规则。', code: '规则包代码',
    loadedBy: '载入人', loadedAt: '载入时间', download: '下载当前规则包', load: '载入规则包', text: '规则包内容（YAML 或 JSON）',
    loadHint: '粘贴或选择规则包文件（YAML 或 JSON），格式见 docs/RULEPACKS.md。有任何错误都不会载入，当前规则包保持不变；载入后将按新规则重新统计，组织较多时需要一些时间。',
    startFromCurrent: '以当前规则包为起点', chooseFile: '选择文件…', submit: '校验并载入', refused: '规则包有 {n} 处错误，未载入（点击定位到该行）：',
    rebuilding: '正在按新规则重新统计各级组织的落实情况（开始于 {time}），完成前汇总数据仍是旧规则下的结果。',
    rebuilt: '汇总数据已按本规则包重新统计（完成于 {time}）。', rebuildFailed: '按新规则重新统计未完成：{reason}。系统将在重启或夜间自动重新统计。',
    loaded: '已载入规则包“{name}”（版本 {version}），正在按新规则重新统计。',
  },
} as const
