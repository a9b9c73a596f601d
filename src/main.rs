use clap::Parser;
use ngayhoi::app::{App, AppState};
use ngayhoi::config::{Cli, Command};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    ngayhoi::telemetry::init(&cli.config.log);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => App::build(cli.config).await?.run().await?,
        // Building the state connects, migrates and loads the administrative map.
        Command::Migrate => drop(AppState::init(cli.config).await?),
        Command::Demo => {
            let state = AppState::init(cli.config).await?;
            let summary = ngayhoi::demo::load(&state.db).await?;
            println!("{summary}");
        }
    }
    Ok(())
}
