// Browser tests of 组织考核: the street opens a round against the example set for its branches'
// field, a branch secretary self-assesses on a phone (data prefilled with the link to the
// records, manual scores with evidence) and submits; the street reviews (a change with a
// comment, kept beside the self-assessment) and approves; the round shows progress, the star
// distribution and the ranking. Needs web/dist built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiSession, axeCheck, cstDate, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser

before(async () => ({ server, browser } = await startSuite()))
after(() => stopSuite({ server, browser }))

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }
const desktop = { viewport: { width: 1366, height: 768 } }
const exampleFor = { rural: 'village', community: 'community', private: 'enterprise', soe: 'enterprise' }

async function fits(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(w <= 360, `page is ${w} px wide`)
}

/** The native input of a control marked with a test id (el-input puts the id on it or its wrapper). */
const input = (page, id) => page.locator(`[data-testid=${id}]`).locator('xpath=self::input | .//input').first()

async function setDate(page, id, day) {
  const el = input(page, id)
  await el.fill(day)
  await el.press('Enter')
}

describe('assessment rounds', () => {
  test('open, self-assess on a phone, review apart, progress and ranking', async () => {
    const street = await apiSession(server.base, 'jiedao')
    const streetId = (await street.get('/api/v1/me')).scope[0].id
    const sec = await apiSession(server.base, 'zhibu')
    const branch = (await sec.get('/api/v1/me')).scope[0]
    const branchOrg = await sec.get(`/api/v1/orgs/${branch.id}`)
    const year = cstDate(Date.now()).slice(0, 4)
    const examples = await street.get('/api/v1/assess/examples')
    const example = examples.find((e) => e.name === (exampleFor[branchOrg.field] ?? 'generic'))
    const text = example.text.replace(/^year: \d+$/m, `year: ${year}`)
    const pub = await street.call(`/api/v1/orgs/${streetId}/assess/sets`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: text })
    assert.equal(pub.status, 201, await pub.text())
    const day = (n) => cstDate(Date.now() + n * 86400_000)

    // The street opens the round in the browser.
    const lead = await newPage(browser, server.base, desktop)
    await login(lead.page, 'jiedao')
    await lead.page.goto('/assess')
    await lead.page.click('[data-testid=assess-open]')
    await input(lead.page, 'assess-name').fill(`${year}年度星级评定（测试）`)
    await setDate(lead.page, 'assess-self-to', day(10))
    await setDate(lead.page, 'assess-review-to', day(20))
    await setDate(lead.page, 'assess-award-on', day(30))
    await lead.page.click('[data-testid=assess-open-submit]')
    const link = lead.page.locator('[data-testid^=assess-round-]').first()
    await link.waitFor()
    const roundId = Number((await link.getAttribute('data-testid')).replace('assess-round-', ''))
    await link.click()
    await lead.page.locator('[data-testid=assess-ranking]').waitFor()
    assert.match(await lead.page.locator('[data-testid=assess-progress-self]').innerText(), /0 \/ \d+/)
    await axeCheck(lead.page)

    // The secretary self-assesses on a phone.
    const s = await newPage(browser, server.base, phone)
    await login(s.page, 'zhibu')
    await s.page.goto('/assess')
    await s.page.locator(`[data-testid=assess-round-${roundId}]`).click()
    await s.page.locator('[data-testid=assess-sheet]').waitFor()
    const sheet = await sec.get(`/api/v1/assess/rounds/${roundId}/orgs/${branch.id}`)
    const bound = sheet.lines.find((l) => l.binding)
    assert.ok(bound?.data?.link, 'a bound indicator arrives with the link to its records')
    assert.match(await s.page.locator(`[data-testid=assess-line-${bound.code}]`).innerText(), /查看记录/)
    const manual = sheet.lines.filter((l) => l.method === 'manual' && !l.binding)
    for (const l of manual) {
      await input(s.page, `assess-value-${l.code}`).fill(String(Math.floor(l.max * 0.8)))
      await input(s.page, `assess-value-${l.code}`).blur()
      await input(s.page, `assess-evidence-${l.code}`).fill('工作台账')
    }
    await fits(s.page)
    await axeCheck(s.page)
    await shot(s.page, 'assess-sheet-phone')
    await s.page.click('[data-testid=assess-submit]')
    await s.page.locator('[data-testid=assess-sheet-state]', { hasText: '已自评' }).waitFor()
    await fits(s.page)
    await s.context.close()

    // The street reviews: one change with a comment; the self-assessment stays beside it.
    const l0 = manual[0]
    await lead.page.goto(`/assess/rounds/${roundId}/orgs/${branch.id}`)
    await lead.page.locator('[data-testid=assess-approve]').waitFor()
    await input(lead.page, `assess-value-${l0.code}`).fill(String(Math.floor(l0.max * 0.5)))
    await input(lead.page, `assess-value-${l0.code}`).blur()
    await input(lead.page, `assess-note-${l0.code}`).fill('材料不全，酌减')
    await lead.page.click('[data-testid=assess-approve]')
    await lead.page.locator('[data-testid=assess-sheet-state]', { hasText: '已审核' }).waitFor()
    const line = await lead.page.locator(`[data-testid=assess-line-${l0.code}]`).innerText()
    assert.match(line, /自评/)
    assert.match(line, /审核/)
    assert.match(line, /材料不全，酌减/)
    const after = await street.get(`/api/v1/assess/rounds/${roundId}/orgs/${branch.id}`)
    const changed = after.lines.find((l) => l.code === l0.code)
    assert.equal(changed.self.value, Math.floor(l0.max * 0.8))
    assert.equal(changed.review.value, Math.floor(l0.max * 0.5))
    assert.ok(changed.changed)
    await shot(lead.page, 'assess-review-desktop')

    // The classification of the year shows the class the reviewed result proposes, beside (not instead of) the decisions.
    const ov = await street.get(`/api/v1/orgs/${streetId}/classify?year=${year}`)
    const proposal = ov.proposals.find((x) => x.branch_id === branch.id)
    assert.ok(proposal && proposal.basis.includes('星级评定（测试）'), JSON.stringify(ov.proposals))
    await lead.page.goto(`/classify?year=${year}`)
    await lead.page.locator('[data-testid=classify-proposal]', { hasText: proposal.basis }).waitFor()
    await axeCheck(lead.page)
    await shot(lead.page, 'classify-proposals-desktop')

    // The round: progress and ranking follow.
    await lead.page.goto(`/assess/rounds/${roundId}`)
    await lead.page.locator('[data-testid=assess-ranking]').waitFor()
    assert.match(await lead.page.locator('[data-testid=assess-progress-review]').innerText(), /1 \/ \d+/)
    await shot(lead.page, 'assess-round-desktop')
    await lead.context.close()
    const p = await newPage(browser, server.base, phone)
    await login(p.page, 'jiedao')
    await p.page.goto(`/assess/rounds/${roundId}`)
    await p.page.locator('[data-testid=assess-ranking]').waitFor()
    await fits(p.page)
    await axeCheck(p.page)
    await shot(p.page, 'assess-round-phone')
    await p.page.goto(`/classify?year=${year}`)
    await p.page.locator('[data-testid=classify-proposal]').first().waitFor()
    await fits(p.page)
    await shot(p.page, 'classify-proposals-phone')
    // The rounds page and its 发起考核 sheet fit a phone too.
    await p.page.goto('/assess')
    await p.page.locator(`[data-testid=assess-round-${roundId}]`).waitFor()
    await fits(p.page)
    await p.page.click('[data-testid=assess-open]')
    await p.page.locator('[data-testid=assess-open-submit]').waitFor()
    await p.page.waitForTimeout(400)
    await fits(p.page)
    await axeCheck(p.page)
    await shot(p.page, 'assess-open-phone')
    await p.context.close()
  })
})
