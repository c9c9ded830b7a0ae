// Chinese (default) messages: the common ones here, each domain's in its folder (locales.zh-CN.ts).
// en-US.ts must have exactly the same keys (checked by vue-tsc).
import type { Widen } from './widen'
import me from '@/me/locales.zh-CN'
import orgs from '@/orgs/locales.zh-CN'
import members from '@/members/locales.zh-CN'
import admin from '@/admin/locales.zh-CN'
import life from '@/life/locales.zh-CN'
import points from '@/points/locales.zh-CN'
import yearend from '@/points/yearend.locales.zh-CN'
import quarterly from '@/quarterly/locales.zh-CN'
import service from '@/service/locales.zh-CN'
import tasks from '@/tasks/locales.zh-CN'
import projects from '@/projects/locales.zh-CN'
import assess from '@/assess/locales.zh-CN'
import secreport from '@/secreport/locales.zh-CN'
import inspect from '@/inspect/locales.zh-CN'

export const sharedZhCN = {
  app: { title: '党建工作平台', short: '党建' },
  common: {
    save: '保存', cancel: '取消', confirm: '确定', edit: '编辑', create: '新建', delete: '删除', close: '关闭', pageSize: '每页条数',
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
  error: {
    network: '无法连接服务器，请检查网络后重试。', generic: '操作失败', forbidden: '您没有权限执行此操作。',
    notFound: '您要找的内容不存在，或不在您的权限范围内。', validation: '请更正标出的字段。',
  },
  duration: { seconds: '{n} 秒', minutes: '{n} 分钟', hours: '{n} 小时' },
  notFound: { title: '页面不存在', text: '您要找的页面不存在，或不在您的权限范围内。', home: '返回首页' },
} as const

const zhCN = { ...sharedZhCN, ...me, ...orgs, ...members, ...admin, ...life, ...points, ...quarterly, ...service, ...yearend, ...tasks, ...assess, ...secreport, ...projects, ...inspect }
export type Messages = Widen<typeof zhCN>
export default zhCN as Messages
