//! `--now` and `--tz`: the reference time that relative expressions ("tomorrow") resolve
//! against. The only place that reads the wall clock.

use anyhow::Result;
use chrono::Utc;
use slotfill::intents::Settings;
use slotfill::resolve::Context;

#[derive(clap::Args, Clone, Debug)]
pub struct ReferenceTime {
    /// Reference time, local to --tz, e.g. 2026-11-23T10:00:00 (default: now).
    #[arg(long)]
    now: Option<String>,
    /// IANA time zone of the user, e.g. Europe/Oslo (default: the bot's
    /// `settings.time_zone`, or UTC without intents).
    #[arg(long)]
    tz: Option<String>,
    /// Read numeric dates like 03/04 as month/day (default: day/month).
    #[arg(long)]
    month_first: bool,
}

impl ReferenceTime {
    /// The context in `--tz`, or in `settings`' time zone (with its date order) if given.
    pub fn context(&self, settings: Option<&Settings>) -> Result<Context> {
        let tz = self
            .tz
            .as_deref()
            .or(settings.map(|s| s.time_zone.as_str()))
            .unwrap_or("UTC");
        let mut context = match &self.now {
            Some(now) => Context::at(now, tz)?,
            None => {
                let tz: chrono_tz::Tz =
                    tz.parse().map_err(|e| anyhow::anyhow!("--tz {tz}: {e}"))?;
                Context::new(Utc::now().with_timezone(&tz))
            }
        };
        context.day_first = !self.month_first && settings.is_none_or(|s| s.day_first);
        Ok(context)
    }
}
