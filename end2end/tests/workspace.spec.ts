import { test, expect } from "@playwright/test";
import { signIn as loggedIn } from "./session";

test("an official edits, previews in the browser, saves; another screen sees the class move live", async ({ browser }) => {
  // B watches the county's list, best first. (E2E_USER=admin
  // E2E_FILTER=&county=nanhu measures a city-wide screen, which hears of
  // every county's moves.)
  const user = process.env.E2E_USER ?? "nanhu";
  const watcher = await loggedIn(browser, user);
  await watcher.goto("/enterprises?sort=score_desc" + (process.env.E2E_FILTER ?? ""));
  await expect(watcher.locator("header[data-hydrated='true']")).toHaveCount(1);
  const top = watcher.locator("[data-testid=enterprises] tbody tr").first();
  const uscc = await top.getAttribute("data-uscc");
  expect(uscc).toBeTruthy();
  const classBefore = (await top.getByTestId("class").innerText()).trim();
  const href = await top.locator("a").first().getAttribute("href");

  // A opens that enterprise.
  const editor = await loggedIn(browser, user);
  await editor.goto(href!);
  await expect(editor.locator("header[data-hydrated='true']")).toHaveCount(1);
  const preview = editor.getByTestId("preview-score");
  await expect(preview).toBeVisible();
  const scoreBefore = await preview.innerText();

  // A bad value is flagged at the field, in Chinese, and blocks saving.
  const tax = editor.locator("input[data-field=tax_wan]");
  await tax.fill("12,000");
  await expect(editor.locator("[data-error=tax_wan]")).toContainText("不是数字");
  await expect(editor.getByTestId("save")).toBeDisabled();

  // The engine in the browser re-scores as the official types.
  await tax.fill("0");
  await editor.locator("input[data-field=value_added_wan]").fill("0");
  await expect(editor.locator("[data-error=tax_wan]")).toBeEmpty();
  await expect(preview).not.toHaveText(scoreBefore);
  await expect(editor.getByTestId("preview-class")).not.toHaveText(classBefore);
  const previewed = (await editor.getByTestId("preview-class").innerText()).trim();

  // Save: the other screen shows the moved class without a reload. The
  // latency is timed inside the pages (same clock), not by test polling.
  await watcher.evaluate((u) => {
    const row = document.querySelector(`tr[data-uscc="${u}"]`)!;
    new MutationObserver(() => {
      if (row.getAttribute("data-moved") === "true" && !(window as any).movedAt) (window as any).movedAt = Date.now();
    }).observe(row, { attributes: true });
  }, uscc);
  // The start is the click as the page receives it (Playwright's own
  // actionability checks before it clicks are not part of the latency).
  await editor.evaluate(() => {
    document.querySelector("[data-testid=save]")!.addEventListener(
      "click",
      () => ((window as any).clickedAt = Date.now()),
      { capture: true, once: true },
    );
  });
  await editor.getByTestId("save").click();
  const row = watcher.locator(`tr[data-uscc="${uscc}"]`);
  await expect(row).toHaveAttribute("data-moved", "true");
  const movedAt = await watcher.evaluate(() => (window as any).movedAt as number);
  const clickedAt = await editor.evaluate(() => (window as any).clickedAt as number);
  console.log(`edit-to-other-screen latency: ${movedAt - clickedAt} ms`);
  await expect(row.getByTestId("class")).toHaveText(previewed);
  await expect(editor.getByTestId("saved")).toContainText("2");

  // The change history lists both fields with old and new values.
  await expect(editor.getByTestId("audit")).toContainText("实缴税金");
  await expect(editor.getByTestId("audit")).toContainText("工业增加值");
});

test("the list works on a phone and pages on the server", async ({ browser }) => {
  const page = await loggedIn(browser, "admin");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/enterprises?county=haining&scale=below&sort=score_asc");
  await expect(page.getByTestId("enterprises")).toBeVisible();
  const rows = page.locator("[data-testid=enterprises] tbody tr");
  await expect(rows).toHaveCount(50);
  await expect(page.getByTestId("total")).toContainText("1/");
  await page.getByRole("link", { name: "下一页" }).click();
  await expect(page.getByTestId("total")).toContainText("2/");
});

test("a save made stale by someone else's is refused with what changed, then applied again on top", async ({ browser }) => {
  const official = await loggedIn(browser, "nanhu");
  await official.goto("/enterprises?sort=score_desc&scale=above");
  await expect(official.locator("header[data-hydrated='true']")).toHaveCount(1);
  const href = await official.locator("[data-testid=enterprises] tbody tr").nth(3).locator("a").first().getAttribute("href");
  const clerk = await loggedIn(browser, "tax");
  for (const p of [official, clerk]) {
    await p.goto(href!);
    await expect(p.locator("header[data-hydrated='true']")).toHaveCount(1);
    await expect(p.getByTestId("preview-score")).toBeVisible();
  }

  // The tax bureau's clerk saves a new tax first.
  await clerk.locator("input[data-field=tax_wan]").fill("4321.5");
  await clerk.getByTestId("save").click();
  await expect(clerk.getByTestId("saved")).toContainText("1");

  // The official's page still holds the old tax: their save is refused,
  // and the page says who changed what in between.
  await official.locator("input[data-field=employees]").fill("321");
  await official.getByTestId("save").click();
  const stale = official.getByTestId("stale");
  await expect(stale).toContainText("实缴税金");
  await expect(stale).toContainText("4321.5");
  await expect(stale).toContainText("tax");

  // Applied again on the newest version: the clerk's tax and the
  // official's head count, and only the head count is saved.
  await official.getByTestId("reapply").click();
  await expect(official.locator("input[data-field=tax_wan]")).toHaveValue("4321.5");
  await expect(official.locator("input[data-field=employees]")).toHaveValue("321");
  await expect(official.getByTestId("stale")).toHaveCount(0);
  await official.getByTestId("save").click();
  await expect(official.getByTestId("saved")).toContainText("1");
  await expect(official.getByTestId("audit")).toContainText("年平均职工人数");
});

// An open record hears of someone else's save at once (not only when its
// own save is refused), in the reader's language, and loads the new
// version keeping what its reader typed.
test("an open record tells its reader, in English, that someone else saved it", async ({ browser }) => {
  const official = await loggedIn(browser, "nanhu");
  await official.context().addCookies([{ name: "i18n_pref_locale", value: "en", url: official.url() }]);
  await official.goto("/enterprises?sort=score_desc&scale=above");
  await expect(official.locator("header[data-hydrated='true']")).toHaveCount(1);
  const href = await official.locator("[data-testid=enterprises] tbody tr").nth(5).locator("a").first().getAttribute("href");
  const clerk = await loggedIn(browser, "tax");
  for (const p of [official, clerk]) {
    await p.goto(href!);
    await expect(p.locator("header[data-hydrated='true']")).toHaveCount(1);
    await expect(p.getByTestId("preview-score")).toBeVisible();
  }
  // A slip is named in English at the field.
  const employees = official.locator("input[data-field=employees]");
  await employees.fill("12,5");
  await expect(official.locator("[data-error=employees]")).toContainText("is not a whole number");
  await employees.fill("321");
  await expect(official.getByTestId("saved-elsewhere")).toHaveCount(0);

  await clerk.locator("input[data-field=tax_wan]").fill("4321.5");
  await clerk.getByTestId("save").click();
  await expect(clerk.getByTestId("saved")).toContainText("1");

  const notice = official.getByTestId("saved-elsewhere");
  await expect(notice).toContainText("saved this record at");
  await expect(notice).toContainText("Your unsaved edits will be kept");
  await expect(notice).not.toContainText("保存了");
  // Its own saves never raise it.
  await expect(clerk.getByTestId("saved-elsewhere")).toHaveCount(0);
  await official.getByTestId("load-newest").click();
  await expect(official.locator("input[data-field=tax_wan]")).toHaveValue("4321.5");
  await expect(employees).toHaveValue("321");
  await expect(notice).toHaveCount(0);
  await official.getByTestId("save").click();
  await expect(official.getByTestId("saved")).toContainText("1");
});
