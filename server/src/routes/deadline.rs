//! A page render that never finishes is rendered again instead of holding
//! the visitor (and a worker's memory) forever.
//!
//! Leptos' server rendering has had races in which a `<Suspense>` misses
//! the wake-up of its last resource and never resolves (leptos-rs/leptos
//! #4673, #4851; fixed in part by 0.8.21). One in a few hundred of our test
//! runs still saw a public page, which takes milliseconds, unanswered after
//! five minutes. A second render of the same GET is independent of the
//! first, so a page that has not answered within [`RENDER_DEADLINE`] is
//! rendered once more, and after that the visitor is told to retry.
//!
//! The deadline covers the whole body, not only its head: a streamed page
//! sends its head at once and stalls inside it, so the render is read to
//! its end here before anything leaves (pages take milliseconds; the
//! visitor loses nothing but a head start of those milliseconds).

use super::*;

/// Far above any page's render (the full demo city's largest takes under
/// a second on two cores), far below a visitor's patience.
pub(super) const RENDER_DEADLINE: std::time::Duration = std::time::Duration::from_secs(15);

pub(super) async fn render_deadline(req: Request, next: Next) -> Response {
    within(RENDER_DEADLINE, req, next).await
}

async fn within(limit: std::time::Duration, req: Request, next: Next) -> Response {
    // Only GETs: rendering one again changes nothing, and they have no body.
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let again = parts.clone();
    let first = whole(next.clone().run(Request::from_parts(parts, body)));
    if let Ok(Some(res)) = tokio::time::timeout(limit, first).await {
        return res;
    }
    tracing::warn!(path = %again.uri.path(), "page render exceeded its deadline; rendering again");
    let uri = again.uri.clone();
    let second = whole(next.run(Request::from_parts(again, Body::empty())));
    match tokio::time::timeout(limit, second).await {
        Ok(Some(res)) => res,
        _ => {
            tracing::error!(path = %uri.path(), "page render exceeded its deadline twice");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                "页面生成超时，请稍后重试 (the page took too long; please try again)",
            )
                .into_response()
        }
    }
}

/// Far above any page (the largest demo page is a few hundred kilobytes).
const PAGE_LIMIT: usize = 64 << 20;

/// The response with its body read to the end, or `None` if the body
/// failed on the way.
async fn whole(res: impl std::future::Future<Output = Response>) -> Option<Response> {
    let (parts, body) = res.await.into_parts();
    let bytes = axum::body::to_bytes(body, PAGE_LIMIT).await.ok()?;
    Some(Response::from_parts(parts, Body::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A page whose first render hangs and whose second answers.
    fn flaky(calls: Arc<AtomicUsize>) -> Router {
        Router::new()
            .route(
                "/page",
                get(move || {
                    let calls = calls.clone();
                    async move {
                        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                            std::future::pending::<()>().await;
                        }
                        "rendered"
                    }
                }),
            )
            .layer(from_fn(|req: Request, next: Next| {
                within(std::time::Duration::from_millis(200), req, next)
            }))
    }

    async fn send(app: Router, method: Method) -> (StatusCode, String) {
        use tower::ServiceExt;
        let res = app
            .oneshot(
                Request::builder()
                    .method(method)
                    .uri("/page")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), 1 << 10)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_hung_render_is_rendered_again() {
        let calls = Arc::new(AtomicUsize::new(0));
        let (status, body) = send(flaky(calls.clone()), Method::GET).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "rendered"));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    /// The shape of the stall seen in CI: the head answers at once, the
    /// body sends a first part and never ends.
    #[tokio::test]
    async fn a_body_that_stalls_is_rendered_again() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        let app = Router::new()
            .route(
                "/page",
                get(move || {
                    let first = counted.fetch_add(1, Ordering::SeqCst) == 0;
                    async move {
                        let head = futures::stream::once(async {
                            Ok::<_, std::io::Error>(axum::body::Bytes::from("<html>"))
                        });
                        let rest = futures::stream::once(async move {
                            if first {
                                std::future::pending::<()>().await;
                            }
                            Ok(axum::body::Bytes::from("rendered</html>"))
                        });
                        Body::from_stream(head.chain(rest))
                    }
                }),
            )
            .layer(from_fn(|req: Request, next: Next| {
                within(std::time::Duration::from_millis(200), req, next)
            }));
        let (status, body) = send(app, Method::GET).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, "<html>rendered</html>")
        );
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn two_hung_renders_ask_to_retry() {
        let app = Router::new()
            .route("/page", get(std::future::pending::<&'static str>))
            .layer(from_fn(|req: Request, next: Next| {
                within(std::time::Duration::from_millis(100), req, next)
            }));
        let (status, _) = send(app, Method::GET).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    }
}
