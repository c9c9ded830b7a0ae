// Browser tests of 季度讲评: a street's staff opens the review of its communities and branches
// for the last ended quarter from the organization page, ranks on another measure, writes a
// comment that stays, exports the workbook; on a phone the page fits 360 px.
// Needs web/dist built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiSession, axeCheck, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser

before(async () => ({ server, browser } = await startSuite()))
after(() => stopSuite({ server, browser }))

describe('quarterly review', () => {
  test('a street reviews its children: figures as the dashboard, ranks, a comment, the workbook', async () => {
    const street = await apiSession(server.base, 'jiedao')
    const streetId = (await street.get('/api/v1/me')).scope[0].id
    const pack = await street.get(`/api/v1/orgs/${streetId}/quarterly`)
    assert.ok(pack.rows.length > 1, 'the street has children')
    // The level's figure is the dashboard's: the compliance summary of the same quarter.
    const sum = await street.get(`/api/v1/compliance/summary?org=${streetId}&period=${pack.quarter}`)
    const ended = sum.rules.filter((r) => r.status === 'ended')
    assert.equal(pack.level.life.den, ended.reduce((n, r) => n + r.required, 0))
    assert.equal(pack.level.life.num, ended.reduce((n, r) => n + r.met, 0))

    const { context, page } = await newPage(browser, server.base)
    await login(page, 'jiedao')
    await page.goto(`/orgs/${streetId}`)
    await page.click('[data-testid=org-quarterly]')
    await page.locator('[data-testid=quarterly-title]', { hasText: pack.quarter }).waitFor()
    const rows = page.locator('[data-testid=quarterly-rows] > li')
    await rows.first().waitFor()
    assert.equal(await rows.count(), pack.rows.length)
    // First in the list is rank 1 on the first measure.
    const best = pack.rows.filter((r) => r.ranks.life === 1).map((r) => String(r.org_id))
    assert.ok(best.includes(await rows.first().getAttribute('data-org')), 'the first row is ranked first')
    await axeCheck(page)
    await shot(page, 'quarterly-street')

    // Rank on the claims waiting instead: fewest first.
    await page.locator('[data-testid=quarterly-sort]').getByText('待审核积分申报').click()
    const fewest = Math.min(...pack.rows.map((r) => r.figures.pending.value))
    const firstId = await rows.first().getAttribute('data-org')
    assert.equal(pack.rows.find((r) => String(r.org_id) === firstId).figures.pending.value, fewest)

    // A comment stays.
    const row = rows.first()
    await row.locator('[data-testid=quarterly-comment-edit]').click()
    await row.locator('textarea').fill('组织生活落实较好，继续保持')
    await row.locator('[data-testid=quarterly-comment-save]').click()
    await row.locator('[data-testid=quarterly-comment]', { hasText: '继续保持' }).waitFor()
    await page.reload()
    await page.locator(`[data-testid=quarterly-rows] > li[data-org="${firstId}"] [data-testid=quarterly-comment]`, { hasText: '继续保持' }).waitFor()

    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=quarterly-export]')])
    assert.match(dl.suggestedFilename(), /季度讲评\.xlsx$/)
    await context.close()
  })

  test('on a phone the review fits 360 px; a branch secretary cannot comment on a street', async () => {
    const street = await apiSession(server.base, 'jiedao')
    const streetId = (await street.get('/api/v1/me')).scope[0].id
    const { context, page } = await newPage(browser, server.base, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    await login(page, 'jiedao')
    await page.goto(`/orgs/${streetId}/quarterly`)
    await page.locator('[data-testid=quarterly-rows] > li').first().waitFor()
    const w = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(w <= 360, `page is ${w} px wide`)
    await shot(page, 'quarterly-phone')
    await context.close()
    const sec = await apiSession(server.base, 'zhibu')
    const res = await sec.call(`/api/v1/orgs/${streetId}/quarterly/comments`, { method: 'PUT', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ quarter: '2026-Q3', org_id: streetId, text: 'x' }) })
    assert.ok(res.status === 403 || res.status === 404, `status ${res.status}`)
  })
})
