import type { Widen } from '@/shared/i18n/widen'
import type zhCN from './locales.zh-CN'

const enUS: Widen<typeof zhCN> = {
  home: {
    title: 'Overview', scope: 'Scope', membersTotal: 'Members', orgsTotal: 'Organizations', checks: 'Organization checks',
    byStatus: 'Membership status', byCategory: 'Category', bySex: 'Sex', byAgeBand: 'Age band', byEducation: 'Education',
    byEthnicity: 'Ethnicity', byField: 'Field', orgsByKind: 'Organizations by kind', han: 'Han', minority: 'Minorities',
    noSecretary: 'Branches without a secretary', tooSmall: 'Branches with too few full members', tooLarge: 'Branches with too many members', noCommittee: 'Branches that should have a committee and have none',
    checkNone: 'None', checkMore: '{n} more not listed', directMembers: '{n} direct members', memberCount: 'Members',
    viewTable: 'Table', viewChart: 'Chart', chartOrTable: 'Chart or table', value: 'Count', label: 'Category', share: 'Share',
  },
  org: {
    title: 'Organization', tree: 'Organization tree', searchPlaceholder: 'Search organizations by name', searchLabel: 'Search organizations', members: 'members',
    details: 'Details', children: 'Sub-organizations', memberList: 'Members', stats: 'Statistics', history: 'History',
    name: 'Name', short_name: 'Short name', kind: 'Kind', field: 'Field', unit_name: 'Unit', unit_kind: 'Unit type',
    setup_date: 'Set up on', secretary: 'Secretary', contact: 'Contact', phone: 'Phone', address: 'Address', sort_order: 'Sort order',
    code: 'Code', members_total: 'Members', direct_members: 'Direct members', children_count: 'Sub-organizations', parent: 'Parent',
    path: 'Path', flags: 'Check findings', createChild: 'New sub-organization', move: 'Move', dissolve: 'Dissolve',
    moveTitle: 'Move organization', moveTarget: 'New parent', moveConfirm: 'Move “{name}” under “{target}”? {n} members are affected.',
    moved: 'Moved; {n} members affected.', dissolveConfirm: 'Dissolve “{name}”? This is recorded in the audit trail.', dissolved: 'Dissolved',
    created: 'Created', noChildren: 'No sub-organizations', editTitle: 'Edit organization', createTitle: 'New sub-organization',
    allMembers: 'All members', selectOrg: 'Choose an organization on the left', noResults: 'No matching organization', selected: 'Selected: {name}',
    flag: { no_secretary: 'No secretary', too_small: 'Too small', too_large: 'Too large', no_committee: 'Committee required' },
    post: 'Committee post',
    committee: {
      title: 'Branch committee', hint: 'Secretary, deputy and members; the secretary is taken from this list.', empty: 'No committee members recorded',
      member: 'Member', role: 'Post', from: 'From', to: 'To', current: 'in office', add: 'Add member', end: 'End term', endTitle: 'End the term',
      added: 'Added', ended: 'Term ended',
      roles: { secretary: 'Secretary', deputy_secretary: 'Deputy secretary', organization: 'Organization', propaganda: 'Publicity', discipline: 'Discipline', member: 'Member' },
    },
  },
}
export default enUS
