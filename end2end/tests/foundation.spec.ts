import { test, expect } from "@playwright/test";
import { signIn } from "./session";

test("home page is Chinese first and light: no script, its menu folds on a phone, its language a link", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 }); // a phone
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (/\.(wasm|js)$/.test(new URL(r.url()).pathname)) scripts.push(r.url());
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("嘉兴市工业企业绩效综合评价");
  await expect(page.getByTestId("class-table")).toBeVisible();
  // A light page (app::light): on a phone the menu is folded, and its
  // button (a label of a checkbox, no script) unfolds it.
  const nav = page.getByTestId("nav");
  await expect(nav).toBeHidden();
  await page.getByTestId("menu-toggle").click();
  await expect(nav).toBeVisible();
  await expect(nav.getByRole("link", { name: "结果公示" })).toBeVisible();
  await page.getByTestId("lang-switch").click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Jiaxing Industrial Enterprise Performance Evaluation");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("嘉兴市工业企业绩效综合评价");
  expect(scripts).toEqual([]);
});

test("a page of the workspace hydrates, and its menu button folds the menu on a phone", async ({ browser }) => {
  const page = await signIn(browser, "nanhu", "muyi2020", { viewport: { width: 390, height: 844 } });
  await page.goto("/overview");
  // The header flips to hydrated only when the WASM has taken over.
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);
  // On a phone the nav is folded away; the menu button (a WASM event
  // handler) unfolds it.
  const nav = page.getByTestId("nav");
  await expect(nav).toBeHidden();
  await page.getByTestId("menu-toggle").click();
  await expect(nav).toBeVisible();
  await expect(page.getByTestId("menu-toggle")).toHaveAttribute("aria-expanded", "true");
});

test("a county official logs in and switches language", async ({ page }) => {
  // Light: a wrong password comes back as a message without script.
  await page.goto("/login");
  await page.getByLabel("用户名").fill("nanhu");
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("login-error")).toContainText("用户名或密码错误");

  // The page came back from the server with the name typed, not the password.
  await expect(page.getByLabel("用户名")).toHaveValue("nanhu");
  await expect(page.getByLabel("密码")).toHaveValue("");
  await page.getByLabel("密码").fill("muyi2020");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("whoami")).toHaveText("南湖区经办人");

  await page.goto("/account");
  await expect(page.getByTestId("role")).toHaveText("县（市、区）经办人员");
  await expect(page.getByTestId("county")).toHaveText("南湖区");
  await expect(page.locator("header[data-hydrated='true']")).toHaveCount(1);

  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("role")).toHaveText("County official");
  await expect(page.getByTestId("county")).toHaveText("Nanhu District");
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  // The choice survives a reload (cookie), rendered by the server.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("My account");

  await page.getByTestId("lang-switch").click();
  await page.getByRole("button", { name: "退出", exact: true }).click();
  // Exact: a page that needs a login also links "请先登录。".
  await expect(page.getByRole("link", { name: "登录", exact: true })).toBeVisible();
});
