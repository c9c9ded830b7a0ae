import type { Messages, sharedZhCN } from './zh-CN'
import type { Widen } from './widen'
import me from '@/me/locales.en-US'
import orgs from '@/orgs/locales.en-US'
import members from '@/members/locales.en-US'
import admin from '@/admin/locales.en-US'
import life from '@/life/locales.en-US'
import points from '@/points/locales.en-US'
import yearend from '@/points/yearend.locales.en-US'
import quarterly from '@/quarterly/locales.en-US'
import service from '@/service/locales.en-US'
import tasks from '@/tasks/locales.en-US'
import projects from '@/projects/locales.en-US'
import assess from '@/assess/locales.en-US'
import secreport from '@/secreport/locales.en-US'
import inspect from '@/inspect/locales.en-US'

const shared: Widen<typeof sharedZhCN> = {
  app: { title: 'Party Building Platform', short: 'Party' },
  common: {
    save: 'Save', cancel: 'Cancel', confirm: 'OK', edit: 'Edit', create: 'New', delete: 'Delete', close: 'Close', pageSize: 'Rows per page',
    search: 'Search', reset: 'Reset', loading: 'Loading…', empty: 'No data', yes: 'Yes', no: 'No', actions: 'Actions',
    back: 'Back', more: 'More', refresh: 'Refresh', download: 'Download', export: 'Export to Excel', copy: 'Copy', copied: 'Copied',
    retry: 'Retry', total: '{n} in total', none: 'None', saved: 'Saved', show: 'Show', hide: 'Hide', all: 'All',
    page: 'Pages', required: '{field} is required', choose: 'Choose', chooseOrg: 'Choose organization', language: 'Language',
    menu: 'Menu', skipToContent: 'Skip to main content', details: 'Details', name: 'Name', count: 'Count', item: 'Item',
  },
  nav: {
    home: 'Home', orgs: 'Organizations', members: 'Member roster', import: 'Import', admin: 'Administration', users: 'Users',
    tokens: 'API tokens', audit: 'Audit trail', my: 'Me', logout: 'Log out', account: 'Account', notFound: 'Not found',
    login: 'Log in', org: 'Organization', member: 'Member',
  },
  error: {
    network: 'Cannot reach the server. Check the network and try again.', generic: 'The operation failed', forbidden: 'You are not allowed to do this.',
    notFound: 'What you are looking for does not exist or is outside your scope.', validation: 'Please correct the marked fields.',
  },
  duration: { seconds: '{n} s', minutes: '{n} min', hours: '{n} h' },
  notFound: { title: 'Not found', text: 'The page does not exist or is outside your scope.', home: 'Back to home' },
}

const enUS: Messages = { ...shared, ...me, ...orgs, ...members, ...admin, ...life, ...points, ...quarterly, ...service, ...yearend, ...tasks, ...assess, ...secreport, ...projects, ...inspect }
export default enUS
