// Browser tests of issue 16, 专项督查: the community plans an inspection of one of its
// branches, starts it and records a finding on the page (a missing due date is named); the
// finding is the branch's rectification item, which the secretary submits on a phone and the
// community — the inspecting level — closes (销号); the list's counts follow. Needs web/dist
// built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiSession, axeCheck, cstDate, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser

before(async () => ({ server, browser } = await startSuite()))
after(() => stopSuite({ server, browser }))

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }

async function fits(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(w <= 360, `page is ${w} px wide`)
}

/** Fills the field an Element Plus input marks: the attribute lands on the native element or its wrapper. */
async function fillField(page, sel, value, tag = 'textarea') {
  await page.locator(`${sel} ${tag}, ${tag}${sel.split(' ').pop()}`).first().fill(value)
}

describe('专项督查', () => {
  test('plan, start, a finding becomes an item the inspecting level closes', async () => {
    const today = cstDate(Date.now())
    const year = Number(today.slice(0, 4))
    const community = await apiSession(server.base, 'shequ')
    const secretary = await apiSession(server.base, 'zhibu')
    const branchId = (await secretary.get('/api/v1/me')).scope[0].id
    const communityId = (await community.get('/api/v1/me')).scope[0].id
    const r = await community.call(`/api/v1/orgs/${communityId}/inspections`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ topic: '“三会一课”专项督查', checklist: ['支部党员大会按期召开', '党课有记录'], org_ids: [branchId], inspectors: ['张三'], start_date: today, end_date: today }) })
    assert.equal(r.status, 201, await r.text())

    // The community opens it on a desktop, starts it and records a finding.
    const desk = await newPage(browser, server.base)
    desk.page.on('pageerror', (e) => console.log(`# pageerror ${e.message}`))
    desk.page.on('console', (m) => ['error', 'warning'].includes(m.type()) && console.log(`# console ${m.text()}`))
    await login(desk.page, 'shequ')
    await desk.page.goto('/rectify')
    await desk.page.locator('[data-testid=rectify-summary]').waitFor()
    assert.match(await desk.page.locator('[data-testid=rectify-summary] a').getAttribute('href'), /^\/inspect\?org=/)
    await desk.page.goto('/inspect')
    const row = desk.page.locator('[data-testid=inspect-row]', { hasText: '三会一课' })
    await row.locator('button.head').click()
    await desk.page.click('[data-testid=inspect-start]')
    await desk.page.locator('[data-testid=finding-form]').waitFor()
    await fillField(desk.page, '[data-testid=finding-problem]', '党课无记录')
    await fillField(desk.page, '[data-testid=finding-owner]', '支部书记', 'input')
    await desk.page.click('[data-testid=finding-save]')
    await desk.page.locator('[data-testid=finding-error]', { hasText: '整改时限' }).waitFor()
    await fillField(desk.page, '[data-testid=finding-due]', `${year + 1}-01-31`, 'input')
    await desk.page.click('[data-testid=finding-save]')
    await desk.page.locator('[data-testid=inspect-finding]', { hasText: '党课无记录' }).locator('[data-state=open]').waitFor()
    await row.locator('[data-testid=inspect-counts]', { hasText: '发现问题 1 个' }).waitFor()
    await axeCheck(desk.page)
    await shot(desk.page, 'inspect-desktop')

    // The secretary sees the item among the branch's rectification items and submits it.
    const sec = await newPage(browser, server.base, phone)
    await login(sec.page, 'zhibu')
    await sec.page.goto('/rectify')
    const item = sec.page.locator('[data-testid=rectify-item]', { hasText: '党课无记录' })
    await item.locator('button.head').click()
    await fillField(sec.page, '[data-testid=rectify-text]', '已补齐党课记录')
    await sec.page.click('[data-testid=rectify-submit]')
    await item.locator('[data-state=submitted]').waitFor()

    // The community (the inspecting level) closes it; the inspection's counts follow, on a phone.
    const items = (await community.get(`/api/v1/orgs/${branchId}/rectify?state=submitted`)).items.filter((i) => i.source_kind === 'inspection')
    assert.equal(items.length, 1)
    assert.equal(items[0].may_close, true)
    const c = await community.call(`/api/v1/rectify/${items[0].id}/close`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: '核实' }) })
    assert.equal(c.status, 200, await c.text())
    const staff = await newPage(browser, server.base, phone)
    await login(staff.page, 'shequ')
    await staff.page.goto('/inspect')
    const prow = staff.page.locator('[data-testid=inspect-row]', { hasText: '三会一课' })
    await prow.locator('[data-testid=inspect-counts]', { hasText: '已销号 1' }).waitFor()
    await prow.locator('button.head').click()
    await staff.page.locator('[data-testid=inspect-finding] [data-state=closed]').waitFor()
    await fits(staff.page)
    await axeCheck(staff.page)
    await shot(staff.page, 'inspect-phone')
  })
})
