// Messages of commitments and community registration / volunteer service (en-US).
import type { Widen } from '@/shared/i18n/widen'
import type zh from './locales.zh-CN'

const en: Widen<typeof zh> = {
  service: {
    my: 'Commitments & service', branch: 'Commitments & registrations', board: 'Commitment board', year: '{year}',
    result: 'Outcome', onBehalf: 'Draft on behalf of a member', commitments: 'My commitments', noCommitments: 'No commitments yet', addCommitment: 'New commitment', category: 'Category', content: 'Commitment',
    due: 'Due date', dueOn: 'by {date}', submit: 'Submit', submitted: 'Submitted; waiting for the branch', withdraw: 'Withdraw', withdrawn: 'Withdrawn',
    limit: 'At most {n} a year', evidence: 'Evidence: {note}',
    state: { draft: 'Draft', confirmed: 'Confirmed', kept: 'Kept', not_kept: 'Not kept', withdrawn: 'Withdrawn', pending: 'Pending', rejected: 'Rejected' },
    registration: 'Community registration', notRegistered: 'Not registered with a community', registeredAt: 'Registered with {name} since {from}', register: 'Register with a community',
    community: 'Community', searchCommunity: 'Type a community name', address: 'Address (optional)', unit: 'Work unit (optional)',
    unregister: 'Un-register', unregistered: 'Un-registered', history: 'Registrations', ended: '{from} to {to}',
    records: 'Volunteer service', noRecords: 'No volunteer records yet', addRecord: 'Record volunteer service', organizer: 'Organizer', day: 'Date',
    hours: 'Hours', what: 'What', forWhom: 'For whom (optional)', totalHours: '{n} confirmed hours this year',
    hoursOf: '{n} h', recordAdded: 'Recorded; waiting for the organizer',
    drafts: 'Drafts to confirm', noDrafts: 'No drafts to confirm', confirm: 'Confirm', confirmed: 'Confirmed',
    toRecord: 'Outcomes to record', noToRecord: 'Nothing to record', dueSoon: 'Due within {days} days or past due', kept: 'Kept', notKept: 'Not kept',
    outcomeTitle: 'Record the outcome', note: 'Evidence', link: 'Link (optional)', recorded: 'Recorded', reopen: 'Reopen', reopenReason: 'Reason',
    printBoard: 'Print the commitment board', print: 'Print', boardTitle: '{org}: members\' public commitments ({year})', boardSource: 'Categories: {source}',
    boardEmpty: 'No confirmed commitments this year', member: 'Member', boardFoot: 'Posted {date}. Comments to the branch.',
    registered: 'Members registered here', noRegistered: 'No member has registered here', fromBranch: '{org} · {unit}',
    pendingRecords: 'Volunteer records to confirm', noPending: 'Nothing to confirm', reject: 'Reject', reason: 'Reason', reasonRequired: 'A reason is required',
    decided: 'Done', summary: 'This year: {made} commitments, {kept} kept; {records} volunteer records, {hours} h; {reg} members registered',
  },
}
export default en
