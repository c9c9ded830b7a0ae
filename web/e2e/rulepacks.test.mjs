// Browser tests of the rule pack: an administrator starts from the pack in force, a broken pack is
// refused with its line and nothing changes, a stricter district pack is loaded and the branch's
// findings follow it; a secretary reads the rules but cannot load a pack.
// Needs the same as app.test.mjs: web/dist built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiSession, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser
let admin

before(async () => ({ server, browser, admin } = await startSuite()))
after(() => stopSuite({ server, browser }))

const district = `id: district-2026
name: 示范区组织生活规则（从严）
version: "2026.1"
effective_from: "2020-01-01"
kinds:
  - {code: volunteer, name: 志愿服务, name_en: Volunteer service}
rules:
  - id: theme_day.month
    name: 每月开展主题党日
    activity: theme_day
    applies_to: [branch, joint_branch, temp_branch]
    period: month
    min_count: 1
    remind_days: 7
    source: 区委组织部〔2026〕1号
  - id: party_lecture.quarter
    name: 党课每季度1次
    activity: party_lecture
    applies_to: [branch, joint_branch, temp_branch]
    period: quarter
    min_count: 1
    remind_days: 15
    source: 区委组织部〔2026〕1号
`

/** Replaces the text of the pack editor. */
async function setText(page, text) {
  await page.fill('[data-testid=rulepack-text]', text)
}

describe('rule packs', () => {
  test('an administrator loads a district pack; a broken one is refused with its line', async () => {
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'admin')
    await page.goto('/rulepacks')
    const rules = page.locator('[data-testid=rulepack-rules]')
    await rules.locator('[data-rule="theme_day.month"]').waitFor()
    assert.match(await rules.innerText(), /中国共产党支部工作条例/)
    // activity kinds by name, not by code
    const kindCell = rules.locator('tr', { has: page.locator('[data-rule="branch_general_meeting.quarter"]') }).locator('td').nth(1)
    await kindCell.filter({ hasText: '支部党员大会' }).waitFor()
    await page.locator('[data-testid=rulepack-history]', { hasText: '尚未载入本地规则包' }).waitFor()
    await shot(page, 'rulepacks-national')

    await page.click('[data-testid=rulepack-load]')
    await page.click('[data-testid=rulepack-start]')
    await page.waitForFunction(() => document.querySelector('[data-testid=rulepack-text]')?.value.includes('id: national'))

    // period: fortnight is not a period: refused, with the line, and the pack in force stays
    const broken = district.replace('period: quarter', 'period: fortnight')
    const line = broken.split('\n').findIndex((l) => l.includes('fortnight')) + 1
    await setText(page, broken)
    await page.click('[data-testid=rulepack-submit]')
    const errors = page.locator('[data-testid=rulepack-errors]')
    await errors.waitFor()
    assert.match(await errors.innerText(), new RegExp(`第${line}行`))
    await errors.locator('a').first().click()
    const selected = await page.evaluate(() => {
      const el = document.querySelector('[data-testid=rulepack-text]')
      return el.value.slice(el.selectionStart, el.selectionEnd)
    })
    assert.match(selected, /fortnight/)
    assert.equal((await admin.get('/api/v1/rulepacks')).id, 'national')
    await shot(page, 'rulepacks-refused')

    await setText(page, district)
    await page.click('[data-testid=rulepack-submit]')
    await page.locator('[data-testid=rulepack-dialog]').waitFor({ state: 'hidden' })
    // the figures are recounted in the background; the page follows it to the end
    await page.locator('[data-testid=rulepack-rebuild][data-state=done]').waitFor()
    await rules.locator('[data-rule="party_lecture.quarter"]').waitFor()
    assert.equal(await rules.locator('[data-rule="party_lecture.year"]').count(), 0)
    await page.locator('[data-testid=rulepack-kinds]', { hasText: '志愿服务' }).waitFor()
    assert.equal(await page.locator('[data-testid=rulepack-history] tbody tr', { hasText: 'district-2026' }).count(), 1)
    const inForce = await admin.get('/api/v1/rulepacks')
    assert.equal(inForce.id, 'district-2026')
    assert.equal(await (await admin.call('/api/v1/rulepacks/source')).text(), district)
    await context.close()
  })

  test("a secretary reads the rules, cannot load a pack, and the branch's findings follow the new pack", async () => {
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'zhibu')
    await page.goto('/rulepacks')
    await page.locator('[data-testid=rulepack-rules] [data-rule="party_lecture.quarter"]').waitFor()
    assert.equal(await page.locator('[data-testid=rulepack-load]').count(), 0)
    const zhibu = await apiSession(server.base, 'zhibu')
    const branch = (await zhibu.get('/api/v1/me')).scope[0]
    await page.goto(`/orgs/${branch.id}/life`)
    const finding = page.locator('details.finding[data-rule="party_lecture.quarter"]').first()
    await finding.waitFor()
    assert.match(await finding.innerText(), /党课每季度1次/)
    assert.equal(await page.locator('details.finding[data-rule="party_lecture.year"]').count(), 0)
    await context.close()
  })
})

describe('holiday calendar', () => {
  test('2026 is built in; an administrator loads 2027, a broken arrangement is refused with its line', async () => {
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'admin')
    await page.goto('/admin/calendar')
    const year = page.locator('[data-testid=calendar-year]')
    await year.getByText('2026', { exact: true }).click()
    await page.locator('[data-testid=calendar-working-days]', { hasText: '全年工作日 248 天' }).waitFor()
    assert.match(await page.locator('[data-testid=calendar-holidays]').innerText(), /国庆节[\s\S]*2026-10-01 – 2026-10-07/)
    assert.match(await page.locator('[data-testid=calendar-makeup]').innerText(), /2026-10-10/)
    await year.getByText('2027', { exact: true }).click()
    await page.locator('[data-testid=calendar-missing]', { hasText: '2027 年的节假日安排尚未载入' }).waitFor()
    await shot(page, 'calendar-missing')

    await page.click('[data-testid=calendar-load]')
    await page.fill('[data-testid=calendar-text]', 'year: 2027\nsource: 测试通知\nholidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-01}\nworkdays:\n  - 2027-01-05\n')
    await page.click('[data-testid=calendar-submit]')
    const errors = page.locator('[data-testid=calendar-errors]')
    await errors.waitFor()
    assert.match(await errors.innerText(), /第6行：2027-01-05 是工作日（星期二）/)
    await page.locator('[data-testid=calendar-missing]').waitFor() // nothing changed
    await page.fill('[data-testid=calendar-text]', 'year: 2027\nsource: 测试通知\nholidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}\nworkdays: []\n')
    await page.click('[data-testid=calendar-submit]')
    await page.locator('[data-testid=calendar-year-view]', { hasText: '已载入' }).waitFor()
    await page.locator('[data-testid=calendar-working-days]', { hasText: '全年工作日 260 天' }).waitFor()
    await context.close()
  })

  test('a secretary reads the calendar on a phone but cannot load one', async () => {
    const { context, page } = await newPage(browser, server.base, { viewport: { width: 360, height: 740 } })
    await login(page, 'zhibu')
    await page.goto('/admin/calendar')
    await page.locator('[data-testid=calendar-year]').getByText('2026', { exact: true }).click()
    await page.locator('[data-testid=calendar-working-days]', { hasText: '248' }).waitFor()
    assert.equal(await page.locator('[data-testid=calendar-load]').count(), 0)
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 360, `page is ${width}px wide at 360`)
    await shot(page, 'calendar-phone')
    const sec = await apiSession(server.base, 'zhibu')
    const res = await sec.call('/api/v1/calendar/2028', { method: 'PUT', headers: { 'Content-Type': 'application/yaml' }, body: 'year: 2028\nsource: x\n' })
    assert.equal(res.status, 403)
    assert.equal((await (await sec.call('/api/v1/calendar/2028')).json()).origin, 'none') // nothing loaded
    await context.close()
  })
})
