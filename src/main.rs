//! `descent`: the command line; without a command, the app.

use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(feature = "gui")]
    let open_app: Option<descent::cli::OpenApp> = Some(|request| {
        descent::app::run(descent::app::Options {
            native_dialogs: request.screenshot.is_none(),
            background_maps: request.screenshot.is_none(),
            scene: request.scene,
            lecture: request.lecture,
            size: request.size,
            screenshot: request
                .screenshot
                .map(|(path, frames)| descent::app::ScreenshotRequest { path, frames }),
        })
    });
    #[cfg(not(feature = "gui"))]
    let open_app = None;
    descent::cli::main(open_app)
}
