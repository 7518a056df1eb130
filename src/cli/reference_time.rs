//! `--now` and `--tz`: the reference time that relative expressions ("tomorrow") resolve
//! against. The only place that reads the wall clock.

use anyhow::{Context as _, Result};
use chrono::{NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
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
        let tz: Tz = self
            .tz
            .parse()
            .map_err(|e| anyhow::anyhow!("--tz {}: {e}", self.tz))?;
        let now = match &self.now {
            None => Utc::now().with_timezone(&tz),
            Some(text) => {
                let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                    .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
                    .or_else(|_| {
                        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                            .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight exists"))
                    })
                    .with_context(|| format!("--now {text}: expected YYYY-MM-DDTHH:MM:SS"))?;
                tz.from_local_datetime(&naive)
                    .earliest()
                    .with_context(|| format!("--now {text} does not exist in {tz}"))?
            }
        };
        Ok(Context {
            now,
            day_first: !self.month_first,
        })
    }
}
