import { expect, test } from "@playwright/test";
import { signIn } from "./session";

// Pages a role cannot use are not rendered to it: the same not-found page
// as any unknown address.
test("an enterprise opening the officials' pages finds nothing", async ({ browser }) => {
  const page = await signIn(browser, "qiye1");
  for (const path of ["/import", "/admin/disclosure", "/enterprises", "/measures/ledger"]) {
    await page.goto(path);
    await expect(page.getByText("页面不存在。")).toBeVisible();
    await expect(page.locator("form[enctype='multipart/form-data']")).toHaveCount(0);
  }
});

test("the browser's icon is there", async ({ request }) => {
  const r = await request.get("/favicon.ico");
  expect(r.ok()).toBeTruthy();
  expect(r.headers()["content-type"]).toContain("svg");
});

// The county overview names its cohorts in words, in both languages.
test("the county overview shows cohorts by name, not by code", async ({ browser }) => {
  const page = await signIn(browser, "nanhu");
  await page.goto("/overview");
  const table = page.getByTestId("cutoffs");
  await expect(table).toContainText("规上");
  await expect(table).not.toContainText("above:");
  await page.context().addCookies([{ name: "i18n_pref_locale", value: "en", url: page.url() }]);
  await page.reload();
  await expect(table).toContainText("Above-size");
  await expect(page.locator("body")).not.toContainText("above:");
});

// Codes of the system that must never show on a screen meant for people.
const CODES = [
  "above:", "economic_dev_zone", "port_zone", "cumulative", "actual:", "catalogue:",
  "on_track", "no_data", "in_window", "not_started", "d_class", "low_tax",
  "land_use_tax", "subsidy_coefficient", "publicity", "awaiting_filing",
];

const WALK: [string | null, string][] = [
  ["nanhu", "/enterprises"],
  ["nanhu", "/overview"],
  ["nanhu", "/measures"],
  ["nanhu", "/measures/electricity"],
  ["nanhu", "/measures/ledger"],
  ["admin", "/admin/disclosure"],
  ["admin", "/targets"],
  ["admin", "/targets/jzbf-2021-5.g1"],
  ["qiye4", "/portal"],
  [null, "/disclosure/2020"],
  [null, "/disclosure/electricity/2019"],
];

for (const [lang, viewport] of [["zh", { width: 1280, height: 900 }], ["en", { width: 390, height: 844 }]] as const) {
  test(`screens show no codes and charts fit (${lang}, ${viewport.width} px)`, async ({ browser }) => {
    test.setTimeout(180_000);
    const pages = new Map<string | null, import("@playwright/test").Page>();
    for (const [user, path] of WALK) {
      let page = pages.get(user);
      if (!page) {
        page = user
          ? await signIn(browser, user, "muyi2020", { viewport })
          : await (await browser.newContext({ viewport, locale: "zh-CN" })).newPage();
        if (lang === "en") {
          await page.goto("/");
          await page.context().addCookies([{ name: "i18n_pref_locale", value: "en", url: page.url() }]);
        }
        pages.set(user, page);
      }
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      const text = await page.locator("main, body").first().innerText();
      for (const code of CODES) {
        expect(text.includes(code), `${code} on ${path} (${lang})`).toBeFalsy();
      }
      const wide = await page.evaluate(() => {
        const out: string[] = [];
        if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push("page");
        document.querySelectorAll("svg, [data-chart]").forEach((el) => {
          const box = el.parentElement?.getBoundingClientRect();
          if (box && el.getBoundingClientRect().width > box.width + 1) out.push(el.outerHTML.slice(0, 80));
        });
        return out;
      });
      expect(wide, `too wide on ${path} (${lang})`).toEqual([]);
    }
  });
}
