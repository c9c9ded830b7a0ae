import type { components } from './schema'

type S = components['schemas']
export type Org = S['Org']
export type OrgCan = S['OrgCan']
export type OrgCreate = S['OrgFields']
export type OrgPatch = S['OrgPatch']
export type Member = S['Member']
export type MemberPatch = S['MemberPatch']
export type User = S['User']
export type Grant = S['Grant']
export type AuditEntry = S['AuditEntry']
export type Stats = S['Stats']
export type CheckList = S['CheckList']
export type CheckItem = S['CheckItem']
export type Problem = S['Problem']
export type Enums = S['Enums']
export type EnumItem = S['EnumItem']
export type Facts = S['Facts']
export type Me = S['Me']
export type LoginResponse = S['LoginResult']
export type Permissions = S['MePermissions']
export type MoveResult = S['MoveResult']
export type CommitteeMember = S['CommitteeMember']
export type Token = S['Token']
export type Role = 'admin' | 'org_staff' | 'secretary' | 'member' | 'viewer'
export type EnumKind = 'kind' | 'field' | 'check' | 'status' | 'category' | 'sex' | 'education' | 'ethnicity' | 'age_band' | 'role'

// The import endpoints (POST /api/v1/members/import…) are not yet in the server's OpenAPI
// description; this type follows docs/API.md until they are.
export interface ImportError {
  row: number
  name?: string
  column: string
  field: string
  value: string
  message: string
}
export interface ImportReport {
  import_id: string
  dry_run: boolean
  applied: boolean
  total_rows: number
  valid_rows: number
  invalid_rows: number
  skipped_rows: number
  errors: ImportError[]
  error_workbook_url: string
}

// Organizational life
export type Activity = S['Activity']
export type ActivityFields = S['ActivityFields']
export type ActivityPatch = S['ActivityPatch']
export type Attendance = S['Attendance']
export type AttendanceItem = S['AttendanceItem']
export type Guest = S['Guest']
export type Exemption = S['Exemption']
export type Finding = S['Finding']
export type OrgCompliance = S['OrgCompliance']
export type RuleSummary = S['RuleSummary']
export type AtRisk = S['AtRisk']
export type Lost = S['Lost']
export type Notice = S['Notice']
export type ActivityKind = S['Kind']
export type MyActivity = S['MyActivity']
export type Mine = S['Mine']
export type AttendanceRate = S['AttendanceRate']
export type Attachment = S['Attachment']
export type CheckinCode = S['CheckinCode']
export type CalendarTokenInfo = S['CalendarTokenInfo']
export type PackInForce = S['PackInForce']
export type Rule = S['Rule']
export type ProblemIssue = S['ProblemIssue']
export type Appraisal = S['Appraisal']
export type Appraisals = S['Appraisals']
export type Rectification = S['Rectification']
export type NewRectification = S['NewRectification']
export type RectificationDone = S['RectificationDone']
export type Talk = S['Talk']
export type NewTalk = S['NewTalk']
export type TalkList = S['TalkList']
export type TalkMember = S['TalkMember']
