import type { Widen } from '@/shared/i18n/widen'
import type zhCN from './locales.zh-CN'

const enUS: Widen<typeof zhCN> = {
  users: {
    title: 'Users', username: 'User name', display_name: 'Name', password: 'Password', member_id: 'Linked member ID',
    disabled: 'Disabled', enabled: 'Active', state: 'State', locked_until: 'Locked until', last_login_at: 'Last login', created_at: 'Created',
    grants: 'Roles', addGrant: 'Grant a role', role: 'Role', org: 'Organization', createTitle: 'New user', editTitle: 'Edit user',
    newPassword: 'New password (leave empty to keep)', revoke: 'Revoke', revokeConfirm: 'Revoke this role?', search: 'Search users',
    grantsTitle: 'Roles of “{name}”', wholeSystem: 'Whole system', disable: 'Disable', enable: 'Enable',
    passwordHint: 'At least 10 characters; not the user name, not a common password.', locked: 'Login locked until {time}', unlock: 'Lift the login lock',
    revokeSessions: 'Sign this user out everywhere (API tokens included)', passwordRevokes: 'A new password ends all of this user’s logins and API tokens.',
  },
  tokens: {
    title: 'API tokens', name: 'Name', expires_in_days: 'Valid for (days)', created_at: 'Created', expires_at: 'Expires',
    last_used_at: 'Last used', createTitle: 'New token', createdTitle: 'Token created', createdHint: 'Copy it now: this token is shown only once.',
    revoke: 'Revoke', revokeConfirm: 'Revoke the token “{name}”?', never: 'Never',
    daysHint: 'At most 365 days; a token unused for 30 days expires.',
  },
  audit: {
    title: 'Audit trail', at: 'Time', user: 'User', userId: 'User ID', ip: 'IP', action: 'Action', entity: 'Entity', entity_id: 'Entity ID',
    summary: 'Summary', changes: 'Changes', before: 'Before', after: 'After', field: 'Field', from: 'From', to: 'To',
    org: 'Organization',
    entities: { org: 'Organization', member: 'Member', user: 'User', token: 'API token', import: 'Import' },
    actions: {
      affiliate: 'Second affiliation', affiliation_end: 'Second affiliation ended',
      create: 'Create', update: 'Update', revoke: 'Revoke', import: 'Import', reveal: 'View full data', password: 'Password change', move: 'Move',
      logout: 'Log out', login: 'Log in', grant: 'Grant', export: 'Export', dissolve: 'Dissolve', attendance: 'Attendance', amend: 'Amend', committee_add: 'Committee post', committee_end: 'Committee term ended',
    },
  },
  calendar: {
    nav: 'Holidays', title: 'Public holidays and make-up days', load: 'Load arrangement', loadTitle: 'Load the {year} arrangement', text: 'Arrangement (YAML)',
    hint: 'Public-notice and objection periods count working days: Monday to Friday, less the State Council\'s holidays, plus its make-up working days. Load each new year here when it is published; no upgrade needed.',
    none: 'No arrangement loaded for {year}: notices running into it count Monday to Friday. Load it once the State Council publishes it.',
    yearTitle: '{year}', source: 'Source', workingDays: '{n} working days in the year', holiday: 'Holiday', off: 'Days off (weekends included)',
    makeup: 'Make-up working days', noMakeup: 'none', origin: { builtin: 'built in', loaded: 'loaded', none: 'not loaded' },
    loadHint: 'As in the State Council\'s notice: holidays lists each holiday\'s first and last day off (weekends included), workdays the weekend days worked instead, source the notice.',
    refused: 'The arrangement has {n} problem(s) and was not loaded:', submit: 'Load', loaded: 'Loaded the {year} arrangement.',
  },
  rulepacks: {
    nav: 'Rule packs', title: 'Organizational-life rule pack', version: 'version', since: 'from {date}', hint: 'Organizations are checked against this pack; every finding names its source. A district can load a stricter pack without a new release.',
    rule: 'Rule', activity: 'Activity', appliesTo: 'Applies to', minFull: '{n}+ full members', frequency: 'Frequency', times: '{n}× {period}',
    per: { month: 'a month', quarter: 'a quarter', year: 'a year' }, remind: 'Reminder', days: '{n} days', effective: 'In force',
    localKinds: 'Local activity kinds', history: 'Loaded packs', noHistory: 'No local pack loaded: the national rules are in force.', code: 'Pack code',
    loadedBy: 'Loaded by', loadedAt: 'Loaded at', download: 'Download the pack in force', load: 'Load a rule pack', text: 'Rule pack (YAML or JSON)',
    loadHint: 'Paste or choose a pack file (YAML or JSON; format in docs/RULEPACKS.md). A pack with any error is not loaded and the pack in force stays; after loading, the figures are recounted under the new rules, which takes a while in a large district.',
    startFromCurrent: 'Start from the pack in force', chooseFile: 'Choose a file…', submit: 'Check and load', refused: 'The pack has {n} error(s) and was not loaded (click one to go to its line):',
    rebuilding: 'Recounting every organization under the new rules (since {time}); until it ends, the summaries still show the old rules.',
    rebuilt: 'The summaries follow this pack (recounted {time}).', rebuildFailed: 'The recount under the new rules stopped: {reason}. It runs again at the next start or at night.',
    loaded: 'Loaded the rule pack “{name}” (version {version}); the figures are being recounted under it.',
  },
}
export default enUS
