// Browser tests of 积分概况 (the levels above): a street publishes the example scheme, a member's
// claim is approved, and the street's staff read the distribution of proposed stars, drill down
// to the member's branch and its members' totals, and export the subtree — on a desktop and at
// 360 px. Needs web/dist built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import ExcelJS from 'exceljs'
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

describe('points overview', () => {
  test('the street reads its distribution, drills down to a branch, and exports', async () => {
    const year = cstDate(Date.now()).slice(0, 4)
    const street = await apiSession(server.base, 'jiedao')
    const streetId = (await street.get('/api/v1/me')).scope[0].id
    const example = await (await street.call('/api/v1/points/schemes/example')).text()
    const text = example.replace(/^year: \d+$/m, `year: ${year}`).replace(/^effective_from: \d{4}-/m, `effective_from: ${year}-`)
    const pub = await street.call(`/api/v1/orgs/${streetId}/points/schemes`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: text })
    assert.equal(pub.status, 201, await pub.text())

    // A member claims, the secretary approves: the member has an entry and a band.
    const member = await apiSession(server.base, 'dangyuan')
    const me = (await member.get('/api/v1/me')).user
    const my = await member.get(`/api/v1/members/${me.member_id}/points?year=${year}`)
    const json = { 'Content-Type': 'application/json' }
    const claim = await member.call('/api/v1/points/claims', { method: 'POST', headers: json,
      body: JSON.stringify({ item: my.claimable[0].code, event_date: cstDate(Date.now()) }) })
    const filed = await claim.json()
    assert.equal(claim.status, 201, JSON.stringify(filed))
    const sec = await apiSession(server.base, 'zhibu')
    const dec = await sec.call('/api/v1/points/claims/decide', { method: 'POST', headers: json,
      body: JSON.stringify({ ids: [filed.id], action: 'approve' }) })
    assert.equal(dec.status, 200, await dec.text())
    const after = await member.get(`/api/v1/members/${me.member_id}/points?year=${year}`)
    const sum = await street.get(`/api/v1/orgs/${streetId}/points/summary?year=${year}`)
    assert.ok(sum.members >= 1, 'the street counts the member')
    const band = sum.bands.find((b) => b.stars === after.stars)
    assert.ok(band && band.members >= 1, `the member's band ${after.stars} is counted: ${JSON.stringify(sum.bands)}`)

    // Desktop: the street's page, then the member's branch.
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'jiedao')
    await page.goto(`/orgs/${streetId}`)
    await page.click('[data-testid=org-points]')
    await page.locator('[data-testid=points-bands]').waitFor()
    assert.equal((await page.locator('[data-testid=points-members]').innerText()).trim(), String(sum.members))
    const bar = page.locator(`[data-testid=points-bands] li[data-stars="${after.stars}"]`)
    assert.match(await bar.innerText(), new RegExp(`\\b${band.members}\\b`))
    await page.locator('[data-testid=points-children]').waitFor()
    await axeCheck(page)
    await shot(page, 'points-overview-desktop')
    // The member's branch (the path names it): its members' totals list the member.
    const branchOf = (await street.get(`/api/v1/members/${me.member_id}/points?year=${year}`)).entries[0].org_id
    await page.goto(`/orgs/${branchOf}/points?year=${year}`)
    const rows = page.locator('[data-testid=points-member-totals]')
    const all = await street.get(`/api/v1/orgs/${branchOf}/points/members?year=${year}&page_size=500`)
    const at = all.items.findIndex((m) => m.member_id === me.member_id)
    assert.ok(at >= 0, 'the branch lists the member')
    await rows.getByText(all.items[0].name).first().waitFor()
    if (at >= 20) await page.locator('.el-pager li', { hasText: new RegExp(`^${Math.floor(at / 20) + 1}$`) }).click()
    await rows.getByText(after.member_name).waitFor()
    assert.match(await rows.innerText(), new RegExp(String(after.total)))
    await shot(page, 'points-branch-desktop')
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=points-export]')])
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(fs.readFileSync(await dl.path()))
    const ws = wb.getWorksheet('党员积分')
    assert.equal(ws.getCell('A1').value, '姓名')
    const names = []
    ws.eachRow((r, i) => i > 1 && names.push(r.getCell(1).value))
    assert.ok(names.includes(after.member_name), `the export lists ${after.member_name}`)

    // Import: a file with a bad row names it and imports nothing; a good file is checked, then imported.
    const csv = (item) => Buffer.from(`党员,年度,项目代码,分值,说明\n${me.member_id},${year},${item},5,迁入\n`)
    await page.setInputFiles('[data-testid=points-import-file]', { name: 'points.csv', mimeType: 'text/csv', buffer: csv('login_daily') })
    await page.click('[data-testid=points-import-check]')
    const problems = page.locator('[data-testid=points-import-problems]')
    await problems.waitFor()
    assert.match(await problems.innerText(), /项目代码/)
    assert.ok(await page.locator('[data-testid=points-import-apply]').isDisabled())
    await page.setInputFiles('[data-testid=points-import-file]', { name: 'points.csv', mimeType: 'text/csv', buffer: csv('honour') })
    await page.click('[data-testid=points-import-check]')
    await page.locator('[data-testid=points-import-message]', { hasText: '检查通过' }).waitFor()
    await page.click('[data-testid=points-import-apply]')
    await page.locator('[data-testid=points-import-message]', { hasText: '已导入 1 条' }).waitFor()
    const imported = await member.get(`/api/v1/members/${me.member_id}/points?year=${year}`)
    assert.equal(imported.total, after.total + 5)
    assert.equal(imported.entries[0].source_kind, 'import')
    await shot(page, 'points-import-desktop')
    await context.close()

    // Phone: the street's page fits 360 px.
    const ph = await newPage(browser, server.base, phone)
    await login(ph.page, 'jiedao')
    await ph.page.goto(`/orgs/${streetId}/points`)
    await ph.page.locator('[data-testid=points-bands]').waitFor()
    await ph.page.locator('[data-testid=points-children]').waitFor()
    await fits(ph.page)
    await shot(ph.page, 'points-overview-phone')
    await ph.page.goto(`/orgs/${branchOf}/points?year=${year}`)
    await ph.page.locator('[data-testid=points-member-totals]').getByText(all.items[0].name).first().waitFor()
    await fits(ph.page)
    await axeCheck(ph.page)
    await shot(ph.page, 'points-branch-phone')
    await ph.context.close()
  })
})
