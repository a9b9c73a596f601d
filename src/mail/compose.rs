//! Composing an invitation e-mail (API.md, *Mail*): a Vietnamese subject (RFC 2047-encoded by
//! lettre), the body as text and HTML from `templates/email/`, the invitation PDF and an
//! `invitation.ics` (RFC 5545, METHOD:REQUEST) so that the guest's calendar offers to add it.

use chrono::{NaiveDateTime, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use serde::Serialize;

use crate::documents::invitation::{InvitationSheet, long_time};
use crate::web::templates::Templates;

/// The subject of an invitation: "Giấy mời dự Ngày hội … – Khu phố 3".
pub fn invitation_subject(festival_title: &str, host_name: &str) -> String {
    format!("Giấy mời dự {festival_title} – {host_name}")
}

/// What the e-mail templates show.
#[derive(Serialize)]
struct InvitationMail<'a> {
    honorific: &'a str,
    guest_name: &'a str,
    inviter: &'a str,
    festival_title: &'a str,
    host_name: &'a str,
    time: String,
    venue: &'a str,
    rsvp_url: Option<&'a str>,
    checkin_code: &'a str,
    number: &'a str,
    unsubscribe_url: &'a str,
}

/// Who a message goes from and to, and what names it.
pub struct Envelope<'a> {
    pub from: &'a Mailbox,
    pub to: &'a str,
    pub subject: &'a str,
    /// Kept across tries ([`super::service`] gives it).
    pub message_id: String,
    /// Identifies the calendar event for this guest: stable, so a resend updates the same
    /// entry in the guest's calendar.
    pub uid: &'a str,
    /// The message's own unsubscribe page ([`super::unsubscribe::link`]).
    pub unsubscribe_url: &'a str,
}

/// One invitation e-mail, with `pdf` (the invitation drawn by `documents`) and a calendar
/// file for the festival from `sheet.starts_at` to `ends_at` (local time, UTC+7).
/// Errors: an address lettre cannot parse; a template that does not render.
pub fn invitation(
    templates: &Templates,
    envelope: Envelope<'_>,
    sheet: &InvitationSheet,
    ends_at: NaiveDateTime,
    pdf: Vec<u8>,
) -> anyhow::Result<Message> {
    let Envelope { from, to, subject, message_id, uid, unsubscribe_url } = envelope;
    let context = InvitationMail {
        honorific: &sheet.honorific,
        guest_name: &sheet.guest_name,
        inviter: &sheet.inviter,
        festival_title: &sheet.festival_title,
        host_name: &sheet.host_name,
        time: long_time(sheet.starts_at),
        venue: &sheet.venue,
        rsvp_url: sheet.rsvp_url.as_deref(),
        checkin_code: &sheet.checkin_code,
        number: &sheet.letterhead.number,
        unsubscribe_url,
    };
    let text = templates.render("email/invitation.txt", &context)?;
    let html = templates.render("email/invitation.html", &context)?;
    let recipient: Mailbox = Mailbox::new(Some(sheet.guest_name.clone()), to.parse()?);
    let ics = calendar(sheet, ends_at, uid, from, &recipient);
    let body = MultiPart::mixed()
        .multipart(MultiPart::alternative().singlepart(SinglePart::plain(text)).singlepart(SinglePart::html(html)))
        .singlepart(Attachment::new("giay-moi.pdf".to_owned()).body(pdf, ContentType::parse("application/pdf")?))
        .singlepart(
            Attachment::new("invitation.ics".to_owned())
                .body(ics, ContentType::parse("text/calendar; charset=utf-8; method=REQUEST")?),
        );
    let mut message = Message::builder()
        .from(from.clone())
        .to(recipient)
        .subject(subject)
        .message_id(Some(message_id))
        .multipart(body)?;
    // RFC 2369 and RFC 8058: a way out of mass mailings, in one click, which the large mail
    // providers require of bulk senders. The web link comes first: clients use the first
    // they can.
    let unsubscribe = format!("<{unsubscribe_url}>, <mailto:{}?subject=unsubscribe>", from.email);
    let headers = message.headers_mut();
    headers.insert_raw(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), unsubscribe));
    let one_click = "List-Unsubscribe=One-Click".to_owned();
    headers.insert_raw(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe-Post"), one_click));
    Ok(message)
}

/// Local time in Vietnam (UTC+7, no daylight saving) as UTC.
fn utc(local: NaiveDateTime) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&(local - chrono::Duration::hours(7)))
}

/// The VCALENDAR with one VEVENT, times in UTC (no VTIMEZONE needed).
fn calendar(sheet: &InvitationSheet, ends_at: NaiveDateTime, uid: &str, from: &Mailbox, to: &Mailbox) -> String {
    let organizer =
        Property::new("ORGANIZER", format!("mailto:{}", from.email)).add_parameter("CN", &sheet.inviter).done();
    let attendee = Property::new("ATTENDEE", format!("mailto:{}", to.email))
        .add_parameter("CN", &sheet.guest_name)
        .add_parameter("ROLE", "REQ-PARTICIPANT")
        .add_parameter("PARTSTAT", "NEEDS-ACTION")
        .add_parameter("RSVP", "TRUE")
        .done();
    let mut event = Event::new();
    event
        .uid(uid)
        .summary(&format!("{} – {}", sheet.festival_title, sheet.host_name))
        .location(&sheet.venue)
        .starts(utc(sheet.starts_at))
        .ends(utc(ends_at))
        .sequence(0)
        .append_property(organizer)
        .append_property(attendee);
    if let Some(url) = &sheet.rsvp_url {
        event.description(&format!("Xác nhận tham dự: {url}")).url(url);
    }
    let mut calendar = Calendar::new();
    calendar.append_property(Property::new("METHOD", "REQUEST")).push(event.done());
    calendar.done().to_string()
}
