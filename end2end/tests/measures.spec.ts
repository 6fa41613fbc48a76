import { expect, test } from "@playwright/test";
import { signIn } from "./session";

// 分类施策: the city's tax unit signs in, lands on its entitlement list (the
// land-use tax reduction, from a published version), switches the county
// and downloads the list; the public reads the industry leaders.
test("a tax unit reads and downloads the land-use tax list", async ({ browser }) => {
  const page = await signIn(browser, "shuiwu");
  await expect(page).toHaveURL(/\/measures/);
  await expect(page.getByTestId("measure")).toContainText("城镇土地使用税减免");
  await expect(page.getByTestId("list-version")).toContainText("公示第");
  await expect(page.locator("[data-testid=entitlements] tbody tr").first()).toBeVisible();
  // Only its own measure is offered.
  await expect(page.locator("[data-testid=measure-select] option")).toHaveCount(1);
  await page.locator("select[name=county]").selectOption("nanhu");
  await page.getByRole("button", { name: "查看" }).click();
  await expect(page).toHaveURL(/county=nanhu/);
  await expect(page.getByTestId("download-xlsx")).toHaveAttribute("href", /county=nanhu/);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("download-xlsx").click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^land_use_tax-\d{4}-v\d+-nanhu\.xlsx$/);
});

test("the public reads the industry leaders of a year", async ({ page }) => {
  await page.goto("/disclosure/leaders/2020");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("领跑者");
  await expect(page.locator("[data-testid=leaders] li").first()).toBeVisible();
});
