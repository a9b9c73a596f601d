//! Printing documents on request (API.md, *Documents*): one document or a batch as one PDF,
//! answered at once when small, run as a background job with progress when large
//! ([`JOB_THRESHOLD`] pages or more, or when asked), downloaded when done.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::auth::model::Actor;
use crate::commendation::printing::{self as commendation, CertificateBatch};
use crate::documents::decision::DecisionDocument;
use crate::documents::invitation::InvitationSheet;
use crate::documents::layout::Refusal;
use crate::documents::pdf::Fonts;
use crate::documents::{certificate, decision, invitation};
use crate::entities::job;
use crate::error::{AppError, AppResult};
use crate::jobs::model::{Job, JobKind};
use crate::jobs::service::{self as jobs, Subject};
use crate::participants::invitations::{self, Whom};

pub mod pages;
pub mod routes;

/// Batches of this many pages or more run as a job: at about a thousand pages a second on
/// one core, larger ones would keep a browser waiting long enough to give up.
pub const JOB_THRESHOLD: usize = 1000;

/// What to print; also the stored parameters of a print job.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(tag = "print", rename_all = "snake_case")]
pub enum PrintRequest {
    /// The invitation of one participant.
    Invitation { participant_id: i32 },
    /// The invitations of every invited participant of a festival.
    Invitations { festival_id: i32 },
    /// One certificate, on plain paper or the issuer's blanks.
    Certificate { certificate_id: i32, blank: bool },
    /// Every certificate of a decision.
    Certificates { decision_id: i32, blank: bool },
    /// The decision document itself.
    Decision { decision_id: i32 },
    /// A made-up certificate on the issuer's blanks, to try its positions on one blank.
    BlankSample { issuer_id: i32 },
}

impl PrintRequest {
    /// `giay-moi-ngay-hoi-12.pdf` and the like.
    fn file_name(&self) -> String {
        match self {
            Self::Invitation { participant_id } => format!("giay-moi-{participant_id}.pdf"),
            Self::Invitations { festival_id } => format!("giay-moi-ngay-hoi-{festival_id}.pdf"),
            Self::Certificate { certificate_id, .. } => format!("giay-khen-{certificate_id}.pdf"),
            Self::Certificates { decision_id, .. } => format!("giay-khen-quyet-dinh-{decision_id}.pdf"),
            Self::Decision { decision_id } => format!("quyet-dinh-{decision_id}.pdf"),
            Self::BlankSample { issuer_id } => format!("giay-khen-in-thu-{issuer_id}.pdf"),
        }
    }

    /// The API address of the PDF, where pages send the browser.
    pub fn pdf_url(&self) -> String {
        let paper = |blank: bool| if blank { "?blank=true" } else { "" };
        match *self {
            Self::Invitation { participant_id } => format!("/api/v1/participants/{participant_id}/invitation.pdf"),
            Self::Invitations { festival_id } => format!("/api/v1/festivals/{festival_id}/invitations.pdf"),
            Self::Certificate { certificate_id, blank } => {
                format!("/api/v1/certificates/{certificate_id}.pdf{}", paper(blank))
            }
            Self::Certificates { decision_id, blank } => {
                format!("/api/v1/decisions/{decision_id}/certificates.pdf{}", paper(blank))
            }
            Self::Decision { decision_id } => format!("/api/v1/decisions/{decision_id}.pdf"),
            Self::BlankSample { issuer_id } => format!("/api/v1/issuers/{issuer_id}/blank-sample.pdf"),
        }
    }

    /// The job a batch runs as, and what it is about; none for single documents.
    fn job(&self) -> Option<(JobKind, Subject)> {
        match *self {
            Self::Invitations { festival_id } => Some((JobKind::PrintInvitations, Subject::Festival(festival_id))),
            Self::Certificates { decision_id, .. } => {
                Some((JobKind::PrintCertificates, Subject::Decision(decision_id)))
            }
            _ => None,
        }
    }

    /// Pages of a batch, checking the actor's right to it. Errors: as printing would.
    async fn pages(&self, state: &AppState, actor: &Actor) -> AppResult<usize> {
        match *self {
            Self::Invitations { festival_id } => {
                invitations::count(&state.db, actor, Whom::Festival(festival_id)).await
            }
            Self::Certificates { decision_id, .. } => {
                commendation::decision_certificate_count(&state.db, actor, decision_id).await
            }
            _ => Ok(1),
        }
    }
}

/// A PDF made at once, or the job making it.
pub enum Printed {
    File { bytes: Vec<u8>, file_name: String },
    Queued(Job),
}

impl IntoResponse for Printed {
    /// 200 with the PDF to show in the browser, or 202 with the job and its address.
    fn into_response(self) -> Response {
        match self {
            Self::File { bytes, file_name } => {
                let disposition = format!("inline; filename=\"{file_name}\"");
                (
                    [(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
                    bytes,
                )
                    .into_response()
            }
            Self::Queued(job) => {
                let location = format!("/api/v1/jobs/{}", job.id);
                (StatusCode::ACCEPTED, [(header::LOCATION, location)], axum::Json(job)).into_response()
            }
        }
    }
}

/// Prints `request` now, or queues it as a job when it has [`JOB_THRESHOLD`] pages or more or
/// `as_job` asks (batches only). Errors: 404, 409 as the documents' rules say.
pub async fn print(state: &AppState, actor: &Actor, request: PrintRequest, as_job: bool) -> AppResult<Printed> {
    if let Some(job) = queue(state, actor, request, as_job).await? {
        return Ok(Printed::Queued(job));
    }
    let bytes = render(state, actor, request, Arc::default()).await?;
    Ok(Printed::File { bytes, file_name: request.file_name() })
}

/// Queues `request` as a job when it is a batch of [`JOB_THRESHOLD`] pages or more, or one
/// `as_job` asks for; `None` when it is to be drawn at once (checking the actor's right to a
/// batch either way). Errors: 404, 409 as printing would.
pub async fn queue(state: &AppState, actor: &Actor, request: PrintRequest, as_job: bool) -> AppResult<Option<Job>> {
    let Some((kind, subject)) = request.job() else {
        return Ok(None);
    };
    let pages = request.pages(state, actor).await?;
    if !as_job && pages < JOB_THRESHOLD {
        return Ok(None);
    }
    let job = jobs::create(&state.db, actor, kind, subject, &request, pages).await?;
    state.jobs.wake();
    Ok(Some(jobs::present(job)))
}

/// The data of a document, gathered and ready to draw.
enum Gathered {
    Invitations(Vec<InvitationSheet>),
    Certificates(CertificateBatch),
    Decision(Box<DecisionDocument>),
}

/// Reads what `request` prints, checking the actor's right to it. Errors: 404, 409 as the
/// documents' rules say.
async fn gather(state: &AppState, actor: &Actor, request: PrintRequest) -> AppResult<Gathered> {
    let (db, base_url) = (&state.db, state.base_url());
    Ok(match request {
        PrintRequest::Invitation { participant_id } => {
            Gathered::Invitations(invitation_sheets(state, actor, Whom::Participant(participant_id)).await?)
        }
        PrintRequest::Invitations { festival_id } => {
            Gathered::Invitations(invitation_sheets(state, actor, Whom::Festival(festival_id)).await?)
        }
        PrintRequest::Certificate { certificate_id, blank } => {
            Gathered::Certificates(commendation::certificate_sheet(db, actor, certificate_id, &base_url, blank).await?)
        }
        PrintRequest::Certificates { decision_id, blank } => {
            Gathered::Certificates(commendation::decision_sheets(db, actor, decision_id, &base_url, blank).await?)
        }
        PrintRequest::BlankSample { issuer_id } => {
            Gathered::Certificates(commendation::blank_sample(db, actor, issuer_id, &base_url).await?)
        }
        PrintRequest::Decision { decision_id } => {
            Gathered::Decision(Box::new(commendation::decision_document(db, actor, decision_id).await?))
        }
    })
}

/// Gathers the data of `request` and draws it off the async threads, counting pages drawn
/// in `pages`.
async fn render(state: &AppState, actor: &Actor, request: PrintRequest, pages: Arc<AtomicUsize>) -> AppResult<Vec<u8>> {
    let gathered = gather(state, actor, request).await?;
    let count = move |n: usize| pages.store(n, Ordering::Relaxed);
    draw(state, move |fonts| match gathered {
        Gathered::Invitations(sheets) => invitation::invitations(&sheets, fonts, count),
        Gathered::Certificates(batch) => certificate::certificates(&batch.sheets, batch.paper, fonts, count),
        Gathered::Decision(document) => decision::decision(&document, fonts),
    })
    .await
}

/// Runs `drawing` with the document fonts off the async threads (a long document keeps a core
/// busy). Errors: 409 with the [`Refusal`] (a character the fonts lack, text off the sheet);
/// 500 when drawing fails otherwise.
pub async fn draw<F>(state: &AppState, drawing: F) -> AppResult<Vec<u8>>
where
    F: FnOnce(&Fonts) -> anyhow::Result<Vec<u8>> + Send + 'static,
{
    let fonts = state.fonts.clone();
    let drawn = tokio::task::spawn_blocking(move || drawing(&fonts)).await;
    drawn.map_err(anyhow::Error::from)?.map_err(|err| match err.downcast::<Refusal>() {
        Ok(refused) => AppError::conflict("document", refused.to_string()),
        Err(err) => AppError::Internal(err),
    })
}

/// The sheets of `whom`, without the participants they belong to.
async fn invitation_sheets(state: &AppState, actor: &Actor, whom: Whom) -> AppResult<Vec<InvitationSheet>> {
    let sheets = invitations::sheets(&state.db, actor, whom, &state.base_url()).await?;
    Ok(sheets.into_iter().map(|(_, sheet)| sheet).collect())
}

/// Runs a print job claimed by this instance's worker: draws the batch (with the system's
/// reach: the scope was checked when it was queued), writing progress about three times a
/// second, and stores the PDF. A failure is recorded on the job.
pub async fn run_job(state: &AppState, job: job::Model) {
    let request: PrintRequest = match serde_json::from_str(&job.params) {
        Ok(request) => request,
        Err(err) => {
            tracing::error!(job = job.id, %err, "print job with unreadable parameters");
            // "The job's parameters are unreadable."
            let _ = jobs::fail(&state.db, job.id, "Tham số của tác vụ không đọc được.").await;
            return;
        }
    };
    let pages = Arc::new(AtomicUsize::new(0));
    // A task of its own: the drawing goes on while progress is written (numbering invitations
    // holds a write transaction that the progress update may have to wait for).
    let mut drawing = tokio::spawn({
        let (state, pages) = (state.clone(), pages.clone());
        async move { render(&state, &Actor::system(), request, pages).await }
    });
    let mut ticker = tokio::time::interval(Duration::from_millis(300));
    let outcome = loop {
        tokio::select! {
            outcome = &mut drawing => break outcome.map_err(|err| AppError::Internal(err.into())).and_then(|drawn| drawn),
            _ = ticker.tick() => {
                // A cancelled job stops here; what was drawn is dropped.
                if let Ok(false) = jobs::progress(&state.db, job.id, pages.load(Ordering::Relaxed)).await {
                    drawing.abort();
                    return;
                }
            }
        }
    };
    let stored = match outcome {
        Ok(bytes) => jobs::finish(&state.db, job.id, request.file_name(), bytes).await,
        Err(err) => {
            tracing::warn!(job = job.id, %err, "print job failed");
            jobs::fail(&state.db, job.id, &failure_message(&err)).await
        }
    };
    if let Err(err) = stored {
        tracing::error!(job = job.id, %err, "could not record the end of a print job");
    }
}

/// What the user reads of a failure: the rule's own message, or a general one.
fn failure_message(err: &AppError) -> String {
    match err {
        AppError::Conflict { detail, .. } => detail.clone(),
        AppError::NotFound(what) => what.clone(),
        // "Printing failed; please try again."
        _ => "In không thành công; hãy thử lại.".to_owned(),
    }
}
