//! Where an app frame's time goes: the `map` bench's frame (8 optimizers animating on
//! Rosenbrock at 1280×720, everything but the GPU) recorded with puffin over many frames —
//! the scopes of the app's panels and caches and egui's own — and printed as a tree, with
//! each scope's mean time per frame, calls per frame and slowest call. It also counts egui's
//! passes per frame and says who asked for a discarded (repeated) pass, and where.
//!
//! `cargo run --release --features profile --example profile_frame [-- overlays] [-- depth=N]`

#[path = "../benches/support/frame.rs"]
mod frame;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use puffin::{FrameData, GlobalProfiler, MergeScope, ScopeCollection, UnpackedFrameData};

const FRAMES: usize = 300;

fn main() -> Result<(), String> {
    let overlays = std::env::args().any(|a| a == "overlays");
    let depth = std::env::args()
        .find_map(|a| a.strip_prefix("depth=")?.parse().ok())
        .unwrap_or(4);
    let mut harness = frame::harness(overlays);
    let recorded: Arc<Mutex<Vec<Arc<FrameData>>>> = Arc::default();
    let sink = Arc::clone(&recorded);
    GlobalProfiler::lock().add_sink(Box::new(move |f| {
        if let Ok(mut frames) = sink.lock() {
            frames.push(f);
        }
    }));
    puffin::set_scopes_on(true);
    let mut passes = 0;
    let mut discards: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..FRAMES {
        GlobalProfiler::lock().new_frame();
        {
            puffin::profile_scope!("frame");
            std::hint::black_box(frame::frame(&mut harness));
        }
        let output = &harness.output().platform_output;
        passes += output.num_completed_passes;
        for cause in &output.request_discard_reasons {
            *discards.entry(format!("{cause:?}")).or_default() += 1;
        }
    }
    GlobalProfiler::lock().new_frame();
    puffin::set_scopes_on(false);
    let frames = recorded.lock().map_err(|e| e.to_string())?.clone();
    println!(
        "{} frames, overlays {}: {:.2} egui passes per frame",
        FRAMES,
        if overlays { "on" } else { "off" },
        passes as f64 / FRAMES as f64
    );
    for (cause, count) in &discards {
        println!("  a pass discarded {count}× by {cause}");
    }
    print_tree(&frames, depth)?;
    print_slowest_shapes(&mut harness);
    Ok(())
}

/// Each shape of one frame tessellated alone: the slowest ones, with their kind and size.
fn print_slowest_shapes(harness: &mut egui_kittest::Harness<'static, descent::app::DescentApp>) {
    harness.step();
    let shapes = harness.output().shapes.clone();
    let ppp = harness.ctx.pixels_per_point();
    let mut timed: Vec<(f64, String)> = shapes
        .into_iter()
        .map(|clipped| {
            let what = describe(&clipped.shape);
            let started = std::time::Instant::now();
            for _ in 0..20 {
                std::hint::black_box(harness.ctx.tessellate(vec![clipped.clone()], ppp));
            }
            (started.elapsed().as_secs_f64() * 1e3 / 20.0, what)
        })
        .collect();
    timed.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = timed.iter().map(|t| t.0).sum();
    println!(
        "{} shapes, tessellated one by one: {total:.3} ms; the slowest:",
        timed.len()
    );
    for (ms, what) in timed.iter().take(12) {
        println!("  {ms:8.3} ms  {what}");
    }
}

fn describe(shape: &egui::Shape) -> String {
    use egui::Shape;
    match shape {
        Shape::Vec(v) => {
            let points: usize = v.iter().map(points_of).sum();
            format!("a group of {} shapes, {points} points", v.len())
        }
        Shape::Path(p) => format!(
            "path of {} points, width {}",
            p.points.len(),
            p.stroke.width
        ),
        Shape::LineSegment { stroke, .. } => format!("segment, width {}", stroke.width),
        Shape::Mesh(m) => format!("mesh of {} vertices", m.vertices.len()),
        Shape::Text(t) => format!("text of {} chars", t.galley.job.text.len()),
        other => format!("{:?}", std::mem::discriminant(other)),
    }
}

fn points_of(shape: &egui::Shape) -> usize {
    match shape {
        egui::Shape::Path(p) => p.points.len(),
        egui::Shape::Vec(v) => v.iter().map(points_of).sum(),
        _ => 1,
    }
}

/// The main thread's scopes merged over all frames, printed to `depth` levels.
fn print_tree(frames: &[Arc<FrameData>], depth: usize) -> Result<(), String> {
    let mut scopes = ScopeCollection::default();
    for frame in frames {
        for details in &frame.scope_delta {
            scopes.insert(Arc::clone(details));
        }
    }
    let unpacked: Vec<Arc<UnpackedFrameData>> = frames
        .iter()
        .filter_map(|f| f.unpacked().ok())
        .filter(|f| !f.thread_streams.is_empty())
        .collect();
    let Some(thread) = unpacked
        .iter()
        .flat_map(|f| f.thread_streams.keys())
        .find(|t| t.name == "main" || t.name.is_empty())
        .or_else(|| unpacked.first()?.thread_streams.keys().next())
        .cloned()
    else {
        return Err("no scopes were recorded (was the `profile` feature on?)".into());
    };
    let merged = puffin::merge_scopes_for_thread(&scopes, &unpacked, &thread)
        .map_err(|e| format!("{e:?}"))?;
    println!(
        "{:<64} {:>9} {:>7} {:>9}",
        "scope (thread {})".replace("{}", &thread.name),
        "ms/frame",
        "calls",
        "max ms"
    );
    for scope in &merged {
        print_scope(&scopes, scope, 0, depth, unpacked.len());
    }
    Ok(())
}

fn print_scope(
    scopes: &ScopeCollection,
    scope: &MergeScope<'_>,
    level: usize,
    depth: usize,
    frames: usize,
) {
    let name = scopes
        .fetch_by_id(&scope.id)
        .map_or("?".into(), |d| d.name().to_string());
    let label = if scope.data.is_empty() {
        name
    } else {
        format!("{name} [{}]", scope.data)
    };
    let ms = |ns: i64| ns as f64 / 1e6;
    println!(
        "{:<64} {:>9.3} {:>7.1} {:>9.3}",
        format!("{}{}", "  ".repeat(level), label),
        ms(scope.duration_per_frame_ns),
        scope.num_pieces as f64 / frames as f64,
        ms(scope.max_duration_ns)
    );
    if level + 1 < depth {
        let mut children: Vec<&MergeScope<'_>> = scope.children.iter().collect();
        children.sort_by_key(|c| std::cmp::Reverse(c.duration_per_frame_ns));
        for child in children {
            print_scope(scopes, child, level + 1, depth, frames);
        }
    }
}
