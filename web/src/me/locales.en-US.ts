import type { Widen } from '@/shared/i18n/widen'
import type zhCN from './locales.zh-CN'

const enUS: Widen<typeof zhCN> = {
  login: {
    title: 'Log in to the Party Building Platform', username: 'User name', password: 'Password', submit: 'Log in',
    invalid: 'Wrong user name or password.', locked: 'Too many failed logins: this account is locked on this device. Try again in {time}.',
    rateLimited: 'Too many login attempts. Please try again later (in {time}).',
    lockedUntil: 'The account is locked until {time}.', expired: 'Your session has expired. Please log in again.',
    loggedOut: 'You have logged out.', network: 'Cannot reach the server. Please try again later.',
  },
  my: {
    title: 'Me', greeting: 'Hello, {name}', record: 'My member record', noRecord: 'Your account is not linked to a member record. Please contact your branch secretary.',
    upcoming: 'Coming meetings', noUpcoming: 'No meeting planned soon', checkin: 'Sign in', signed: 'Signed in',
    participation: 'Organizational life this year', participationOf: '{attended} of {held}', partyAge: 'Party standing', partyAgeYears: '{n} years', probationary: 'Probationary member (joined {date})',
    noRecordSecretary: 'Your account is not linked to a member record yet. Link it under Accounts, or ask an administrator above you.',
    monthsSecretary: 'You have missed {n} of the months in which the branch held organizational life.',
    password: 'Change password', oldPassword: 'Current password', newPassword: 'New password', changePassword: 'Change password',
    passwordChanged: 'Password changed. Your logins on other devices and your API tokens have all ended.',
  },
}
export default enUS
