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
  expect(download.suggestedFilename()).toMatch(/^\d{4}年城镇土地使用税减免名单-第\d+版-南湖区\.xlsx$/);
});

test("the public reads the industry leaders of a year", async ({ page }) => {
  await page.goto("/disclosure/leaders/2020");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("领跑者");
  await expect(page.locator("[data-testid=leaders] li").first()).toBeVisible();
});

// 差别化电价: 嘉善县's 2019 list was published and never filed; its official
// files it (late, and said so), after which it no longer changes.
test("a county files its electricity list with the city", async ({ browser }) => {
  const page = await signIn(browser, "jiashan");
  await page.goto("/measures/electricity?year=2019");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  const procedure = page.getByTestId("procedure");
  await expect(procedure.getByTestId("procedure-state")).toHaveText("逾期未备案");
  await expect(page.locator("[data-testid=procedure-list] tbody tr").first()).toBeVisible();
  await page.getByTestId("filing-no").fill("嘉善经信备〔2020〕9号");
  await page.getByTestId("file-button").click();
  await expect(procedure.getByTestId("procedure-state")).toHaveText("已备案");
  await expect(page.getByTestId("procedure-filed")).toContainText("逾期备案");
  await expect(page.getByTestId("file-form")).toHaveCount(0);
  // The public page shows its list under the county's name.
  const pub = await page.context().newPage();
  await pub.goto("/disclosure/electricity/2019");
  await expect(pub.getByTestId("public-procedures")).toContainText("嘉善县");
  await expect(pub.getByTestId("public-procedures")).toContainText("已备案");
});

// A county sets a surcharge over the ceiling and is told why, next to the form.
test("a surcharge over 0.50 is refused with the reason", async ({ browser }) => {
  const page = await signIn(browser, "haining");
  await page.goto("/measures/electricity");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  await page.getByTestId("surcharge-input").fill("0.8");
  await page.getByRole("button", { name: "保存加价幅度" }).click();
  await expect(page.getByTestId("surcharge-form").getByRole("alert")).toContainText("0.50");
  await page.getByTestId("surcharge-input").fill("0.35");
  await page.getByRole("button", { name: "保存加价幅度" }).click();
  await expect(page.getByTestId("procedure-surcharge")).toContainText("0.35");
});

// 整治提升台账: 南湖区's official gives a plan to an enterprise without one; the
// enterprise with a plan under way reads it in its portal.
test("a county plans a ledger entry and the enterprise reads its plan", async ({ browser }) => {
  const page = await signIn(browser, "nanhu");
  await page.goto("/measures/ledger?status=unplanned");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  await expect(page.getByTestId("ledger-counts")).toBeVisible();
  const before = Number((await page.getByTestId("ledger-count").innerText()).match(/\d+/)![0]);
  const entry = page.getByTestId("ledger-entry").first();
  await entry.locator("summary").click();
  const form = entry.getByTestId("plan-form");
  await form.locator("select[name=plan]").selectOption("merger");
  await form.locator("input[name=person]").fill("南湖区经信局 周科长");
  await form.getByRole("button", { name: "保存方案" }).click();
  // Planned, it leaves the list of those without a plan.
  await expect(page.getByTestId("ledger-count")).toContainText(`符合条件 ${before - 1} 家`);
  const portal = await signIn(browser, "qiye4");
  await portal.goto("/portal");
  const plan = portal.getByTestId("my-plan");
  await expect(plan).toContainText("整治提升");
  await expect(plan.getByTestId("milestones")).toContainText("承诺书");
});
