// Chinese messages of the roster, member pages and import: keys member.*, import.*.
// locales.en-US.ts must have the same keys (checked by vue-tsc); merged in shared/i18n.
export default {
  member: {
    title: '党员', roster: '成员名册', name: '姓名', sex: '性别', ethnicity: '民族', id_number: '公民身份号码',
    birth_date: '出生日期', education: '学历', native_place: '籍贯', category: '人员类别', join_date: '入党日期',
    full_date: '转正日期', position: '工作岗位', phone: '手机号码', address: '家庭住址', status: '党籍状态',
    status_note: '状态说明', age: '年龄', birthYear: '出生年份', org_name: '所在支部', group_name: '党小组', org_id: '所在支部',
    created_at: '创建时间', updated_at: '更新时间', masked: '已隐藏部分信息', reveal: '显示', revealHint: '查看完整信息会记入审计日志',
    revealed: '完整信息（已记录查看）', editTitle: '编辑党员信息', history: '变更记录', life: '组织生活', details: '基本信息',
    filterButton: '筛选', filters: '筛选条件', org: '组织', subtree: '包含下级组织', q: '姓名 / 身份证号后几位 / 手机号',
    qLabel: '搜索党员', age_band: '年龄段', sort: '排序', columns: '显示列', export: '导出 Excel', exporting: '正在导出…',
    count: '共 {n} 名党员', open: '查看', ageYears: '{n} 岁',
    add: '新增党员', addTitle: '新增党员', added: '已新增党员 {name}',
    dateFormat: '{field}：请填写日期，如 1985-03-12、1985/3/12、1985.03.12 或 19850312',
    datePlaceholder: '如 1985-03-12 或 19850312',
    revealTitle: '查看完整信息', revealReason: '查看原因', revealReasonHint: '如：办理组织关系转接，需核对身份证号',
    revealReasonLong: '查看原因不能超过 {n} 个字', hide: '隐藏',
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
    needOrg: '请先选择要导入到的组织，才能上传文件。', needFile: '请选择要上传的文件。', name: '姓名',
  },
} as const
