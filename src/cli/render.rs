//! `descent render`: a scene as a PNG or a GIF, without a window.

use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::common::{Failure, output_error};
use crate::atomic::write_atomically;

#[derive(Debug, ClapArgs)]
pub struct RenderArgs {
    /// The scene file (.ron).
    #[arg(value_name = "SCENE.ron")]
    pub scene: PathBuf,
    /// The picture to write: FILE.png or FILE.gif (written atomically).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Picture size in pixels.
    #[arg(long, default_value = "800x600", value_name = "WxH")]
    pub size: String,
    /// Updates to run instead of the scene's own number.
    #[arg(long, value_name = "N")]
    pub steps: Option<u64>,
    /// At most this many GIF frames per second (the race plays at the scene's speed).
    #[arg(long, default_value_t = 20.0, value_name = "F")]
    pub fps: f64,
}

pub fn render(args: &RenderArgs) -> Result<(), Failure> {
    use crate::render::{MAX_GIF_FPS, Renderer, parse_size, rgba_of, write_gif, write_png};
    let size = parse_size(&args.size)?;
    if !(args.fps.is_finite() && (1.0..=MAX_GIF_FPS).contains(&args.fps)) {
        return Err(Failure::Input(format!(
            "--fps must be in 1 ..= {MAX_GIF_FPS} (GIF delays are whole hundredths of a \
             second, and browsers slow shorter ones down), got {}",
            args.fps
        )));
    }
    let extension = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let gif = match extension.as_deref() {
        Some("png") => false,
        Some("gif") => true,
        _ => {
            return Err(Failure::Input(format!(
                "--out {}: the file name must end in .png or .gif",
                args.out.display()
            )));
        }
    };
    let scene = crate::scene::Scene::load(&args.scene)?;
    let renderer = Renderer::new(&scene, size, args.steps)?;
    let target = args.out.display().to_string();
    let written = if gif {
        let frames = renderer.gif_frames(scene.speed, args.fps);
        write_atomically(&args.out, |out| {
            write_gif(&renderer, &frames, out).map(drop)
        })
    } else {
        let rgba = rgba_of(&renderer.frame(renderer.steps()));
        write_atomically(&args.out, |out| write_png(&rgba, size, out))
    };
    written.map_err(|e| output_error(&target, e))
}
