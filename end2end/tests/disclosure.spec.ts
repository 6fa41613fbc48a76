import { test, expect } from "@playwright/test";
import { readFileSync } from "node:fs";
import { phoneCountingTransfers } from "./session";

test("a citizen on a phone finds an enterprise by name, sees its class, and downloads the list", async ({ browser }) => {
  const ctx = await browser.newContext({
    locale: "zh-CN",
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    acceptDownloads: true,
  });
  const page = await ctx.newPage();
  await page.goto("/");
  await page.getByTestId("to-disclosure").click();
  await expect(page.getByTestId("notice")).toContainText("公示");

  // A name from the published list, searched for.
  const rows = page.locator("[data-testid=public-list] tbody tr");
  const name = (await rows.nth(5).locator("a").first().innerText()).trim();
  await page.getByLabel("search").fill(name);
  await page.getByTestId("public-filters").getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/q=/);
  await expect(rows.first()).toContainText(name);
  await expect(rows.first().getByTestId("public-class")).not.toBeEmpty();

  // Its card across years.
  await rows.first().locator("a").first().click();
  await expect(page.getByTestId("card-name")).toHaveText(name);
  await expect(page.getByTestId("card").locator("li")).toHaveCount(2);
  await expect(page.getByTestId("card-class").first()).not.toBeEmpty();

  // The list as the search left it, as CSV in words.
  await page.goBack();
  await expect(page.getByTestId("public-downloads")).toContainText("下载查询结果");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("public-downloads").getByRole("link", { name: "CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^2020年度工业企业绩效综合评价结果公示-第\d+版-含.+\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
  const lines = csv.trim().split("\n");
  expect(lines[0]).toMatch(/^统一社会信用代码,企业名称,县（市、区）,行业,规模,评价状态,等次,(得分,)?公示版本$/);
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain(name);
});

test("the administrator corrects a figure and publishes the correction; the public sees the new version", async ({ browser }) => {
  const ctx = await browser.newContext({ locale: "zh-CN" });
  const page = await ctx.newPage();
  await page.goto("/login");
  await page.getByLabel("用户名").fill("admin");
  await page.getByLabel("密码").fill("muyi2020");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("whoami")).toBeVisible();

  // The best above-size enterprise of Haiyan falls to the bottom.
  await page.goto("/enterprises?sort=score_desc&scale=above&county=haiyan");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  const top = page.locator("[data-testid=enterprises] tbody tr").first();
  const name = (await top.locator("a").first().innerText()).trim();
  await top.locator("a").first().click();
  await expect(page.getByTestId("preview-score")).toBeVisible();
  await page.locator("input[data-field=tax_wan]").fill("0");
  await page.locator("input[data-field=value_added_wan]").fill("0");
  await page.getByTestId("save").click();
  await expect(page.getByTestId("saved")).toContainText("2");

  // Published only through a correction.
  await page.goto("/admin/disclosure");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  const year = page.getByTestId("year-2020");
  await expect(year).toContainText("公示中");
  await expect(year.getByTestId("pending-2020")).not.toContainText("：0");
  await year.getByTestId("correct-2020").locator("input[name=note]").fill("经核实更正（浏览器测试）");
  await year.getByRole("button", { name: "发布更正" }).click();
  await expect(year.getByTestId("pending-2020")).toContainText("：0");

  await page.goto("/disclosure/2020/corrections");
  const notice = page.getByTestId("correction").first();
  await expect(notice).toContainText("经核实更正（浏览器测试）");
  await expect(notice).toContainText(name);
  await expect(notice).toContainText("本企业数据更正");
});

test("a first visit to a public page is light, and its search works without the app's script", async ({ browser }) => {
  const { page, urls, total: transferred } = await phoneCountingTransfers(browser);
  await page.goto("/disclosure/2020", { waitUntil: "networkidle" });
  const total = await transferred();
  console.log(`first visit to /disclosure/2020: ${urls.length} requests, ${total} bytes transferred`);
  expect(urls.some((u) => u.endsWith(".wasm"))).toBe(false);
  expect(total).toBeLessThan(300 * 1024);
  // The stylesheet's name carries its hash, so it is kept for a year.
  const css = urls.find((u) => u.endsWith(".css"))!;
  expect(css).toMatch(/\/pkg\/muyi\.[^.]+\.css$/);
  const cssResponse = await page.request.get(css);
  expect(cssResponse.headers()["cache-control"]).toContain("immutable");

  // Plain HTML: the search form submits without WASM.
  const name = (await page.locator("[data-testid=public-list] tbody tr").nth(2).locator("a").first().innerText()).trim();
  await page.getByLabel("search").fill(name);
  await page.getByTestId("public-filters").getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/q=/);
  await expect(page.locator("[data-testid=public-list] tbody tr").first()).toContainText(name);
});

// A public page reached from the home page (a new visitor each time, who
// chose a language there, as the screens test does) keeps
// its own Content-Security-Policy and so its stylesheet: once in about five
// such visits the policy went missing (app::context::PagePolicy says why),
// the stylesheet was refused and the page showed unstyled, wider than a
// phone. Twelve visits show a relapse ninety-seven times in a hundred.
test("a public page keeps its policy and stylesheet on every visit", async ({ browser }) => {
  test.setTimeout(120_000);
  for (let i = 0; i < 12; i++) {
    const ctx = await browser.newContext({ locale: "zh-CN", viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.goto("/");
    await ctx.addCookies([{ name: "i18n_pref_locale", value: i % 2 ? "en" : "zh", url: page.url() }]);
    const res = await page.goto("/disclosure/2020");
    expect(await res!.headerValue("content-security-policy"), `visit ${i + 1}`).toContain("style-src 'self'");
    await page.waitForLoadState("networkidle");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `visit ${i + 1}: page width`).toBeLessThanOrEqual(391);
    await ctx.close();
  }
});
