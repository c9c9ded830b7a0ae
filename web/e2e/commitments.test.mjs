// Browser tests of 公开承诺 and 到社区报到 / volunteer service on a phone (360 px): a member drafts a
// commitment, registers with the community and records a service; the branch secretary confirms
// the commitment and records it kept; the community confirms the service and sees who registered;
// the member's points show both derived entries; the branch prints its 承诺公示栏 (also at 1366 px).
// Needs web/dist built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiSession, axeCheck, cstDate, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser

before(async () => ({ server, browser } = await startSuite()))
after(() => stopSuite({ server, browser }))

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }
const desktop = { viewport: { width: 1366, height: 768 } }

/** Dialogs and their overlays have faded out (for a clean screenshot). */
async function settled(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-overlay')].some((e) => getComputedStyle(e).display !== 'none'))
}

async function fits(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(w <= 360, `page is ${w} px wide`)
}

describe('commitments and volunteer service', () => {
  test('draft → confirm → kept, register → record → confirm; points follow; the board prints', async () => {
    const year = cstDate(Date.now()).slice(0, 4)
    const street = await apiSession(server.base, 'jiedao')
    const streetId = (await street.get('/api/v1/me')).scope[0].id
    const example = await (await street.call('/api/v1/points/schemes/example')).text()
    const text = example.replace(/^year: \d+$/m, `year: ${year}`).replace(/^effective_from: \d{4}-/m, `effective_from: ${year}-`)
    const pub = await street.call(`/api/v1/orgs/${streetId}/points/schemes`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: text })
    assert.equal(pub.status, 201, await pub.text())
    const community = (await (await apiSession(server.base, 'shequ')).get('/api/v1/me')).scope[0]
    const content = `每月为楼栋独居老人上门服务一次（${Date.now() % 1000}）`

    // The member: a commitment, a registration with the community, a volunteer record.
    const m = await newPage(browser, server.base, phone)
    await login(m.page, 'dangyuan')
    await m.page.goto('/service/my')
    await m.page.locator('[data-testid=my-commitments]').waitFor({ state: 'attached' })
    await fits(m.page)
    await axeCheck(m.page)
    await m.page.click('[data-testid=commitment-add]')
    await m.page.locator('[data-testid=commitment-form] [data-category=service]').click()
    // Bad input: the server's message names the field, in Chinese; nothing is drafted.
    await m.page.click('[data-testid=commitment-submit]')
    assert.match(await m.page.locator('[data-testid=commitment-error]').innerText(), /承诺内容/)
    await m.page.fill('[data-testid=commitment-content]', content)
    await shot(m.page, 'commitment-draft-phone')
    await m.page.click('[data-testid=commitment-submit]')
    await m.page.locator('[data-testid=my-commitments] li[data-state=draft]').first().waitFor()
    await m.page.click('[data-testid=register-open]')
    await m.page.click('[data-testid=register-community]')
    await m.page.keyboard.type(community.name)
    // Many communities share a name: the option shows the label (the organizations above it).
    const found = await (await apiSession(server.base, 'dangyuan')).get(`/api/v1/volunteer/communities?q=${encodeURIComponent(community.name)}`)
    const mine = found.items.find((o) => o.id === community.id)
    assert.ok(mine, 'the community is listed')
    await m.page.locator('.el-select-dropdown__item', { hasText: mine.label }).first().click()
    await m.page.click('[data-testid=register-submit]')
    await m.page.locator('[data-testid=my-registration]', { hasText: community.name }).waitFor()
    await m.page.click('[data-testid=record-open]')
    await m.page.locator('[data-testid=record-form] label', { hasText: community.name }).first().click()
    await m.page.fill('[data-testid=record-what]', '楼道清扫')
    await m.page.click('[data-testid=record-submit]')
    await m.page.locator('[data-testid=my-records] li[data-state=pending]').first().waitFor()
    await fits(m.page)
    await settled(m.page)
    await shot(m.page, 'service-my-phone')
    await m.context.close()

    // The branch secretary confirms the commitment and records it kept.
    const s = await newPage(browser, server.base, phone)
    await login(s.page, 'zhibu')
    await s.page.goto('/service/branch')
    const draft = s.page.locator('[data-testid=drafts] li', { hasText: content })
    await draft.waitFor()
    await fits(s.page)
    await axeCheck(s.page)
    // 代为新增: the secretary drafts for a member without a phone; it waits for confirmation too.
    await s.page.click('[data-testid=on-behalf-open]')
    await s.page.click('[data-testid=on-behalf-member]')
    await s.page.locator('.el-select-dropdown__item').first().click()
    await s.page.fill('[data-testid=on-behalf-form] textarea', '代为承诺：每季度参加一次社区议事')
    await s.page.locator('.el-dialog', { has: s.page.locator('[data-testid=on-behalf-form]') }).locator('.el-button--primary').click()
    await s.page.locator('[data-testid=drafts] li', { hasText: '代为承诺' }).waitFor()
    await settled(s.page)
    await draft.locator('[data-testid=draft-confirm]').click()
    const toRecord = s.page.locator('[data-testid=to-record] li', { hasText: content })
    await toRecord.waitFor()
    await toRecord.locator('[data-testid=record-outcome]').click()
    await s.page.fill('[data-testid=outcome-note]', '全年上门服务 12 次')
    await s.page.click('[data-testid=outcome-submit]')
    await toRecord.waitFor({ state: 'detached' })
    await settled(s.page)
    await shot(s.page, 'service-branch-phone')
    const branchId = (await (await apiSession(server.base, 'zhibu')).get('/api/v1/me')).scope[0].id
    await s.page.goto(`/service/board/${branchId}`)
    const row = s.page.locator('[data-testid=commitment-board] tr', { hasText: content })
    await row.waitFor()
    assert.match(await row.innerText(), /已践诺/)
    await fits(s.page)
    await settled(s.page)
    await shot(s.page, 'commitment-board-phone')
    await s.context.close()
    const wide = await newPage(browser, server.base, desktop)
    await login(wide.page, 'zhibu')
    await wide.page.goto(`/service/board/${branchId}`)
    await wide.page.locator('[data-testid=commitment-board] tr', { hasText: content }).waitFor()
    await settled(wide.page)
    await shot(wide.page, 'commitment-board-desktop')
    await wide.page.emulateMedia({ media: 'print' })
    assert.equal(await wide.page.locator('.topbar').isVisible(), false, 'the header is not printed')
    await wide.context.close()

    // The community sees who registered and confirms the service.
    const c = await newPage(browser, server.base, phone)
    await login(c.page, 'shequ')
    await c.page.goto('/service/branch')
    const member = (await (await apiSession(server.base, 'dangyuan')).get('/api/v1/me')).member
    await c.page.locator('[data-testid=registered] li', { hasText: member.name }).waitFor()
    const rec = c.page.locator('[data-testid=pending-records] li', { hasText: '楼道清扫' })
    await rec.waitFor()
    await fits(c.page)
    await rec.locator('[data-testid=record-confirm]').click()
    await rec.waitFor({ state: 'detached' })
    await settled(c.page)
    await shot(c.page, 'service-community-phone')
    await c.context.close()

    // The member's points: one entry from each source.
    const p = await newPage(browser, server.base, phone)
    await login(p.page, 'dangyuan')
    await p.page.goto('/points/my')
    const entries = p.page.locator('[data-testid=points-entries]')
    await entries.locator('li').first().waitFor()
    const shown = await entries.innerText()
    assert.match(shown, /公开承诺践诺/)
    assert.match(shown, /志愿服务/)
    await p.context.close()
  })
})
