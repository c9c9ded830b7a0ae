// Browser tests of issue 12 points 4 and 5 (helper forms): organizations told apart by their
// label, the 新增党员 form with dates typed as the import reads them and the server's field errors,
// revealing an ID with a reason and hiding it again, lists that page, the import page's
// explanations, no 撤销 on the root, charts in the chosen language. A secretary's flows run at
// 360×740. Needs web/dist built, the binary built after it, Chromium.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiSession, breakCheck, idNumber, login, newPage, shot, startSuite, stopSuite } from './helpers.mjs'

let server
let browser
let admin

before(async () => ({ server, browser, admin } = await startSuite()))
after(() => stopSuite({ server, browser }))

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }

/** Chooses an option of an Element Plus select inside the element with this test id. */
async function choose(page, testId, text) {
  await page.locator(`[data-testid=${testId}] .el-select`).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

describe('forms and lists (issue 12)', () => {
  test('two branches of the same name are told apart in the org picker', async () => {
    // A name more than one organization bears, from the API's search.
    const found = (await admin.get(`/api/v1/orgs?q=${encodeURIComponent('第一')}&page_size=100`)).items
    const byName = {}
    for (const o of found) (byName[o.name] ??= []).push(o)
    const [name, same] = Object.entries(byName).find(([, v]) => v.length > 1) ?? []
    assert.ok(name, 'the demo has two organizations of the same name')
    assert.notEqual(same[0].org_label, same[1].org_label)
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'admin')
    await page.goto('/members')
    await page.click('[data-testid=members-org]')
    await page.locator('.el-dialog [data-testid=org-search]').fill(name)
    const paths = page.locator('.el-dialog [data-testid=org-result-path]')
    await paths.nth(1).waitFor()
    const texts = await paths.allTextContents()
    assert.ok(texts.length >= 2 && new Set(texts).size === texts.length, `paths differ: ${texts}`)
    await page.locator('.el-dialog .result', { hasText: name }).first().click()
    assert.match(await page.locator('[data-testid=picker-picked]').textContent(), / › /)
    await shot(page, 'forms-picker-same-names')
    await page.click('[data-testid=picker-confirm]')
    // The roster names each member's branch with its parent.
    await page.locator('[data-testid=member-org-label]').first().waitFor()
    assert.match(await page.locator('[data-testid=member-org-label]').first().textContent(), / › /)
    await context.close()
  })

  test('新增党员 at 360 px: typed dates accepted, the server\'s field error shown, then saved', async () => {
    const zhibu = await apiSession(server.base, 'zhibu')
    const branch = (await zhibu.get('/api/v1/me')).scope[0]
    const { context, page } = await newPage(browser, server.base, PHONE)
    await login(page, 'zhibu')
    await page.goto(`/orgs/${branch.id}`)
    await page.click('[data-testid=org-add-member]')
    const form = page.locator('[data-testid=member-form]')
    await form.locator('[data-testid=mf-org-label]').waitFor()
    assert.match(await form.locator('[data-testid=mf-org-label]').textContent(), new RegExp(branch.name))
    const id = idNumber('19850312', '272')
    await form.locator('#mf-name').fill('表单测试')
    await choose(page, 'mf-sex', '女')
    await choose(page, 'mf-ethnicity', '汉族')
    await form.locator('#mf-id_number').fill(breakCheck(id))
    await form.locator('#mf-birth_date').fill('1985/03/12')
    await choose(page, 'mf-category', '正式党员')
    await form.locator('#mf-join_date').fill('2010.7.1')
    await form.locator('#mf-full_date').fill('20110701')
    await form.locator('#mf-name').click() // leaves the date field: it shows the day as saved
    assert.equal(await form.locator('#mf-full_date').inputValue(), '2011-07-01')
    await page.click('[data-testid=member-save]')
    // The wrong check digit is the server's finding, shown at the field.
    await form.locator('[data-testid=mf-id_number] .el-form-item__error').waitFor()
    assert.match(await form.locator('[data-testid=mf-id_number] .el-form-item__error').textContent(), /校验/)
    assert.equal(await form.locator('#mf-birth_date').inputValue(), '1985-03-12')
    assert.equal(await form.locator('#mf-join_date').inputValue(), '2010-07-01')
    await shot(page, 'forms-add-member-phone')
    await form.locator('#mf-id_number').fill(id)
    await page.click('[data-testid=member-save]')
    await page.waitForURL(/\/members\/\d+$/)
    const memberId = Number(page.url().split('/').pop())
    const m = await (await apiSession(server.base, 'admin')).get(`/api/v1/members/${memberId}?reveal=true`)
    assert.equal(m.birth_date, '1985-03-12')
    assert.equal(m.join_date, '2010-07-01')
    assert.equal(m.org_id, branch.id)

    // Revealing asks why; the reason is required, then the full number shows; 隐藏 masks it again.
    await page.locator('[data-testid=id-number] button').click()
    const dlg = page.locator('[data-testid=reveal-dialog]')
    await dlg.locator('[data-testid=reveal-confirm]').click()
    await dlg.locator('.el-form-item__error').waitFor()
    await dlg.locator('#reveal-reason').fill('核对身份证号以办理转接')
    await dlg.locator('[data-testid=reveal-confirm]').click()
    await page.locator('[data-testid=member-hide]').waitFor()
    const idCell = page.locator('[data-testid=id-number]')
    assert.ok((await idCell.textContent()).includes(id), await idCell.innerHTML())
    await shot(page, 'forms-revealed-phone')
    await page.click('[data-testid=member-hide]')
    await page.waitForFunction(() => document.querySelector('[data-testid=id-number]')?.textContent.includes('*'))
    assert.ok(!(await idCell.textContent()).includes(id))
    const audit = await admin.get(`/api/v1/audit?entity=member&entity_id=${memberId}`)
    const reveal = audit.items.find((e) => e.action === 'reveal' && e.username === 'zhibu')
    assert.ok(reveal && reveal.summary.includes('核对身份证号以办理转接'), `audit: ${JSON.stringify(audit.items.map((e) => e.summary))}`)
    await context.close()
  })

  test('an org with many children pages them; no 撤销 on the root; the at-risk list pages', async () => {
    const root = (await admin.get('/api/v1/me')).scope[0]
    const orgs = (await admin.get('/api/v1/orgs?page_size=500')).items
    const big = orgs.filter((o) => o.children_count > 20).sort((a, b) => b.children_count - a.children_count)[0]
    assert.ok(big, 'the demo has an organization with more than 20 children')
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'admin')
    await page.goto(`/orgs/${root.id}`)
    await page.locator('[data-testid=org-title]').waitFor()
    assert.equal(await page.locator('[data-testid=org-dissolve]').count(), 0, 'no 撤销 on the root')
    await page.goto(`/orgs/${big.id}`)
    const rows = page.locator('[data-testid=org-children] tbody tr')
    await page.locator('[data-testid=org-children-pager]').waitFor()
    assert.equal(await rows.count(), 20)
    const first = await rows.first().textContent()
    await page.locator('[data-testid=org-children-pager] .number', { hasText: '2' }).click()
    await page.waitForFunction((f) => document.querySelector('[data-testid=org-children] tbody tr')?.textContent !== f, first)
    assert.ok((await rows.count()) >= 1)

    const risk = await admin.get(`/api/v1/compliance/members?org=${root.id}&page_size=1`)
    await page.goto(`/orgs/${root.id}/life`)
    await page.locator('[data-testid=life-at-risk]').waitFor()
    if (risk.total > 20) {
      await page.locator('[data-testid=at-risk-pager]').waitFor()
      assert.equal(await page.locator('[data-testid=life-at-risk] tbody tr').count(), 20)
    }
    await context.close()
  })

  test('charts follow the chosen language', async () => {
    const root = (await admin.get('/api/v1/me')).scope[0]
    const { context, page } = await newPage(browser, server.base)
    await login(page, 'admin')
    await page.goto(`/orgs/${root.id}`)
    await page.locator('.el-tabs__item', { hasText: '统计' }).click()
    const chart = page.locator('[data-testid=chart-status] [data-chart-lang]')
    await chart.waitFor()
    assert.equal(await chart.getAttribute('data-chart-lang'), 'ZH')
    await page.click('[data-testid=lang-en-US]')
    await page.waitForFunction(() => document.querySelector('[data-testid=chart-status] [data-chart-lang]')?.getAttribute('data-chart-lang') === 'EN')
    assert.match(await page.locator('[data-testid=chart-status] h3').textContent(), /[A-Za-z]/)
    await shot(page, 'forms-charts-en')
    await page.click('[data-testid=lang-zh-CN]')
    await context.close()
  })

  test('import at 360 px: says why upload is disabled, and names each error row', async () => {
    const { context, page } = await newPage(browser, server.base, PHONE)
    await login(page, 'zhibu')
    await page.goto('/import')
    const why = page.locator('[data-testid=import-why]')
    await why.waitFor()
    assert.match(await why.textContent(), /选择/)
    assert.ok(await page.locator('[data-testid=import-upload]').isDisabled())
    const header = '姓名,性别,民族,公民身份号码,出生日期,学历,籍贯,人员类别,所在党支部,入党日期,转正日期,手机号码,家庭住址,党籍状态'
    const csv = `${header}\n错行张三,男,汉族,${breakCheck(idNumber('19800501', '311'))},1980-05-01,大学本科,,正式党员,,2005-07-01,2006-07-01,13800001111,和平路1号,在册\n`
    await page.locator('[data-testid=import-file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    assert.equal(await why.count(), 0)
    await page.click('[data-testid=import-upload]')
    await page.locator('[data-testid=import-errors]').waitFor()
    assert.ok((await page.locator('[data-testid=import-error-name]').allTextContents()).includes('错行张三'))
    await shot(page, 'forms-import-errors-phone')
    await context.close()
  })
})
