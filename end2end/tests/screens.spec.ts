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

// The longest menu (the city administrator's) is one row on a desk in
// both languages, the account and "log out" included.
test("the administrator's navigation fits one row on a desk", async ({ browser }) => {
  const page = await signIn(browser, "admin", "muyi2020", { viewport: { width: 1280, height: 800 } });
  for (const lang of ["zh", "en"]) {
    await page.context().addCookies([{ name: "i18n_pref_locale", value: lang, url: page.url() }]);
    await page.goto("/enterprises");
    await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
    const rows = await page.getByTestId("nav").evaluate((nav) => {
      const items = [...nav.querySelectorAll("a, button")].filter((e) => (e as HTMLElement).offsetParent);
      return { n: items.length, tops: new Set(items.map((e) => Math.round(e.getBoundingClientRect().top))).size };
    });
    expect(rows.n, lang).toBeGreaterThan(10);
    expect(rows.tops, lang).toBe(1);
  }
});

// The walk's stand-in for the first enterprise of the county's list.
const FIRST_ENTERPRISE = "first enterprise";

// Chinese on an English page that is not a name: enterprise names, people's
// and units' names, policy titles and what users typed are marked
// lang="zh" by the pages (or read as a company's name); anything else in
// Chinese is a missed translation.
async function chineseOutsideNames(page: import("@playwright/test").Page): Promise<string[]> {
  return page.evaluate(() => {
    const out = new Set<string>();
    const company = /^[^，。；：]*(有限公司|有限责任公司|股份公司|集团)$/;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let n: Node | null;
    while ((n = walker.nextNode())) {
      const t = (n.textContent ?? "").trim();
      if (!/[\u4e00-\u9fff]/.test(t) || company.test(t)) continue;
      const el = n.parentElement!;
      if (el.closest("script, style, [lang^='zh']")) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      out.add(`${el.tagName}: ${t.slice(0, 60)}`);
    }
    document.querySelectorAll("option, input[placeholder]").forEach((e) => {
      const t = (e.getAttribute("placeholder") ?? e.textContent ?? "").trim();
      if (/[\u4e00-\u9fff]/.test(t) && !company.test(t) && !e.closest("[lang^='zh']")) out.add(`${e.tagName}: ${t.slice(0, 60)}`);
    });
    return [...out];
  });
}

// Codes of the system that must never show on a screen meant for people.
const CODES = [
  "above:", "economic_dev_zone", "port_zone", "cumulative", "actual:", "catalogue:",
  "on_track", "no_data", "in_window", "not_started", "d_class", "low_tax",
  "land_use_tax", "subsidy_coefficient", "publicity", "awaiting_filing",
];

const WALK: [string | null, string][] = [
  ["nanhu", "/enterprises"],
  ["nanhu", FIRST_ENTERPRISE],
  ["nanhu", "/overview"],
  ["nanhu", "/measures"],
  ["nanhu", "/measures/electricity"],
  ["nanhu", "/measures/ledger"],
  ["admin", "/admin/disclosure"],
  ["admin", "/targets"],
  ["admin", "/targets/jzbf-2021-5.g1"],
  ["qiye4", "/portal"],
  ["qiye1", "/portal"],
  ["qiye1", "/notices"],
  ["admin", "/appeals/1"],
  ["admin", "/targets/bulletin"],
  ["admin", "/admin/users"],
  ["admin", "/admin/rules"],
  ["admin", "/admin/rules?year=2021"],
  ["nanhu", "/signoff"],
  ["nanhu", "/enterprises?moved=any"],
  ["admin", "/signoff?year=2019"],
  [null, "/disclosure/2020"],
  [null, "/disclosure/electricity/2019"],
  [null, "/reports/2020"],
  ["admin", "/admin/reports/2020"],
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
      if (path === FIRST_ENTERPRISE) {
        await page.goto("/enterprises");
        const href = await page.locator("a[href^='/enterprises/']").first().getAttribute("href");
        await page.goto(href!);
      } else {
        await page.goto(path);
      }
      await page.waitForLoadState("networkidle");
      // A user name is what its owner types to sign in, not a code.
      const text = await page.evaluate(() => {
        const parts: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        let n: Node | null;
        while ((n = walker.nextNode())) {
          const el = n.parentElement;
          if (el && !el.closest("script, style, [data-username]")) parts.push(n.textContent ?? "");
        }
        return parts.join(" ");
      });
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
      if (lang === "en") {
        expect(await chineseOutsideNames(page), `Chinese on ${path} (en)`).toEqual([]);
      }
    }
  });
}

// Every time shown is Beijing time: the newest time on the administrator's
// publication page (versions published by the seeding and by the tests
// before this one) is minutes from Beijing's clock, not eight hours.
test("times are shown in Beijing time", async ({ browser }) => {
  const page = await signIn(browser, "admin");
  await page.goto("/admin/disclosure");
  const text = await page.locator("main").innerText();
  const shown = [...text.matchAll(/(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})/g)].map((m) =>
    Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]),
  );
  expect(shown.length).toBeGreaterThan(0);
  const beijingNow = Date.now() + 8 * 3600_000;
  const newest = Math.max(...shown);
  expect(Math.abs(beijingNow - newest), "newest time shown vs Beijing now").toBeLessThan(2 * 3600_000);
});
