import { expect, test } from "@playwright/test";
import { signIn } from "./session";

// The annual analysis report: a citizen reaches the public edition from
// the published list, reads it in both languages, and it prints on A4
// without the page header or its buttons; the administrator's internal
// edition adds the enterprises that fell.
test("the public report is read, switched to English and printed", async ({ page }) => {
  await page.goto("/disclosure/2020");
  await page.getByTestId("report-link").click();
  await expect(page).toHaveURL(/\/reports\/2020$/);
  const report = page.getByTestId("report");
  await expect(report.locator("h1")).toContainText("嘉兴市 2020 年度工业企业绩效综合评价分析报告");
  await expect(page.getByTestId("report-summary")).toContainText("与 2019 年度相比");
  await expect(page.getByTestId("transitions")).toBeVisible();
  await expect(report.locator("[data-chart]")).not.toHaveCount(0);
  await expect(page.getByTestId("fallen")).toHaveCount(0);

  // Print: no header, no buttons, nothing wider than the A4 page.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator("header").first()).toBeHidden();
  await expect(page.getByTestId("report-tools")).toBeHidden();
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  expect(pdf.byteLength).toBeGreaterThan(10_000);
  await page.emulateMedia({ media: "screen" });

  await page.context().addCookies([{ name: "i18n_pref_locale", value: "en", url: new URL("/", page.url()).href }]);
  await page.reload();
  await expect(report.locator("h1")).toContainText("annual analysis report 2020");
  await expect(page.getByTestId("report-summary")).toContainText("moved up a class or more");
  await expect(page.getByTestId("indicators")).toContainText("Tax per mu");
});

test("the internal report lists the enterprises that fell", async ({ browser }) => {
  const page = await signIn(browser, "admin");
  await page.goto("/admin/disclosure");
  await page.getByRole("link", { name: "年度分析报告（内部版）" }).first().click();
  await expect(page).toHaveURL(/\/admin\/reports\/20\d\d$/);
  await expect(page.getByTestId("report")).toContainText("内部版");
  await expect(page.getByTestId("report-print")).toBeVisible();
  await page.goto("/admin/reports/2020");
  const fallen = page.getByTestId("fallen");
  await expect(fallen.locator("tbody tr").first()).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByTestId("report-xlsx").click();
  expect((await download).suggestedFilename()).toContain("内部版");
});
