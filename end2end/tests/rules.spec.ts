import { expect, test } from "@playwright/test";
import { signIn } from "./session";

// The city administrator edits next year's ruleset: a refusal names the
// field and its rule and keeps what was typed; a kept draft lists what
// differs from the rules in force; both languages; discarded at the end.
test("a benchmark is edited in a draft, refused and then saved", async ({ browser }) => {
  const page = await signIn(browser, "admin");
  await page.goto("/admin/rules?year=2021");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  await expect(page.getByText("现沿用 2020 年度规则")).toBeVisible();
  const tax = page.locator("#rule-benchmark-tax_per_mu");
  await expect(tax).toHaveValue("46");
  await expect(page.getByTestId("rules-suggestion").first()).toContainText("方案建议：约");

  await tax.fill("0");
  await page.locator("#rule-cutoff-above-b").fill("61");
  await page.getByTestId("rules-save").click();
  const problems = page.getByTestId("rules-problems");
  await expect(problems).toContainText("亩均税收");
  await expect(problems).toContainText("必须大于 0");
  await expect(tax).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#rule-cutoff-above-b")).toHaveValue("61");

  await tax.fill("50");
  await page.getByTestId("rules-save").click();
  await expect(page.getByTestId("rules-outcome")).toContainText("草稿已保存：改动 2 项");
  const draft = page.getByTestId("rules-draft");
  await expect(draft).toContainText("改动 2 项");
  await expect(draft.locator("tr", { hasText: "亩均税收" })).toContainText("46");
  await expect(draft.locator("tr", { hasText: "亩均税收" })).toContainText("50");
  await expect(tax).toHaveValue("50");

  await page.context().addCookies([{ name: "i18n_pref_locale", value: "en", url: new URL("/", page.url()).href }]);
  await page.reload();
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  await expect(page.getByTestId("rules-draft")).toContainText("Draft: 2 figure(s) differ");
  await expect(page.getByText("Benchmarks", { exact: true })).toBeVisible();
  await page.getByTestId("rules-discard").click();
  await expect(page.getByTestId("rules-outcome")).toContainText("Draft discarded.");
  await expect(page.getByTestId("rules-draft")).toHaveCount(0);
  await expect(tax).toHaveValue("46");
});

// A published year's rules are shown, not editable.
test("a published year's rules are frozen", async ({ browser }) => {
  const page = await signIn(browser, "admin");
  await page.goto("/admin/rules?year=2020");
  await expect(page.getByTestId("rules-frozen")).toContainText("已冻结");
  await expect(page.locator("#rule-benchmark-tax_per_mu")).toBeDisabled();
  await expect(page.getByTestId("rules-save")).toHaveCount(0);
});

// The policy simulator: a draft is tried on the whole city in the browser
// (the engine in WASM) before adoption — the transition matrix, narrowed
// to a county, the counties' ranks under the draft, the movers searched;
// both languages; the draft discarded at the end.
test("a draft is simulated on the whole city in the browser", async ({ browser }) => {
  const page = await signIn(browser, "admin");
  await page.goto("/admin/rules?year=2021");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  await page.locator("#rule-benchmark-tax_per_mu").fill("30");
  await page.locator("#rule-cutoff-above-a").fill("25");
  await page.getByTestId("rules-save").click();
  await expect(page.getByTestId("rules-draft")).toContainText("改动 2 项");

  await page.getByTestId("simulate").click();
  const summary = page.getByTestId("simulation-summary");
  await expect(summary).toContainText("2021 年度尚无企业数据，已用 2020 年度");
  const ms = Number((await summary.textContent())!.match(/用时 (\d+) 毫秒/)![1]);
  console.log(`simulation of the demo city in Chromium: ${ms} ms`);
  const matrix = page.getByTestId("simulation-matrix");
  const cell = (from: number, to: number) => matrix.locator(`[data-cell='${from}${to}']`);
  const bToA = Number(await cell(1, 0).textContent());
  expect(bToA).toBeGreaterThan(0);
  expect(Number(await cell(0, 1).textContent())).toBe(0);
  await expect(page.getByTestId("simulation-counties").locator("tbody tr")).toHaveCount(9);

  // One county: fewer movers than the city.
  await page.getByTestId("simulation-filters").locator("select[aria-label='county']").selectOption("nanhu");
  await expect.poll(async () => Number(await cell(1, 0).textContent())).toBeLessThan(bToA);
  const movers = page.getByTestId("movers");
  const first = (await movers.locator("tbody tr td").first().textContent())!;
  await page.getByTestId("movers-search").fill(first);
  await expect(movers.locator("tbody tr")).toHaveCount(1);
  await expect(movers.locator("tbody tr")).toContainText("南湖区");

  // Ranked within each county instead of city-wide.
  await page.getByTestId("simulation-scope").selectOption("county");
  await page.getByTestId("simulate").click();
  await expect(page.getByTestId("simulation-summary")).toContainText("各县（市、区）内排序");
  await expect(page.getByTestId("simulation-xlsx")).toHaveAttribute("href", /scope=county/);

  await page.context().addCookies([{ name: "i18n_pref_locale", value: "en", url: new URL("/", page.url()).href }]);
  await page.reload();
  // The button is the app's: clicked before the page hydrates, it does nothing.
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  await page.getByTestId("simulate").click();
  await expect(page.getByTestId("simulation-summary")).toContainText("2021 has no enterprise data yet");
  await expect(page.getByTestId("simulation-matrix")).toContainText("In force");
  await page.getByTestId("rules-discard").click();
  await expect(page.getByTestId("rules-draft")).toHaveCount(0);
});
