//! `slotfill chat`: talk to a bot in the terminal, or script a conversation through stdin.

use super::bot_files::BotFiles;
use super::reference_time::ReferenceTime;
use anyhow::{Context as _, Result};
use rustyline::error::ReadlineError;
use slotfill::dialogue::Turn;
use slotfill::{Bot, Parse};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ChatArgs {
    #[command(flatten)]
    bot: BotFiles,
    /// Print one JSON line per turn (user, intent, confidence, slots, replies, action).
    #[arg(long)]
    trace: bool,
    #[command(flatten)]
    time: ReferenceTime,
}

const CONVERSATION: &str = "repl";
const HELP: &str = "/help this help · /reset start over · /slots the open form · /debug toggle NLU details · /reload pick up changed intents · /quit";

pub fn run(args: ChatArgs) -> Result<()> {
    let bot = load(&args)?;
    if std::io::stdin().is_terminal() {
        interactive(&bot, &args)
    } else {
        scripted(&bot, &args)
    }
}

fn load(args: &ChatArgs) -> Result<Bot> {
    Ok(Bot::new(args.bot.parser()?)?)
}

/// Runs a `/command`; returns what to print, or `None` for `/quit`.
fn command(bot: &Bot, args: &ChatArgs, line: &str, debug: &mut bool) -> Option<Vec<String>> {
    let lines = match line {
        "/quit" | "/exit" => return None,
        "/help" => vec![HELP.to_string()],
        "/reset" => match bot.reset(CONVERSATION) {
            Ok(_) => vec!["(conversation reset)".into()],
            Err(e) => vec![format!("(not reset: {e})")],
        },
        "/debug" => {
            *debug = !*debug;
            vec![format!("(debug {})", if *debug { "on" } else { "off" })]
        }
        "/reload" => match args.bot.parser().and_then(|p| Ok(bot.reload(p)?)) {
            Ok(()) => vec![format!("(reloaded {})", args.bot.intents.display())],
            Err(e) => vec![format!("(not reloaded: {e:#})")],
        },
        "/slots" => match bot
            .conversation(CONVERSATION)
            .ok()
            .flatten()
            .and_then(|c| c.form)
        {
            Some(form) => {
                let mut lines = vec![format!("form {}", form.intent)];
                for (name, value) in &form.slots {
                    lines.push(format!("  {name} = {} ({})", value.display, value.value));
                }
                if let Some(asking) = &form.asking {
                    lines.push(format!("  asking for {asking}"));
                }
                lines
            }
            None => vec!["(no open form)".into()],
        },
        other => vec![format!("(unknown command {other}; {HELP})")],
    };
    Some(lines)
}

fn turn(bot: &Bot, args: &ChatArgs, text: &str) -> Result<(Parse, Turn)> {
    let parser = bot.parser();
    let context = args.time.context(parser.intents().map(|i| &i.settings))?;
    Ok(bot.handle(CONVERSATION, text, &context)?)
}

/// What `/debug` shows of a turn: the parse, then the commands the dialogue applied.
fn describe_turn(parse: &Parse, turn: &Turn) -> String {
    let commands: Vec<String> = turn.commands.iter().map(|c| c.summary()).collect();
    format!(
        "{}\n  commands: {}",
        super::describe_parse(parse),
        if commands.is_empty() {
            "none".to_string()
        } else {
            commands.join(", ")
        }
    )
}

fn trace_line(text: &str, turn: &Turn) -> Result<String> {
    Ok(serde_json::to_string(&serde_json::json!({
        "user": text,
        "intent": turn.intent,
        "confidence": turn.confidence,
        "slots": turn.slots,
        "replies": turn.replies,
        "commands": turn.commands,
        "action": turn.action.as_ref().map(|a| serde_json::json!({"name": a.name, "slots": a.slots})),
    }))?)
}

fn scripted(bot: &Bot, args: &ChatArgs) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut debug = false;
    for line in std::io::stdin().lock().split(b'\n') {
        let bytes = line.context("reading standard input")?;
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim_end_matches('\r');
        if text.starts_with('/') {
            let Some(lines) = command(bot, args, text.trim(), &mut debug) else {
                break;
            };
            for line in lines {
                writeln!(out, "{line}")?;
            }
            continue;
        }
        let (parse, turn) = turn(bot, args, text)?;
        if debug {
            writeln!(out, "{}", describe_turn(&parse, &turn))?;
        }
        if args.trace {
            writeln!(out, "{}", trace_line(text, &turn)?)?;
        } else {
            for reply in &turn.replies {
                writeln!(out, "{reply}")?;
            }
        }
    }
    Ok(())
}

fn interactive(bot: &Bot, args: &ChatArgs) -> Result<()> {
    let colour = std::io::stdout().is_terminal();
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut editor = rustyline::DefaultEditor::new()?;
    let history =
        std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".slotfill_history"));
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    println!(
        "{}",
        paint(
            "2",
            &format!("Chatting with {}. {HELP}", args.bot.intents.display())
        )
    );
    let mut debug = false;
    loop {
        let line = match editor.readline(&paint("1;34", "you> ")) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        };
        let _ = editor.add_history_entry(line.as_str());
        match line.trim() {
            command_line if command_line.starts_with('/') => {
                let Some(lines) = command(bot, args, command_line, &mut debug) else {
                    break;
                };
                for line in lines {
                    println!("{}", paint("2", &line));
                }
            }
            text => {
                let (parse, turn) = turn(bot, args, text)?;
                if debug {
                    println!("{}", paint("2", &describe_turn(&parse, &turn)));
                }
                if args.trace {
                    println!("{}", trace_line(text, &turn)?);
                }
                for reply in &turn.replies {
                    println!("{} {reply}", paint("1;32", "bot>"));
                }
            }
        }
    }
    if let Some(path) = &history {
        let _ = editor.save_history(path);
    }
    Ok(())
}
