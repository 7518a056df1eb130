//! `--now` and `--tz`: the reference time that relative expressions ("tomorrow") resolve
//! against.

use anyhow::Result;
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
        let mut context = settings
            .cloned()
            .unwrap_or_default()
            .context(self.now.as_deref(), self.tz.as_deref())?;
        context.day_first &= !self.month_first;
        Ok(context)
    }
}
