import { test, expect } from "@playwright/test";
import { signIn } from "./session";

test("a lead unit enters a month's actual and the dashboard's status changes; the bulletin prints it", async ({ browser }) => {
  const page = await signIn(browser, "pbc");
  // 新增贷款超 2000 亿元 — the demo has it on track; a low November figure puts it behind.
  // A light page (app::light): its links and forms work without script.
  await page.goto("/targets?doc=jzbf-2021-1&month=2021-11");
  const card = page.locator("[data-target='jzbf-2021-1.g1-2']");
  await expect(card.locator("[data-status]")).toHaveAttribute("data-status", "on_track");
  await card.click();
  await expect(page.getByTestId("target-quote")).toContainText("新增贷款超");
  await expect(page.getByTestId("target-chart")).toBeVisible();
  const form = page.getByTestId("report-form");
  await form.locator("input[name=month]").fill("2021-11");
  await page.getByTestId("report-value").fill("1500");
  await form.locator("input[name=evidence]").fill("人行嘉兴市中心支行统计月报");
  await page.getByTestId("report-submit").click();
  await expect(page.getByTestId("report-result")).toContainText("已保存");
  await expect(page.getByTestId("target-status").locator("[data-status]")).toHaveAttribute("data-status", "behind");
  await expect(page.getByTestId("target-history")).toContainText("1500");
  // The history names the month and the figure, never a key.
  await expect(page.getByTestId("target-history")).toContainText("2021-11 月实际值");
  await expect(page.getByTestId("target-history")).not.toContainText("actual:");

  // The dashboard agrees, and lists it among the laggards first.
  await page.goto("/targets?doc=jzbf-2021-1&month=2021-11&laggards=on");
  await expect(page.locator("[data-target='jzbf-2021-1.g1-2'] [data-status]")).toHaveAttribute("data-status", "behind");

  // The monthly bulletin names it among the laggards, ready to print.
  await page.goto("/targets/bulletin?doc=jzbf-2021-1&month=2021-11");
  await expect(page.getByTestId("bulletin")).toContainText("2021 年 11 月推进情况通报");
  await expect(page.getByTestId("bulletin-laggards")).toContainText("新增贷款");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("bulletin-xlsx").click()]);
  expect(download.suggestedFilename()).toBe("bulletin-2021-11.xlsx");
});

test("the county race ranks the counties on a per-county target", async ({ browser }) => {
  const page = await signIn(browser, "admin");
  await page.goto("/targets?scope=county&doc=jzf-2016-5");
  const race = page.locator("[data-race='jzf-2016-5.t1-3']");
  await expect(race.locator("tbody tr")).toHaveCount(9);
});
