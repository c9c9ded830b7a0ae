// Messages of tasks (en-US).
export default {
  tasks: {
    nav: 'Tasks', title: 'Tasks', card: 'My tasks', verifyCard: 'To verify', none: 'No open tasks', noVerify: 'Nothing to verify',
    year: 'Year', issue: 'Issue a task', list: 'Tasks', noTasks: 'No tasks this year', completion: 'Completion',
    total: 'Assignments', done: 'Done', submitted: 'To verify', open: 'Not submitted', overdue: 'Overdue', rate: 'Rate',
    issuer: 'by {name}', due: 'due {date}', cycle: { monthly: 'monthly', quarterly: 'quarterly' }, weight: 'weight {n}',
    children: 'By organization', assignments: 'Assignments', noChildren: 'No child organization received this task', export: 'Export Excel',
    chain: 'Parent tasks', additions: 'Additions', target: 'target {n}{unit}', evidence: 'Evidence: {text}', evidenceRequired: 'Evidence note required',
    cascade: 'Pass down', cascadeTitle: 'Pass down to our organizations', state: { issued: 'Issued', accepted: 'Accepted', in_progress: 'In progress', submitted: 'Submitted', verified: 'Verified', returned: 'Returned', closed: 'Closed' },
    action: { accept: 'Accept', start: 'Start', submit: 'Submit', verify: 'Verify', return: 'Return', close: 'Close' },
    overdueTag: 'Overdue', allStates: 'All states', onlyOverdue: 'Overdue only', period: 'Period', org: 'Organization',
    note: 'Evidence note', notePlaceholder: 'What was done and what proves it', reason: 'Reason', done_: 'Done',
    form: {
      title: 'Title', description: 'Description', target: 'Target (optional)', unit: 'Unit', mode: 'Due', once: 'Once', monthly: 'Monthly', quarterly: 'Quarterly',
      due: 'Due date', year: 'Year', lead: 'Days before each period ends', weight: 'Weight', evidence: 'Evidence', evidenceRequired: 'Require an evidence note',
      to: 'Receivers', toChildren: 'Direct children', toBranches: 'Every branch', toKinds: 'Kinds', kinds: 'Kinds', field: 'Field (optional)',
      additions: 'Our additions', dueNotLater: 'not later than {date}', issued: 'Issued to {n} organizations (periods)', cancel: 'Cancel', ok: 'Issue',
    },
    back: 'Up a level', reload: 'Reload',
  },
} as const
