//! The live event stream (server-sent grade changes) for officials' screens.

use super::*;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Extension;
use caller::actor;
use std::convert::Infallible;
use tokio::sync::broadcast::error::RecvError;
/// `?watch=USCC,USCC,…`: the rows a screen shows.
#[derive(serde::Deserialize)]
pub(super) struct Watch {
    watch: Option<String>,
}

/// How often an open stream checks that its session still holds (it is
/// also told at once when its user signs out or changes the password).
pub(super) const RECHECK: std::time::Duration = std::time::Duration::from_secs(30);

/// The session an open event stream runs under.
struct Session {
    svc: service::Services,
    token: String,
    user: Option<i32>,
    ended: tokio::sync::broadcast::Receiver<i32>,
    tick: tokio::time::Interval,
}

impl Session {
    /// Resolves when the session has ended (signed out, expired, idle).
    async fn ends(&mut self) {
        loop {
            tokio::select! {
                r = self.ended.recv() => match r {
                    Ok(id) if Some(id) != self.user => continue,
                    Err(RecvError::Closed) => std::future::pending::<()>().await,
                    _ => {}
                },
                _ = self.tick.tick() => {}
            }
            // A database hiccup keeps the stream open until the next check.
            if let Ok(false) = service::accounts::session_alive(&self.svc, &self.token).await {
                return;
            }
        }
    }
}

/// Rows one screen may name (a list page shows 50).
pub(super) const MAX_WATCHED: usize = 500;

/// Server-sent grade changes for the officials' screens, filtered to what
/// the user may see (a county official: their county only) and, when the
/// screen names the rows it shows, to those: one save at the top of a large
/// cohort re-ranks thousands of rows, of which a list page shows 50.
pub(super) async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(t): Extension<Transport>,
    Query(w): Query<Watch>,
) -> Result<Sse<impl futures::Stream<Item = Result<Event, Infallible>>>, AppError> {
    let actor = actor(&state, &headers, t).await?;
    service::authz::workspace(&actor)?;
    let watched: Option<std::sync::Arc<std::collections::HashSet<String>>> = w.watch.map(|list| {
        std::sync::Arc::new(
            list.split(',')
                .filter(|u| !u.is_empty())
                .take(MAX_WATCHED)
                .map(str::to_string)
                .collect(),
        )
    });
    let rx = state.services.live.events.subscribe();
    let session = Session {
        svc: state.services.clone(),
        token: token_from_headers(&headers, t.https).unwrap_or_default(),
        user: actor.user_id(),
        ended: state.services.sessions_ended.subscribe(),
        tick: tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK),
    };
    let actor = std::sync::Arc::new(actor);
    let stream = futures::stream::unfold((rx, session), move |(mut rx, mut session)| {
        let actor = actor.clone();
        let watched = watched.clone();
        async move {
            loop {
                let received = tokio::select! {
                    r = rx.recv() => r,
                    () = session.ends() => return None,
                };
                let ev = match received {
                    Ok(mut ev) => {
                        ev.changes
                            .retain(|x| service::authz::may_see(&actor, x.row.county.code()));
                        ev.ranks.retain(|x| service::authz::may_see(&actor, &x.1));
                        ev.saved = ev.saved.filter(|x| {
                            service::authz::may_see(&actor, x.county.code())
                                && watched.as_ref().is_some_and(|w| w.contains(&x.uscc))
                        });
                        if let Some(w) = &watched {
                            ev.changes.retain(|x| w.contains(&x.row.uscc));
                            ev.ranks.retain(|x| w.contains(&x.0));
                        }
                        if ev.changes.is_empty()
                            && ev.ranks.is_empty()
                            && !ev.reload
                            && ev.saved.is_none()
                        {
                            continue;
                        }
                        ev
                    }
                    // Too slow to keep up: the screen fetches its page again.
                    Err(RecvError::Lagged(_)) => service::workspace::GradeEvent {
                        year: 0,
                        changes: vec![],
                        ranks: vec![],
                        reload: true,
                        saved: None,
                    },
                    Err(RecvError::Closed) => return None,
                };
                let data = serde_json::to_string(&ev).unwrap_or_default();
                return Some((
                    Ok(Event::default().event("grades").data(data)),
                    (rx, session),
                ));
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
