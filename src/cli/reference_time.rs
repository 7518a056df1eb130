//! `--now` and `--tz`: the reference time that relative expressions ("tomorrow") resolve
//! against. The only place that reads the wall clock.

use anyhow::Result;
use chrono::Utc;
use slotfill::resolve::Context;

#[derive(clap::Args, Clone, Debug)]
pub struct ReferenceTime {
    /// Reference time, local to --tz, e.g. 2026-11-23T10:00:00 (default: now).
    #[arg(long)]
    now: Option<String>,
    /// IANA time zone of the user, e.g. Europe/Oslo.
    #[arg(long, default_value = "UTC")]
    tz: String,
    /// Read numeric dates like 03/04 as month/day (default: day/month).
    #[arg(long)]
    month_first: bool,
}

impl ReferenceTime {
    pub fn context(&self) -> Result<Context> {
        let mut context = match &self.now {
            Some(now) => Context::at(now, &self.tz)?,
            None => {
                let tz: chrono_tz::Tz = self
                    .tz
                    .parse()
                    .map_err(|e| anyhow::anyhow!("--tz {}: {e}", self.tz))?;
                Context {
                    now: Utc::now().with_timezone(&tz),
                    day_first: true,
                }
            }
        };
        context.day_first = !self.month_first;
        Ok(context)
    }
}
