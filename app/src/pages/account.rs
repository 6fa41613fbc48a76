//! The signed-in user's own account: role and what it is bound to, and the
//! password change (required first when the password was a one-time one).

use crate::accounts::ChangePassword;
use crate::auth::SignOutEverywhere;
use crate::pages::layout::use_current_user;
use crate::pages::tr;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let user = use_current_user();
    let change = ServerAction::<ChangePassword>::new();
    crate::pages::layout::refetch_user_after(change);
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    crate::pages::layout::refetch_user_after(everywhere);
    let result = move || change.value().get();
    view! {
        <h1 class="mb-4 text-xl font-semibold">{tr("我的账户", "My account")}</h1>
        <Suspense fallback=move || view! { <p>{tr("加载中…", "Loading…")}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    None => view! { <p><a class="text-emerald-700 underline" href="/login">{tr("请先登录。", "Please log in first.")}</a></p> }.into_any(),
                    Some(u) => {
                        let role = crate::pages::role_label(u.role);
                        view! {
                            {u.must_change_password.then(|| view! {
                                <p role="alert" class="mb-3 max-w-lg rounded bg-amber-50 p-3 text-sm ring-1 ring-amber-300" data-testid="must-change">
                                    {tr("您使用的是初始密码：请先修改密码，然后才能使用其他功能。初始密码自发放起 7 天内有效；过期或遗忘时，请联系所在县（市、区）经信部门“重新发放”，原密码随即失效。", "You signed in with a one-time password: change it before anything else. A one-time password works for 7 days from its issue; when it runs out or is forgotten, ask your county's economic and information bureau to reissue it (the old one stops working).")}
                                </p>
                            })}
                            <dl class="grid max-w-lg grid-cols-[auto,1fr] gap-x-6 gap-y-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
                                <dt class="text-slate-500">{tr("用户名", "Username")}</dt><dd>{u.username.clone()}</dd>
                                <dt class="text-slate-500">{tr("姓名", "Name")}</dt><dd>{u.display_name.clone()}</dd>
                                <dt class="text-slate-500">{tr("角色", "Role")}</dt><dd data-testid="role">{role}</dd>
                                {u.county.map(|c| { let n = tr(c.zh(), c.en()); view! { <dt class="text-slate-500">{tr("所属县（市、区）", "County")}</dt><dd data-testid="county">{n}</dd> } })}
                                {u.department.map(|d| { let n = tr(d.zh(), d.en()); view! { <dt class="text-slate-500">{tr("所属部门", "Department")}</dt><dd>{n}</dd> } })}
                                {u.uscc.clone().map(|s| view! { <dt class="text-slate-500">{tr("统一社会信用代码", "Unified social credit code")}</dt><dd class="font-mono">{s.to_string()}</dd> })}
                            </dl>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
        <h2 class="mt-6 mb-2 text-lg font-semibold">{tr("修改密码", "Change password")}</h2>
        <ActionForm action=change attr:class="max-w-lg space-y-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" attr:data-testid="password-form">
            <label class="block text-sm">{tr("原密码", "Current password")}
                <input type="password" name="old" required autocomplete="current-password" class="mt-1 w-full rounded border border-slate-300 px-2 py-1" /></label>
            <label class="block text-sm">{tr("新密码（至少 10 个字符；不能是常见密码，不能包含用户名）", "New password (10 characters or more; not a common password, not containing the user name)")}
                <input type="password" name="new" required minlength="10" maxlength="128" autocomplete="new-password" class="mt-1 w-full rounded border border-slate-300 px-2 py-1" /></label>
            <label class="block text-sm">{tr("再次输入新密码", "New password again")}
                <input type="password" name="repeat" required minlength="10" maxlength="128" autocomplete="new-password" class="mt-1 w-full rounded border border-slate-300 px-2 py-1" /></label>
            <p class="text-xs text-slate-500">{tr("连续输错原密码会被暂停尝试，等待时间逐次加倍（最长 15 分钟）。忘记密码的企业请联系所在县（市、区）重新发放初始密码。", "Wrong current passwords in a row pause further tries, each wait twice the last (15 minutes at most). An enterprise that forgot its password asks its county to reissue a one-time one.")}</p>
            <button type="submit" data-testid="change-password" class="rounded bg-emerald-700 px-3 py-1 text-white">{tr("修改密码", "Change password")}</button>
            <p role="status" class="text-sm" data-testid="password-result">{move || match result() {
                Some(Ok(())) => tr("密码已修改；其他设备上的登录已退出。", "Password changed; other sessions were signed out.")().to_string(),
                Some(Err(e)) => e.to_string(),
                None => String::new(),
            }}</p>
        </ActionForm>
        <h2 class="mt-6 mb-2 text-lg font-semibold">{tr("登录的设备", "Signed-in devices")}</h2>
        <ActionForm action=everywhere attr:class="max-w-lg space-y-2 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" attr:data-testid="sign-out-everywhere">
            <p class="text-sm text-slate-600">{tr("在所有设备（包括本机）上退出登录；忘记退出公用电脑或手机丢失时使用。无操作 60 分钟后登录也会自动失效。", "Sign out on every device, this one included: for a shared computer left signed in, or a lost phone. A session also ends after 60 minutes without use.")}</p>
            <button type="submit" class="rounded border border-red-700 px-3 py-1 text-red-800">{tr("在所有设备上退出", "Sign out everywhere")}</button>
        </ActionForm>
    }
}
