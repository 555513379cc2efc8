//! The screen at the projector size (1280×720): the map's share of the width, nothing over
//! the race, the legend outside the map, readable type, side by side filling the area, and
//! no map recomputed per frame.
#![cfg(feature = "gui")]

use descent::app::{DESIGN_SIZE, DescentApp, Options};
use descent::scene::{Layout, Racer, Scene};
use egui::accesskit::Role;
use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn open(scene: Scene, size: [f32; 2]) -> Harness<'static, DescentApp> {
    let mut h = Harness::builder()
        .with_size(vec2(size[0], size[1]))
        .with_pixels_per_point(1.0)
        .build_eframe(move |cc| {
            DescentApp::new(
                cc,
                Options {
                    scene: Some(scene),
                    ..Options::default()
                },
            )
        });
    h.run_steps(4);
    h
}

/// Play to the scene's end (or `step`), paused there.
fn at_step(h: &mut Harness<'_, DescentApp>, step: u64) {
    if h.state().is_playing() {
        h.key_press(egui::Key::Space);
        h.run_steps(1);
    }
    h.get_by_role_and_label(Role::Slider, "step")
        .set_value_accesskit(step as f64);
    h.run_steps(3);
}

/// Every visible window (egui `Area` in the middle order) on screen.
fn windows(h: &Harness<'_, DescentApp>) -> Vec<egui::Rect> {
    h.ctx.memory(|m| {
        m.areas()
            .visible_layer_ids()
            .into_iter()
            .filter(|l| l.order == egui::Order::Middle)
            .filter_map(|l| m.area_rect(l.id))
            .collect()
    })
}

#[test]
fn at_1024x768_and_1920x1080_the_map_still_leads_and_nothing_covers_it() {
    for size in [[1024.0, 768.0], [1920.0, 1080.0]] {
        let h = open(Scene::default(), size);
        let map = h.state().map_rects()[0];
        assert!(
            map.width() >= 0.5 * size[0] && map.height() >= 0.5 * size[1],
            "{size:?}: map {map:?}"
        );
        assert!(windows(&h).is_empty(), "{size:?}: no window by default");
        let legend = h.state().legend_rect().expect("a legend strip");
        assert!(!legend.intersects(map.shrink(1.0)), "{size:?}");
    }
}

#[test]
fn at_1280x720_the_map_takes_most_of_the_width_and_nothing_covers_it() {
    let mut h = open(Scene::default(), DESIGN_SIZE);
    let map = h.state().map_rects()[0];
    assert!(
        map.width() >= 0.6 * DESIGN_SIZE[0],
        "map {map:?} is {:.0}% of the width",
        100.0 * map.width() / DESIGN_SIZE[0]
    );
    assert!(map.height() >= 400.0, "map {map:?}");
    assert!(windows(&h).is_empty(), "no window by default");
    let legend = h.state().legend_rect().expect("a legend strip");
    assert!(
        !legend.intersects(map.shrink(1.0)),
        "legend {legend:?} over map {map:?}"
    );
    // One click folds the controls away and the map grows.
    h.get_by_label("◀ Controls").click();
    h.run_steps(4);
    assert!(!h.state().controls_open());
    let wider = h.state().map_rects()[0];
    assert!(wider.width() > map.width() + 150.0, "{wider:?} vs {map:?}");
    h.get_by_label("▶ Controls").click();
    h.run_steps(4);
    assert!(h.state().controls_open());
}

#[test]
fn every_preset_docks_its_tools_and_its_legend_hides_no_point() {
    let mut scenes = vec![("default".to_string(), Scene::default())];
    for (name, scene) in descent::presets::all() {
        scenes.push((name.to_string(), scene.expect("presets parse")));
    }
    for (name, scene) in scenes {
        let steps = scene.steps;
        let mut h = open(scene, DESIGN_SIZE);
        for step in [0, steps / 2, steps] {
            at_step(&mut h, step);
            let app = h.state();
            assert!(
                windows(&h).is_empty(),
                "{name}: a window floats over the race"
            );
            if app.scene().is_network() {
                // The slice map and the decision regions beside it, both large enough for
                // the back row.
                let (map, data) = (app.map_rects()[0], app.beside_map_rect().unwrap());
                assert!(
                    map.union(data).width() >= 0.6 * DESIGN_SIZE[0]
                        && data.width() >= 300.0
                        && map.width() >= 440.0,
                    "{name} step {step}: map {map:?}, data {data:?}"
                );
                continue;
            }
            let legend = app.legend_rect().expect("a legend");
            let mut points = vec![app.race().start];
            points.extend(app.race().runs.iter().map(|r| {
                let rec = r.current(step);
                [rec.x, rec.y]
            }));
            for &map in app.map_rects() {
                assert!(
                    !legend.intersects(map.shrink(1.0)),
                    "{name}: legend over a map"
                );
            }
            if app.scene().layout == Layout::Overlay {
                // The race: the map, and on a data scene the data view beside it.
                let map = app.map_rects()[0];
                let race = app.beside_map_rect().map_or(map, |data| map.union(data));
                assert!(
                    race.width() >= 0.6 * DESIGN_SIZE[0],
                    "{name} step {step}: the race {race:?} is {:.0} px wide (a panel grew?)",
                    race.width()
                );
                if let Some(data) = app.beside_map_rect() {
                    assert!(
                        data.width() >= 300.0 && map.width() >= 440.0,
                        "{name} step {step}: map {map:?}, data {data:?}"
                    );
                }
            }
            for p in points {
                if let Some(pos) = app.screen_from_surface(p) {
                    assert!(
                        !legend.contains(pos),
                        "{name} step {step}: legend hides {p:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_text_style_is_at_least_14_px() {
    let h = open(Scene::default(), DESIGN_SIZE);
    h.ctx
        .global_style()
        .text_styles
        .iter()
        .for_each(|(style, font)| {
            assert!(font.size >= 14.0, "{style:?} is {} px", font.size);
        });
}

#[test]
fn side_by_side_gives_four_racers_a_2x2_grid_of_wide_maps() {
    let mut scene = Scene::default();
    scene.racers.push(Racer::new("nesterov:lr=0.02"));
    scene.layout = Layout::SideBySide;
    let h = open(scene, DESIGN_SIZE);
    let maps = h.state().map_rects();
    assert_eq!(maps.len(), 4);
    for map in maps {
        assert!(map.width() >= 300.0, "{map:?}");
    }
    let rows: std::collections::BTreeSet<i32> = maps.iter().map(|m| m.bottom() as i32).collect();
    assert_eq!(rows.len(), 2, "two rows: {maps:?}");
}

#[test]
fn playing_never_recomputes_the_map() {
    let mut h = open(Scene::default(), DESIGN_SIZE);
    let before = h.state().maps_computed();
    h.run_steps(40);
    assert!(h.state().is_playing() || h.state().step() > 0);
    assert_eq!(
        h.state().maps_computed(),
        before,
        "the map is recomputed per frame"
    );
}

#[test]
fn presentation_mode_shows_the_map_and_one_plot_in_large_type() {
    let mut h = open(Scene::default(), DESIGN_SIZE);
    h.key_press(egui::Key::F);
    h.run_steps(6);
    assert!(h.state().is_presenting());
    let screen = h.ctx.content_rect();
    let map = h.state().map_rects()[0];
    assert!(map.width() >= 0.6 * screen.width(), "{map:?} in {screen:?}");
    assert!(h.query_by_label("Optimizers").is_none(), "no controls");
    assert!(
        h.query_by_label("learning rate (schedule)").is_none(),
        "one plot"
    );
    assert!(h.query_by_label("loss").is_some());
    let legend = h.state().legend_rect().expect("a legend");
    assert!(!legend.intersects(map.shrink(1.0)));
}
