//! The job worker every `serve` starts: takes one job at a time from the shared table,
//! woken at once for jobs queued on this instance and every second for the others' and for
//! jobs left behind by a crashed instance.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::model::JobKind;
use super::service;
use crate::app::AppState;

/// Wakes one of this instance's workers (jobs, mail) when work is queued here.
#[derive(Clone, Default)]
pub struct Wakeup {
    wake: Arc<Notify>,
}

impl Wakeup {
    /// Tells the worker there is work, so it does not wait for its next look.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Waits for [`Wakeup::wake`] or `timeout`, whichever comes first.
    pub async fn wait(&self, timeout: Duration) {
        tokio::select! {
            () = self.wake.notified() => {}
            () = tokio::time::sleep(timeout) => {}
        }
    }
}

/// How often an idle worker looks for jobs queued elsewhere or abandoned.
pub const POLL: Duration = Duration::from_secs(1);

/// Starts the worker on the runtime; it runs until the process ends.
pub fn start(state: AppState) {
    tokio::spawn(async move {
        loop {
            match service::claim(&state.db).await {
                Ok(Some(job)) => {
                    tracing::info!(job = job.id, kind = ?job.kind, "job started");
                    match job.kind {
                        JobKind::PrintInvitations | JobKind::PrintCertificates => {
                            crate::printing::run_job(&state, job).await;
                        }
                        // Never claimed here (`RUN_BY_WORKER`): the mail workers send its messages.
                        JobKind::SendInvitations => {}
                    }
                }
                Ok(None) => state.jobs.wait(POLL).await,
                Err(err) => {
                    tracing::warn!(%err, "could not look for jobs");
                    tokio::time::sleep(POLL).await;
                }
            }
        }
    });
}
