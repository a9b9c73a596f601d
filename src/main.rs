use clap::Parser;
use ngayhoi::app::{App, AppState};
use ngayhoi::auth::model::{Actor, NewUser};
use ngayhoi::config::{Cli, Command, NewUserArgs};

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
        Command::CreateUser(args) => {
            let state = AppState::init(cli.config).await?;
            let user = ngayhoi::auth::service::create_user(&state.db, &Actor::system(), new_user(args)?)
                .await
                .map_err(|err| anyhow::anyhow!("{}", ngayhoi::web::problem::Problem::from_error(err).describe()))?;
            println!("Đã tạo tài khoản (user created): #{} {} ({:?})", user.id, user.email, user.role);
        }
    }
    Ok(())
}

fn new_user(args: NewUserArgs) -> anyhow::Result<NewUser> {
    let role = serde_json::from_value(serde_json::Value::String(args.role.clone()))
        .map_err(|_| anyhow::anyhow!("--role must be admin, province, commune or host, not {}", args.role))?;
    let name = args.name.unwrap_or_else(|| args.email.split('@').next().unwrap_or_default().to_owned());
    Ok(NewUser {
        email: args.email,
        password: args.password,
        full_name: name,
        role,
        unit_code: args.unit,
        host_id: args.host,
    })
}
